package io.pulse.transport.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.transport.probe.HealthBody.Parsed;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The health document reader: what it takes, and the exact reason for what it refuses. */
class HealthBodyTest {
    /** 2026-01-01T00:00:00Z in epoch nanoseconds. */
    private static final long JAN_1_2026 = 1_767_225_600_000_000_000L;

    private static Parsed parse(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return HealthBody.parse(bytes, 0, bytes.length);
    }

    @Test
    void readsOkAndNowToTheNanosecond() {
        assertEquals(
                new Parsed(true, true, JAN_1_2026 + 123_456_789, null),
                parse("{\"ok\": true, \"now\": \"2026-01-01T00:00:00.123456789Z\"}"));
    }

    @Test
    void readsWhatTheHealthHandlerWrites() {
        String written = io.pulse.transport.health.HealthHandlerAccess.body(false, JAN_1_2026 + 5);
        assertEquals(new Parsed(false, true, JAN_1_2026 + 5, null), parse(written));
    }

    @Test
    void acceptsOffsetsAndFewerDigitsAndIgnoresOtherMembers() {
        assertEquals(
                new Parsed(null, true, JAN_1_2026 - 3_600_000_000_000L + 500_000_000L, null),
                parse("{\"version\": {\"git\": [1, 2]}, \"now\": \"2026-01-01T00:00:00.5+01:00\", \"x\": null}"));
        assertEquals(new Parsed(true, false, 0, null), parse("{\"ok\": true}"));
        assertEquals(new Parsed(null, false, 0, null), parse("{}"));
    }

    @Test
    void refusesWhatIsNotAHealthDocument() {
        assertEquals(
                "malformed JSON: Unrecognized token 'tru': was expecting (JSON String, Number, Array, Object or"
                        + " token 'null', 'true' or 'false')",
                parse("{\"ok\": tru").invalid());
        assertEquals("body is not a JSON object", parse("[true]").invalid());
        assertEquals("body is not a JSON object", parse("").invalid());
        assertEquals(
                "ok is VALUE_STRING (expected: true or false)",
                parse("{\"ok\": \"yes\"}").invalid());
        assertEquals(
                "now is VALUE_NUMBER_INT (expected: an RFC 3339 string)",
                parse("{\"now\": 17}").invalid());
        assertEquals(
                "now is \"yesterday\" (expected: an RFC 3339 time)",
                parse("{\"now\": \"yesterday\"}").invalid());
        assertEquals(
                "now is \"2026-01-01T00:00:00\" (expected: an RFC 3339 time)",
                parse("{\"now\": \"2026-01-01T00:00:00\"}").invalid(),
                "a time without offset is ambiguous");
        assertEquals(
                "trailing content after the JSON object",
                parse("{\"ok\": true} {}").invalid());
        assertEquals(
                "malformed JSON: Duplicate field 'ok'",
                parse("{\"ok\": true, \"ok\": false}").invalid());
    }

    @Test
    void refusesTimesBeyondTheNanosecondRangeAndDeepOrHugeBodies() {
        assertEquals(
                "now is \"+1000000-01-01T00:00:00Z\" (expected: an RFC 3339 time)",
                parse("{\"now\": \"+1000000-01-01T00:00:00Z\"}").invalid());
        String deep = "{\"a\": " + "[".repeat(40) + "]".repeat(40) + "}";
        assertEquals(
                "malformed JSON: Document nesting depth (33) exceeds the maximum allowed (32, from "
                        + "`StreamReadConstraints.getMaxNestingDepth()`)",
                parse(deep).invalid());
        byte[] huge = new byte[HealthBody.MAX_BYTES + 1];
        assertEquals(
                "body is 65537 bytes (expected: at most 65536)",
                HealthBody.parse(huge, 0, huge.length).invalid());
    }
}
