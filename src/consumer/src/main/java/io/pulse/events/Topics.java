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
    /** Kafka's longest topic name. */
    static final int MAX_TOPIC_LENGTH = 249;
    /**
     * The longest prefix whose every topic, dead-letter topics included, is a legal Kafka topic
     * name: 249 characters (Kafka's limit) less {@code ".failures-dlt"}, the longest suffix
     * ({@code ".heartbeats"} is shorter: it has no dead-letter topic).
     */
    public static final int MAX_PREFIX_LENGTH = 236;
    /** What a prefix may be, as said in errors and documentation. */
    public static final String PREFIX_RULE = "1.." + MAX_PREFIX_LENGTH + " of [a-zA-Z0-9._-]";

    private Topics() {}

    /** {@code <prefix>.failures}: one FailureMessage per node declared DEAD (append-only). */
    public static String failures(String prefix) {
        return requirePrefix(prefix) + ".failures";
    }

    /** {@code <prefix>.status}: one StatusChange per transition, compacted, a tombstone per removed node. */
    public static String status(String prefix) {
        return requirePrefix(prefix) + ".status";
    }

    /**
     * {@code <prefix>.schemas}: every writer schema the publishers write with, compacted, key = its
     * fingerprint ({@link SchemaTopic}); where a reader finds a newer schema than it ships.
     */
    public static String schemas(String prefix) {
        return requirePrefix(prefix) + ".schemas";
    }

    /**
     * {@code <prefix>.heartbeats}: each observer's latest {@link Heartbeat}, compacted, key = the
     * observer; what tells "nothing failed" from "Pulse is down". Read by {@code ClusterView}, with
     * no consumer group, so it has no dead-letter topic.
     */
    public static String heartbeats(String prefix) {
        return requirePrefix(prefix) + ".heartbeats";
    }

    /** {@code <topic>-dlt}: records a consumer could not handle, with headers saying where they came from. */
    public static String deadLetter(String topic) {
        return Objects.requireNonNull(topic, "topic") + DEAD_LETTER_SUFFIX;
    }

    /**
     * Checks a topic prefix: {@value #PREFIX_RULE}, so that every topic named after it (dead-letter
     * topics included) is legal in Kafka. The one place these rules live: the publisher's settings,
     * the sidecar's and the consumer library's builders all ask here.
     *
     * @return {@code prefix}
     * @throws IllegalArgumentException saying the rule
     */
    public static String requirePrefix(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        if (prefix.isEmpty() || prefix.length() > MAX_PREFIX_LENGTH || !prefix.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("topic prefix must be " + PREFIX_RULE + ", got \""
                    + (prefix.length() > 80
                            ? prefix.substring(0, 80) + "...\" (" + prefix.length() + " characters)"
                            : prefix + "\""));
        }
        return prefix;
    }
}
