package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Both directions at the codec level: today's reader reads what a newer Pulse writes (an extra
 * optional field, extra enum symbols) once it has the writer's schema, and a newer reader reads
 * what today's Pulse writes. Through a real broker: {@code io.pulse.consumer.SchemaTopicIT}.
 */
class ForwardCompatibilityTest {
    private static final String NODE = "10.0.0.7:7946";
    private final Map<Long, Schema> schemaTopic = Map.of(
            EventCodec.fingerprint(NewerSchemas.FAILURE),
            NewerSchemas.FAILURE,
            EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE),
            NewerSchemas.STATUS_CHANGE,
            EventCodec.fingerprint(FailureMessage.getClassSchema()),
            FailureMessage.getClassSchema(),
            EventCodec.fingerprint(StatusChange.getClassSchema()),
            StatusChange.getClassSchema());
    private final WriterSchemaResolver resolver = fingerprint -> schemaTopic.get(fingerprint);

    @Test
    void avrosCheckerCallsTheNewerSchemasCompatibleBothWays() {
        for (Schema[] pair : List.of(
                new Schema[] {FailureMessage.getClassSchema(), NewerSchemas.FAILURE},
                new Schema[] {StatusChange.getClassSchema(), NewerSchemas.STATUS_CHANGE})) {
            assertEquals(
                    SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(pair[0], pair[1])
                            .getType(),
                    "today reads newer");
            assertEquals(
                    SchemaCompatibilityType.COMPATIBLE,
                    SchemaCompatibility.checkReaderWriterCompatibility(pair[1], pair[0])
                            .getType(),
                    "newer reads today");
        }
    }

    @Test
    void todaysReaderReadsANewerStatusChangeWithUnknownSymbolsAsUnknown() {
        StatusChange read = new EventDecoder(resolver).decodeStatusChange(NewerSchemas.statusChange(NODE));

        StatusChange expected = StatusChange.newBuilder()
                .setEventId(NewerSchemas.EVENT_ID)
                .setObserver("10.0.0.1:7946")
                .setCluster("prod-eu")
                .setNodeId(NODE)
                .setPrevious(NodeState.ALIVE)
                .setCurrent(NodeState.UNKNOWN) // DRAINING: the enum's declared default
                .setReason(ChangeReason.UNKNOWN) // DRAINED
                .setIncarnation(7)
                .setAt(Instant.ofEpochMilli(NewerSchemas.AT_MS))
                .setSrttMicros(850L)
                .setTotalProbes(120)
                .setLostProbes(3)
                .setClockOffsetMicros(null)
                .setDeclaredBy("10.0.0.3:7946")
                .setConfirmations(2)
                .build();
        assertEquals(expected, read);
    }

    @Test
    void todaysReaderReadsANewerFailureMessage() {
        FailureMessage read = new EventDecoder(resolver).decodeFailure(NewerSchemas.failure(NODE));

        assertEquals(NodeState.UNKNOWN, read.getState());
        assertEquals(NODE, read.getNodeId());
        assertEquals(List.of("10.0.0.2:7946"), read.getIndirectPeers());
        assertEquals(2, read.getRetryAttempts());
        assertEquals(Instant.ofEpochMilli(NewerSchemas.AT_MS), read.getDetectedAt());
        assertEquals("10.0.0.3:7946", read.getDeclaredBy());
    }

    @Test
    void aNewerReaderReadsTodaysEventsWithItsOwnDefaults() throws IOException {
        StatusChange today = StatusChange.newBuilder()
                .setEventId(NewerSchemas.EVENT_ID)
                .setObserver("10.0.0.1:7946")
                .setCluster(null)
                .setNodeId(NODE)
                .setPrevious(NodeState.SUSPECT)
                .setCurrent(NodeState.LEFT)
                .setReason(ChangeReason.LEFT)
                .setAt(Instant.ofEpochMilli(NewerSchemas.AT_MS))
                .setSrttMicros(null)
                .setClockOffsetMicros(null)
                .setDeclaredBy(null)
                .build();

        GenericRecord read =
                NewerSchemas.newerReader(NewerSchemas.STATUS_CHANGE, resolver).decode(EventCodec.encode(today));

        assertEquals("LEFT", read.get("current").toString());
        assertEquals("LEFT", read.get("reason").toString());
        assertEquals(NODE, read.get("nodeId").toString());
        assertEquals(NewerSchemas.AT_MS, read.get("at"));
        assertNull(read.get("zone"));
    }

    @Test
    void withoutTheWritersSchemaTheErrorSaysWhyAndNamesTheFingerprint() {
        long fingerprint = EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE);
        EventDecoder decoder = new EventDecoder(f -> {
            throw new UnknownWriterSchemaException(f, "not in topic pulse.schemas");
        });

        EventDecodingException e = assertThrows(
                EventDecodingException.class, () -> decoder.decodeStatusChange(NewerSchemas.statusChange(NODE)));
        assertEquals(
                "cannot decode io.pulse.events.StatusChange: unknown writer schema " + SchemaTopic.key(fingerprint)
                        + ": not in topic pulse.schemas",
                e.getMessage());

        EventDecodingException none = assertThrows(
                EventDecodingException.class,
                () -> new EventDecoder(f -> null).decodeStatusChange(NewerSchemas.statusChange(NODE)));
        assertEquals(
                "cannot decode io.pulse.events.StatusChange: unknown writer schema " + SchemaTopic.key(fingerprint)
                        + ": the resolver has none",
                none.getMessage());
    }

    @Test
    void aResolverThatAnswersAnotherSchemaIsRefused() {
        EventDecoder decoder = new EventDecoder(f -> NewerSchemas.FAILURE);

        EventDecodingException e = assertThrows(
                EventDecodingException.class, () -> decoder.decodeStatusChange(NewerSchemas.statusChange(NODE)));
        assertEquals(
                "cannot decode io.pulse.events.StatusChange: unknown writer schema "
                        + SchemaTopic.key(NewerSchemas.STATUS_CHANGE)
                        + ": the resolver answered io.pulse.events.FailureMessage "
                        + SchemaTopic.key(NewerSchemas.FAILURE),
                e.getMessage());
    }

    @Test
    void aResolvedSchemaIsAskedForOnceAndReleasedOnesNever() {
        AtomicInteger asked = new AtomicInteger();
        EventDecoder decoder = new EventDecoder(f -> {
            asked.incrementAndGet();
            return schemaTopic.get(f);
        });

        for (int i = 0; i < 3; i++) {
            decoder.decodeStatusChange(NewerSchemas.statusChange(NODE));
            decoder.decodeStatusChange(EventCodec.encode(decoder.decodeStatusChange(NewerSchemas.statusChange(NODE))));
        }
        assertEquals(1, asked.get());
    }

    @Test
    void theSchemaTopicKeyIsTheUnsignedFingerprintInHex() {
        assertEquals("ffffffffffffffff", SchemaTopic.key(-1L));
        assertEquals("000000000000002a", SchemaTopic.key(42L));
        assertEquals(
                NewerSchemas.STATUS_CHANGE,
                SchemaTopic.parse(
                        SchemaTopic.key(NewerSchemas.STATUS_CHANGE), SchemaTopic.value(NewerSchemas.STATUS_CHANGE)));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> SchemaTopic.parse(
                        SchemaTopic.key(NewerSchemas.FAILURE), SchemaTopic.value(NewerSchemas.STATUS_CHANGE)));
        assertEquals(
                "schema io.pulse.events.StatusChange has fingerprint " + SchemaTopic.key(NewerSchemas.STATUS_CHANGE)
                        + " (expected: its key " + SchemaTopic.key(NewerSchemas.FAILURE) + ")",
                e.getMessage());
    }
}
