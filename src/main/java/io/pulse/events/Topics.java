package io.pulse.events;

import java.util.Objects;

/**
 * The names of Pulse's topics, shared by the publisher and every consumer.
 *
 * <pre>{@code
 * String failures = Topics.failures("pulse");   // "pulse.failures"
 * String dlt = Topics.deadLetter(failures);      // "pulse.failures-dlt"
 * }</pre>
 */
public final class Topics {
    /** The prefix when none is configured. */
    public static final String DEFAULT_PREFIX = "pulse";
    /** Appended to a topic's name to make its dead-letter topic. */
    public static final String DEAD_LETTER_SUFFIX = "-dlt";

    private Topics() {
    }

    /** {@code <prefix>.failures}: one FailureMessage per node declared DEAD (append-only). */
    public static String failures(String prefix) {
        return requirePrefix(prefix) + ".failures";
    }

    /** {@code <prefix>.status}: one StatusChange per transition, compacted, a tombstone per removed node. */
    public static String status(String prefix) {
        return requirePrefix(prefix) + ".status";
    }

    /** {@code <topic>-dlt}: records a consumer could not handle, with headers saying where they came from. */
    public static String deadLetter(String topic) {
        return Objects.requireNonNull(topic, "topic") + DEAD_LETTER_SUFFIX;
    }

    private static String requirePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || !prefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix must be non-empty and use only [a-zA-Z0-9._-], got \""
                    + prefix + "\"");
        }
        return prefix;
    }
}
