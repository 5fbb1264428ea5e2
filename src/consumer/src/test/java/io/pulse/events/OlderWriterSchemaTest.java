package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

/**
 * The evolution gate with a writer genuinely older than the current schema: a fixture
 * ({@code fixtures/FailureMessage-older.avsc}, never released) lacks five optional fields. Data
 * written with it must decode once the schema is in the decoder's history, the new fields at
 * their defaults, and must be refused, with the fingerprint named, while it is not.
 */
class OlderWriterSchemaTest {
    private static final UUID EVENT_ID = UUID.fromString("6f1c2a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f");
    private static final long DETECTED_AT_MS = 1_767_225_600_000L;

    @Test
    void theCurrentDecoderReadsAnOlderFailureMessageWithTheNewFieldsAtTheirDefaults() throws IOException {
        Schema older = olderFailureMessage();
        BinaryMessageDecoder<FailureMessage> decoder = EventCodec.withHistory(
                FailureMessage.createDecoder(null), FailureMessage.getClassSchema(), List.of(older));

        FailureMessage read = decoder.decode(writtenWith(older));

        FailureMessage expected = FailureMessage.newBuilder()
                .setEventId(EVENT_ID)
                .setObserver("10.0.0.1:7946")
                .setNodeId("10.0.0.7:7946")
                .setState(NodeState.DEAD)
                .setIncarnation(4)
                .setInitialConnect(null)
                .setLastConnected(Instant.ofEpochMilli(DETECTED_AT_MS - 3_000))
                .setDetectedAt(Instant.ofEpochMilli(DETECTED_AT_MS))
                .setSrttMicros(850L)
                .setTotalProbes(120)
                // not in the older schema: their defaults
                .setCluster(null)
                .setRetryAttempts(0)
                .setIndirectPeers(List.of())
                .setClockOffsetMicros(null)
                .setLostProbes(0)
                .build();
        assertEquals(expected, read);
    }

    @Test
    void withoutTheOlderSchemaInItsHistoryTheDecoderNamesTheUnknownFingerprint() throws IOException {
        Schema older = olderFailureMessage();
        assertNotEquals(EventCodec.fingerprint(FailureMessage.getClassSchema()), EventCodec.fingerprint(older));

        EventDecodingException e =
                assertThrows(EventDecodingException.class, () -> EventCodec.decodeFailure(writtenWith(older)));
        assertEquals(
                "cannot decode io.pulse.events.FailureMessage: Cannot resolve schema for fingerprint: "
                        + EventCodec.fingerprint(older),
                e.getMessage());
    }

    private static Schema olderFailureMessage() throws IOException {
        try (InputStream in = OlderWriterSchemaTest.class.getResourceAsStream("fixtures/FailureMessage-older.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    /** One FailureMessage in single-object encoding, as a publisher built on {@code schema} would write it. */
    private static byte[] writtenWith(Schema schema) throws IOException {
        GenericRecord record = new GenericData.Record(schema);
        record.put("eventId", EVENT_ID.toString());
        record.put("observer", "10.0.0.1:7946");
        record.put("nodeId", "10.0.0.7:7946");
        record.put("state", new GenericData.EnumSymbol(schema.getField("state").schema(), "DEAD"));
        record.put("incarnation", 4L);
        record.put("initialConnect", null);
        record.put("lastConnected", DETECTED_AT_MS - 3_000);
        record.put("detectedAt", DETECTED_AT_MS);
        record.put("srttMicros", 850L);
        record.put("totalProbes", 120L);
        ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
        return Arrays.copyOfRange(
                buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.arrayOffset() + buffer.limit());
    }
}
