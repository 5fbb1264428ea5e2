package io.pulse.events;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Avro single-object encoding of Pulse's events: {@code C3 01}, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint (little-endian), the Avro binary body.
 *
 * <pre>{@code
 * byte[] value = EventCodec.encode(mapper.failure(failure));
 * FailureMessage back = EventCodec.decodeFailure(value);
 * }</pre>
 *
 * Decoding accepts data written with the current schema or any released one
 * ({@link SchemaHistory}) and resolves it to the current classes. A value written with a newer
 * schema needs that schema: {@link EventDecoder} with a {@link WriterSchemaResolver} (such as
 * {@link KafkaWriterSchemas}) finds it. Thread-safe.
 */
public final class EventCodec {
    /** The two marker bytes that open every single-object encoded value. */
    public static final byte[] SINGLE_OBJECT_MARKER = {(byte) 0xC3, (byte) 0x01};
    /** Marker plus fingerprint. */
    public static final int HEADER_BYTES = 10;

    private static final BinaryMessageEncoder<FailureMessage> FAILURE_ENCODER = FailureMessage.getEncoder();
    private static final BinaryMessageEncoder<StatusChange> STATUS_ENCODER = StatusChange.getEncoder();
    private static final BinaryMessageEncoder<Heartbeat> HEARTBEAT_ENCODER = Heartbeat.getEncoder();
    /** Released schemas only; an unknown fingerprint fails with Avro's "Cannot resolve schema for fingerprint". */
    private static final EventDecoder RELEASED = EventDecoder.releasedOnly();

    private EventCodec() {}

    public static byte[] encode(FailureMessage message) {
        return encode(FAILURE_ENCODER, message);
    }

    public static byte[] encode(StatusChange change) {
        return encode(STATUS_ENCODER, change);
    }

    public static byte[] encode(Heartbeat heartbeat) {
        return encode(HEARTBEAT_ENCODER, heartbeat);
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a FailureMessage this version can read. */
    public static FailureMessage decodeFailure(byte[] value) {
        return RELEASED.decodeFailure(value);
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a StatusChange this version can read. */
    public static StatusChange decodeStatusChange(byte[] value) {
        return RELEASED.decodeStatusChange(value);
    }

    /** Throws {@link EventDecodingException} if {@code value} is not a Heartbeat this version can read. */
    public static Heartbeat decodeHeartbeat(byte[] value) {
        return RELEASED.decodeHeartbeat(value);
    }

    /** The fingerprint that single-object encoding writes for {@code schema}, as a long. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    private static <T extends SpecificRecordBase> byte[] encode(BinaryMessageEncoder<T> encoder, T record) {
        try {
            ByteBuffer buffer = encoder.encode(record);
            return Arrays.copyOfRange(
                    buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.arrayOffset() + buffer.limit());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + record.getSchema().getFullName(), e);
        }
    }

    /**
     * {@code record} with an empty array in each array field, to decode into. Avro sizes a new array
     * by the count the bytes announce before it reads one element: 130 bytes that announce 2^31
     * strings took the heap (OutOfMemoryError, found by EventCodecFuzzTest). An array it is given
     * grows by the elements it really reads, and runs into the end of the bytes first.
     */
    static <T extends SpecificRecordBase> T withEmptyArrays(T record) {
        for (Schema.Field field : record.getSchema().getFields()) {
            if (field.schema().getType() == Schema.Type.ARRAY) {
                record.put(field.pos(), new GenericData.Array<>(0, field.schema()));
            }
        }
        return record;
    }

    static <T extends SpecificRecordBase> T decode(BinaryMessageDecoder<T> decoder, byte[] value, T into) {
        Schema expected = into.getSchema();
        if (value == null || value.length < HEADER_BYTES) {
            throw new EventDecodingException(
                    "got " + (value == null ? "null" : value.length + " bytes") + " (expected: at least " + HEADER_BYTES
                            + " bytes of single-object " + expected.getFullName() + ")",
                    null);
        }
        try {
            return decoder.decode(value, into);
        } catch (IOException | RuntimeException e) {
            // Not only AvroRuntimeException: EventCodecFuzzTest found NumberFormatException (an eventId
            // that is no UUID, from Avro's logical-type conversion) and ArrayIndexOutOfBoundsException
            // (a union branch index out of range, from Avro's reader). Decoding only reads these bytes,
            // so whatever it throws says they are no event; one such record must not stop a consumer.
            throw new EventDecodingException("cannot decode " + expected.getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** Teaches {@code decoder} to read data written with each of {@code released} besides {@code current}. */
    static <T> BinaryMessageDecoder<T> withHistory(
            BinaryMessageDecoder<T> decoder, Schema current, List<Schema> released) {
        for (Schema schema : released) {
            if (fingerprint(schema) != fingerprint(current)) {
                decoder.addSchema(schema);
            }
        }
        return decoder;
    }
}
