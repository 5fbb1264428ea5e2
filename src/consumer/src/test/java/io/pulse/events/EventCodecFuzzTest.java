package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.HexFormat;
import java.util.function.Function;

/**
 * The Avro decoder the consumer library runs on every record value, on arbitrary bytes: it returns
 * an event or throws {@link EventDecodingException}, nothing else. {@code mvn verify} runs each
 * method once per committed seed under
 * {@code src/test/resources/io/pulse/events/EventCodecFuzzTestInputs/<method>/} (the events of
 * {@link EventMapperTest} in the current schema, and {@link SampleData} in each released schema); fuzzing:
 *
 * <pre>{@code
 * JAZZER_FUZZ=1 mvn -B test -Dtest='EventCodecFuzzTest#decodeFailure' -Djazzer.max_duration=10m
 * }</pre>
 */
class EventCodecFuzzTest {

    @FuzzTest(maxDuration = "30s")
    void decodeFailure(byte[] value) {
        decodesOrRejects(value, EventCodec::decodeFailure, EventCodec::encode);
    }

    @FuzzTest(maxDuration = "30s")
    void decodeStatusChange(byte[] value) {
        decodesOrRejects(value, EventCodec::decodeStatusChange, EventCodec::encode);
    }

    /** What decodes re-encodes (in the current schema) to a value that decodes to an equal event. */
    private static <T> void decodesOrRejects(byte[] value, Function<byte[], T> decode, Function<T, byte[]> encode) {
        T event;
        try {
            event = decode.apply(value);
        } catch (EventDecodingException rejected) {
            return;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(
                    "decoding threw " + e + " (expected: an event or EventDecodingException); bytes: "
                            + HexFormat.of().formatHex(value),
                    e);
        }
        assertEquals(
                event,
                decode.apply(encode.apply(event)),
                () -> "bytes " + HexFormat.of().formatHex(value));
    }
}
