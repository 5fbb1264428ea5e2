package io.pulse.transport.probe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Reads a health document, {@code {"ok": true, "now": "2026-01-01T00:00:00.123456789Z"}}: both
 * members optional, others ignored, {@code now} an RFC 3339 time (any offset, up to nanoseconds).
 * Stateless; the body is untrusted, so nesting, lengths and duplicate members are bounded.
 */
final class HealthBody {
    /** Larger bodies are not read: the answer still counts, but gives no clock sample. */
    static final int MAX_BYTES = 64 * 1024;

    private static final int MAX_NESTING_DEPTH = 32;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_BYTES)
                    .maxNumberLength(64)
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /**
     * What a body said.
     *
     * @param ok      the {@code ok} member, or {@code null} when absent
     * @param invalid why the body could not be read, or {@code null} when it could
     */
    record Parsed(Boolean ok, boolean hasNow, long nowEpochNanos, String invalid) {
        static Parsed invalid(String why) {
            return new Parsed(null, false, 0, why);
        }

        boolean valid() {
            return invalid == null;
        }
    }

    private HealthBody() {}

    static Parsed parse(byte[] bytes, int offset, int length) {
        if (length > MAX_BYTES) {
            return Parsed.invalid("body is " + length + " bytes (expected: at most " + MAX_BYTES + ")");
        }
        try (JsonParser parser = JSON.createParser(bytes, offset, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Parsed.invalid("body is not a JSON object");
            }
            Boolean ok = null;
            Long now = null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if ("ok".equals(name)) {
                    if (!value.isBoolean()) {
                        return Parsed.invalid("ok is " + value + " (expected: true or false)");
                    }
                    ok = value == JsonToken.VALUE_TRUE;
                } else if ("now".equals(name)) {
                    if (value != JsonToken.VALUE_STRING) {
                        return Parsed.invalid("now is " + value + " (expected: an RFC 3339 string)");
                    }
                    now = epochNanos(parser.getText());
                    if (now == null) {
                        return Parsed.invalid("now is \"" + parser.getText() + "\" (expected: an RFC 3339 time)");
                    }
                } else {
                    parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                return Parsed.invalid("trailing content after the JSON object");
            }
            return new Parsed(ok, now != null, now == null ? 0 : now, null);
        } catch (JsonProcessingException e) {
            return Parsed.invalid("malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            return Parsed.invalid("unreadable body: " + e.getMessage());
        }
    }

    private static Long epochNanos(String text) {
        try {
            Instant instant = Instant.parse(text);
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
        } catch (DateTimeParseException | ArithmeticException e) {
            return null;
        }
    }
}
