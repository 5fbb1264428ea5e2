package io.pulse.events;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Confluent's wire format: magic byte {@code 0}, the writer schema's registry id (4 bytes,
 * big-endian), the Avro binary body. Pulse's own single-object encoding opens with {@code C3 01}
 * instead, so the first byte tells the two apart. The serializers and the publisher write it from
 * the single-object bytes; the deserializers turn it back into them.
 *
 * <pre>{@code
 * byte[] value = ConfluentFormat.frame(id, EventCodec.encode(change));
 * if (ConfluentFormat.isConfluent(value)) singleObject = ConfluentFormat.toSingleObject(value, fingerprint);
 * }</pre>
 */
public final class ConfluentFormat {
    public static final byte MAGIC = 0;
    /** Magic byte plus schema id. */
    public static final int HEADER_BYTES = 5;

    private ConfluentFormat() {}

    /** Whether {@code value} opens with Confluent's magic byte 0 (single-object encoding opens with C3). */
    public static boolean isConfluent(byte[] value) {
        return value.length > 0 && value[0] == MAGIC;
    }

    /** {@code singleObject}'s body behind the Confluent header of schema {@code id}. */
    public static byte[] frame(int id, byte[] singleObject) {
        int body = singleObject.length - EventCodec.HEADER_BYTES;
        return ByteBuffer.allocate(HEADER_BYTES + body)
                .put(MAGIC)
                .putInt(id)
                .put(singleObject, EventCodec.HEADER_BYTES, body)
                .array();
    }

    /** The schema id of a value {@link #isConfluent}; throws {@link EventDecodingException} if it is too short. */
    public static int schemaId(byte[] value) {
        if (value.length < HEADER_BYTES) {
            throw new EventDecodingException(
                    "got " + value.length + " bytes (expected: at least " + HEADER_BYTES
                            + " bytes of Confluent wire format: magic byte 0 and a 4-byte schema id)",
                    null);
        }
        return ByteBuffer.wrap(value, 1, 4).getInt();
    }

    /** The same body as single-object encoding, with the writer schema's {@code fingerprint}. */
    public static byte[] toSingleObject(byte[] value, long fingerprint) {
        int body = value.length - HEADER_BYTES;
        return ByteBuffer.allocate(EventCodec.HEADER_BYTES + body)
                .put(EventCodec.SINGLE_OBJECT_MARKER)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(fingerprint)
                .put(value, HEADER_BYTES, body)
                .array();
    }
}
