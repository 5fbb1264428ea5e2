package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2024-05-01T12:00:00.123Z");
    private final EventMapper mapper = new EventMapper("10.0.0.1:7946", "prod-eu");

    @Test
    void valueIsSingleObjectEncoded() {
        byte[] value = EventCodec.encode(mapper.failure(EventMapperTest.failure(AT)));

        byte[] fingerprint = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(EventCodec.fingerprint(FailureMessage.getClassSchema())).array();
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
        assertEquals("cannot decode io.pulse.events.FailureMessage: Cannot resolve schema for fingerprint: "
                + EventCodec.fingerprint(StatusChange.getClassSchema()), e.getMessage());
    }

    @Test
    void tooShortValueIsRejectedWithItsLength() {
        EventDecodingException e = assertThrows(EventDecodingException.class,
                () -> EventCodec.decodeStatusChange(new byte[] {(byte) 0xC3, 0x01, 7}));
        assertEquals("got 3 bytes (expected: at least 10 bytes of single-object io.pulse.events.StatusChange)",
                e.getMessage());
    }
}
