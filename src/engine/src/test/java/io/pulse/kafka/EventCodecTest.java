package io.pulse.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.EventCodec;
import io.pulse.events.EventDecodingException;
import io.pulse.events.FailureMessage;
import io.pulse.events.StatusChange;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2024-05-01T12:00:00.123Z");
    private final EventMapper mapper = new EventMapper("10.0.0.1:7946", "prod-eu");

    @Test
    void valueIsSingleObjectEncoded() {
        byte[] value = EventCodec.encode(mapper.failure(EventMapperTest.failure(AT)));

        byte[] fingerprint = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(EventCodec.fingerprint(FailureMessage.getClassSchema()))
                .array();
        assertArrayEquals(new byte[] {(byte) 0xC3, 0x01}, Arrays.copyOfRange(value, 0, 2));
        assertArrayEquals(fingerprint, Arrays.copyOfRange(value, 2, 10));
    }

    @Test
    void failureRoundTrips() {
        FailureMessage message = mapper.failure(EventMapperTest.failure(AT));

        assertEquals(message, EventCodec.decodeFailure(EventCodec.encode(message)));
    }

    @Test
    void statusChangeRoundTrips() {
        StatusChange change = mapper.statusChange(EventMapperTest.change(AT));

        assertEquals(change, EventCodec.decodeStatusChange(EventCodec.encode(change)));
    }

    @Test
    void aStatusChangeIsNotReadAsAFailure() {
        byte[] value = EventCodec.encode(mapper.statusChange(EventMapperTest.change(AT)));

        EventDecodingException e = assertThrows(EventDecodingException.class, () -> EventCodec.decodeFailure(value));
        assertEquals(
                "cannot decode io.pulse.events.FailureMessage: Cannot resolve schema for fingerprint: "
                        + EventCodec.fingerprint(StatusChange.getClassSchema()),
                e.getMessage());
    }

    /** Found by EventCodecFuzzTest: Avro's UUID conversion threw NumberFormatException past the codec. */
    @Test
    void anEventIdThatIsNoUuidIsADecodingError() {
        FailureMessage message = mapper.failure(EventMapperTest.failure(AT));
        byte[] value = EventCodec.encode(message);
        int firstChar = EventCodec.HEADER_BYTES + 1; // after the header, the eventId's length (one byte)
        assertEquals(message.getEventId().toString().charAt(0), (char) value[firstChar]);
        value[firstChar] = 'x';

        EventDecodingException e = assertThrows(EventDecodingException.class, () -> EventCodec.decodeFailure(value));
        assertEquals(
                "cannot decode io.pulse.events.FailureMessage: Error at index 0 in: \"x"
                        + message.getEventId().toString().substring(1, 8) + "\"",
                e.getMessage());
        assertInstanceOf(NumberFormatException.class, e.getCause());
    }

    /**
     * Found by EventCodecFuzzTest: Avro sized the array by the count the bytes announce before
     * reading an element, so a few bytes that announce 2^31 peers took the heap.
     */
    @Test
    void anArrayCountPastTheEndOfTheBytesIsADecodingErrorNotAnOutOfMemoryError() {
        byte[] value = EventCodec.encode(mapper.failure(EventMapperTest.failure(AT)));
        byte[] twoPeers = {0x04, 0x1a, '1', '0', '.', '0', '.', '0', '.', '2', ':', '7', '9', '4', '6'};
        int at = Collections.indexOfSubList(Bytes.asList(value), Bytes.asList(twoPeers));
        assertTrue(at > 0, "indirectPeers [10.0.0.2:7946, ...] in the encoded failure");
        ByteBuffer forged = ByteBuffer.allocate(value.length + 4)
                .put(value, 0, at)
                .put(new byte[] {(byte) 0xe0, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}) // 2^31 - 16 peers
                .put(value, at + 1, value.length - at - 1);

        EventDecodingException e =
                assertThrows(EventDecodingException.class, () -> EventCodec.decodeFailure(forged.array()));
        // Reading the peers that are there went on into the next fields, until a length Avro refuses.
        assertEquals(
                "cannot decode io.pulse.events.FailureMessage: Cannot read strings longer than 2147483639 bytes",
                e.getMessage());
    }

    @Test
    void tooShortValueIsRejectedWithItsLength() {
        EventDecodingException e = assertThrows(
                EventDecodingException.class, () -> EventCodec.decodeStatusChange(new byte[] {(byte) 0xC3, 0x01, 7}));
        assertEquals(
                "got 3 bytes (expected: at least 10 bytes of single-object io.pulse.events.StatusChange)",
                e.getMessage());
    }

    /** Boxed bytes, for {@link Collections#indexOfSubList}. */
    private static final class Bytes {
        static List<Byte> asList(byte[] bytes) {
            Byte[] boxed = new Byte[bytes.length];
            Arrays.setAll(boxed, i -> bytes[i]);
            return Arrays.asList(boxed);
        }
    }
}
