package io.pulse.kafka;

import io.pulse.events.EventType;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event as the outbox keeps it: everything needed to make the Kafka record again after a
 * restart. The topic is kept as the event type, not a name, so a changed prefix applies to what
 * is still pending.
 *
 * <pre>
 * version 2 (1) | type ordinal (1) | event id (16) | time, epoch ms (8) | key length (4) | key | value length (4, -1 = tombstone) | value
 * version 1 (1) | type ordinal (1) | event id (16) |                      key length (4) | key | value length (4, -1 = tombstone) | value
 * </pre>
 *
 * Version 2 is written; version 1 (an outbox left by a Pulse before it) is still read, its time
 * unknown.
 *
 * @param value the encoded event, or {@code null} for a tombstone
 * @param time  when the event happened (the decision, or the removal), to the millisecond; null
 *              for an entry written by version 1
 */
record OutboxRecord(EventType type, UUID eventId, String key, byte[] value, Instant time) {
    static final byte FORMAT_VERSION = 2;
    private static final byte FORMAT_VERSION_WITHOUT_TIME = 1;
    private static final int FIXED_BYTES_V1 = 1 + 1 + 16 + 4 + 4;
    private static final int FIXED_BYTES = FIXED_BYTES_V1 + 8;

    OutboxRecord {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OutboxRecord that
                && type == that.type
                && eventId.equals(that.eventId)
                && key.equals(that.key)
                && java.util.Arrays.equals(value, that.value)
                && Objects.equals(time, that.time);
    }

    @Override
    public int hashCode() {
        return eventId.hashCode();
    }

    @Override
    public String toString() {
        return type + " " + eventId + " key=" + key + (value == null ? " tombstone" : " " + value.length + " bytes");
    }

    byte[] keyBytes() {
        return key.getBytes(StandardCharsets.UTF_8);
    }

    byte[] serialize() {
        byte[] keyBytes = keyBytes();
        ByteBuffer out = ByteBuffer.allocate(FIXED_BYTES + keyBytes.length + (value == null ? 0 : value.length));
        out.put(FORMAT_VERSION)
                .put((byte) type.ordinal())
                .putLong(eventId.getMostSignificantBits())
                .putLong(eventId.getLeastSignificantBits())
                .putLong(time == null ? Long.MIN_VALUE : time.toEpochMilli())
                .putInt(keyBytes.length)
                .put(keyBytes);
        if (value == null) {
            out.putInt(-1);
        } else {
            out.putInt(value.length).put(value);
        }
        return out.array();
    }

    /** Throws {@link IllegalArgumentException} naming what is wrong if {@code bytes} is not a serialized record. */
    static OutboxRecord deserialize(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        check(bytes.length >= FIXED_BYTES_V1, "length " + bytes.length, "at least " + FIXED_BYTES_V1);
        byte version = in.get();
        check(
                version == FORMAT_VERSION || version == FORMAT_VERSION_WITHOUT_TIME,
                "format version " + version,
                FORMAT_VERSION_WITHOUT_TIME + " or " + FORMAT_VERSION);
        check(
                version == FORMAT_VERSION_WITHOUT_TIME || bytes.length >= FIXED_BYTES,
                "length " + bytes.length,
                "at least " + FIXED_BYTES);
        int ordinal = in.get();
        check(
                ordinal >= 0 && ordinal < EventType.values().length,
                "event type " + ordinal,
                "0.." + (EventType.values().length - 1));
        UUID eventId = new UUID(in.getLong(), in.getLong());
        Instant time = null;
        if (version == FORMAT_VERSION) {
            long millis = in.getLong();
            time = millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis);
        }
        int keyLength = in.getInt();
        check(
                keyLength >= 0 && keyLength <= in.remaining() - 4,
                "key length " + keyLength,
                "0.." + (in.remaining() - 4));
        byte[] key = new byte[keyLength];
        in.get(key);
        int valueLength = in.getInt();
        check(
                valueLength >= -1
                        && valueLength == (valueLength < 0 ? valueLength : in.remaining())
                        && (valueLength >= 0 || in.remaining() == 0),
                "value length " + valueLength + " with " + in.remaining() + " bytes left",
                "-1 or " + in.remaining());
        byte[] value = null;
        if (valueLength >= 0) {
            value = new byte[valueLength];
            in.get(value);
        }
        return new OutboxRecord(
                EventType.values()[ordinal], eventId, new String(key, StandardCharsets.UTF_8), value, time);
    }

    private static void check(boolean ok, String got, String expected) {
        if (!ok) {
            throw new IllegalArgumentException("outbox record: got " + got + " (expected: " + expected + ")");
        }
    }
}
