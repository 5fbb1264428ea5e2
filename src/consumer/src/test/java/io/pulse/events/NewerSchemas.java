package io.pulse.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;

/**
 * Events as a later Pulse might write them: the fixtures {@code fixtures/<Record>-newer.avsc}
 * (never released) are v2 plus an optional field {@code zone} and the enum symbols
 * {@code NodeState.DRAINING} and {@code ChangeReason.DRAINED}, which today's reader does not know.
 */
public final class NewerSchemas {
    public static final UUID EVENT_ID = UUID.fromString("0e7d4c1a-5b2f-4e8a-9c3d-7f6e5d4c3b2a");
    public static final UUID FAILURE_EVENT_ID = UUID.fromString("5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d");
    public static final long AT_MS = 1_767_225_600_000L;
    public static final Schema FAILURE = load("FailureMessage");
    public static final Schema STATUS_CHANGE = load("StatusChange");

    private NewerSchemas() {}

    private static Schema load(String record) {
        try (InputStream in = NewerSchemas.class.getResourceAsStream("fixtures/" + record + "-newer.avsc")) {
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A newer StatusChange of {@code nodeId}: ALIVE -> DRAINING, reason DRAINED, zone "eu-1", single-object encoded. */
    public static byte[] statusChange(String nodeId) {
        GenericRecord record = common(STATUS_CHANGE, nodeId);
        record.put("previous", symbol(STATUS_CHANGE.getField("previous").schema(), "ALIVE"));
        record.put("current", symbol(STATUS_CHANGE.getField("previous").schema(), "DRAINING"));
        record.put("at", AT_MS);
        record.put("reason", symbol(STATUS_CHANGE.getField("reason").schema(), "DRAINED"));
        return encode(STATUS_CHANGE, record);
    }

    /** A newer FailureMessage of {@code nodeId} ({@link #FAILURE_EVENT_ID}): state DRAINING, zone "eu-1", single-object encoded. */
    public static byte[] failure(String nodeId) {
        GenericRecord record = common(FAILURE, nodeId);
        record.put("eventId", FAILURE_EVENT_ID.toString());
        record.put("state", symbol(FAILURE.getField("state").schema(), "DRAINING"));
        record.put("retryAttempts", 2);
        record.put(
                "indirectPeers",
                new GenericData.Array<>(FAILURE.getField("indirectPeers").schema(), List.of("10.0.0.2:7946")));
        record.put("detectedAt", AT_MS);
        return encode(FAILURE, record);
    }

    /** A reader built on the newer schema, which knows no older writer schema but what {@code resolver} finds. */
    public static BinaryMessageDecoder<GenericRecord> newerReader(Schema newer, WriterSchemaResolver resolver) {
        return new BinaryMessageDecoder<>(GenericData.get(), newer, resolver::resolve);
    }

    private static GenericRecord common(Schema schema, String nodeId) {
        GenericRecord record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue()) {
                record.put(field.name(), GenericData.get().getDefaultValue(field));
            }
        }
        record.put("eventId", EVENT_ID.toString());
        record.put("observer", "10.0.0.1:7946");
        record.put("cluster", "prod-eu");
        record.put("nodeId", nodeId);
        record.put("incarnation", 7L);
        record.put("srttMicros", 850L);
        record.put("totalProbes", 120L);
        record.put("lostProbes", 3L);
        record.put("declaredBy", "10.0.0.3:7946");
        record.put("confirmations", 2);
        record.put("zone", "eu-1");
        return record;
    }

    private static GenericData.EnumSymbol symbol(Schema schema, String name) {
        return new GenericData.EnumSymbol(schema, name);
    }

    private static byte[] encode(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            return Arrays.copyOfRange(
                    buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.arrayOffset() + buffer.limit());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
