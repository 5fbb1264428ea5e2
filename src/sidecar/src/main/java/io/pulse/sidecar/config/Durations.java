package io.pulse.sidecar.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as operators write them: {@code 500ms}, {@code 1s}, {@code 1.5s}, {@code 2m},
 * {@code 1h}, or ISO-8601 ({@code PT0.5S}).
 *
 * <pre>{@code
 * Duration d = Durations.parse("250ms");
 * String text = Durations.format(d);   // "250ms"
 * }</pre>
 */
public final class Durations {
    /** What {@link #parse} accepts, for error messages. */
    public static final String EXPECTED = "a duration such as 500ms, 1s, 1.5s, 2m, 1h or PT0.5S";

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|ms|s|m|h)");

    private Durations() {}

    /** @throws IllegalArgumentException naming {@link #EXPECTED} when {@code text} is not a duration */
    public static Duration parse(String text) {
        String trimmed = text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            java.math.BigDecimal amount = new java.math.BigDecimal(m.group(1));
            long nanosPerUnit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            try {
                return Duration.ofNanos(amount.multiply(java.math.BigDecimal.valueOf(nanosPerUnit))
                        .longValueExact());
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("expected " + EXPECTED + " (at most about 292 years)");
            }
        }
        if (trimmed.startsWith("pt") || trimmed.startsWith("p")) {
            try {
                return Duration.parse(text.trim());
            } catch (DateTimeParseException e) {
                // fall through to the common message
            }
        }
        throw new IllegalArgumentException("expected " + EXPECTED);
    }

    /** The shortest exact form {@link #parse} reads back: {@code 1s}, {@code 250ms}, {@code 1500us}. */
    public static String format(Duration value) {
        long nanos = value.toNanos();
        if (nanos != 0 && nanos % 3_600_000_000_000L == 0) {
            return nanos / 3_600_000_000_000L + "h";
        }
        if (nanos != 0 && nanos % 60_000_000_000L == 0) {
            return nanos / 60_000_000_000L + "m";
        }
        if (nanos % 1_000_000_000L == 0) {
            return nanos / 1_000_000_000L + "s";
        }
        if (nanos % 1_000_000L == 0) {
            return nanos / 1_000_000L + "ms";
        }
        if (nanos % 1_000L == 0) {
            return nanos / 1_000L + "us";
        }
        return nanos + "ns";
    }
}
