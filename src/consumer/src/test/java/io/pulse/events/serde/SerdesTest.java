package io.pulse.events.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.events.ChangeReason;
import io.pulse.events.EventCodec;
import io.pulse.events.EventDecodingException;
import io.pulse.events.FailureMessage;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaTopic;
import io.pulse.events.StatusChange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/** The serdes without a broker; with one: {@code PulseDeserializersIT}, {@code SpringKafkaListenerIT}. */
class SerdesTest {
    static final UUID ID = UUID.fromString("11111111-2222-4333-8444-555555555555");
    static final StatusChange CHANGE = StatusChange.newBuilder()
            .setEventId(ID)
            .setObserver("10.0.0.1:7946")
            .setCluster(null)
            .setNodeId("10.0.0.7:7946")
            .setPrevious(NodeState.ALIVE)
            .setCurrent(NodeState.SUSPECT)
            .setReason(ChangeReason.PROBE_ROUND_FAILED)
            .setAt(Instant.ofEpochMilli(1_000))
            .setSrttMicros(null)
            .setClockOffsetMicros(null)
            .setDeclaredBy(null)
            .build();
    static final FailureMessage FAILURE = FailureMessage.newBuilder()
            .setEventId(ID)
            .setObserver("10.0.0.1:7946")
            .setCluster(null)
            .setNodeId("10.0.0.7:7946")
            .setState(NodeState.DEAD)
            .setDetectedAt(Instant.ofEpochMilli(1_000))
            .setInitialConnect(null)
            .setLastConnected(null)
            .setSrttMicros(null)
            .setClockOffsetMicros(null)
            .setDeclaredBy(null)
            .build();

    @Test
    void serializersWriteWhatThePublisherWritesHeadersIncluded() {
        Headers headers = new RecordHeaders().add("event-type", "stale".getBytes(StandardCharsets.UTF_8));
        try (StatusChangeSerializer serializer = new StatusChangeSerializer()) {
            assertArrayEquals(EventCodec.encode(CHANGE), serializer.serialize("pulse.status", headers, CHANGE));
            assertNull(serializer.serialize("pulse.status", new RecordHeaders(), null));
        }
        assertEquals(
                Map.of(
                        "content-type",
                        "application/avro;encoding=single-object",
                        "event-id",
                        ID.toString(),
                        "event-type",
                        "io.pulse.StatusChange"),
                text(headers));
        try (FailureMessageSerializer serializer = new FailureMessageSerializer()) {
            assertArrayEquals(EventCodec.encode(FAILURE), serializer.serialize("pulse.failures", FAILURE));
        }
    }

    @Test
    void serdesRoundTripAndATombstoneIsNull() {
        try (StatusChangeSerde serde = new StatusChangeSerde();
                FailureMessageSerde failures = new FailureMessageSerde()) {
            serde.configure(Map.of(PulseSerdeConfig.SCHEMA_LOOKUP, "false"), false);
            assertEquals(
                    CHANGE,
                    serde.deserializer()
                            .deserialize("pulse.status", serde.serializer().serialize("pulse.status", CHANGE)));
            assertNull(serde.deserializer().deserialize("pulse.status", null));
            assertEquals(
                    FAILURE,
                    failures.deserializer()
                            .deserialize("pulse.failures", failures.serializer().serialize("pulse.failures", FAILURE)));
        }
    }

    @Test
    void theDispatchingDeserializerFollowsTheEventTypeHeader() {
        try (PulseEventDeserializer deserializer = new PulseEventDeserializer()) {
            assertEquals(
                    CHANGE,
                    deserializer.deserialize(
                            "pulse.status", headers("io.pulse.StatusChange"), EventCodec.encode(CHANGE)));
            assertEquals(
                    FAILURE,
                    deserializer.deserialize(
                            "pulse.failures", headers("io.pulse.FailureMessage"), EventCodec.encode(FAILURE)));
            assertNull(deserializer.deserialize("pulse.status", headers("io.pulse.NodeRemoved"), (byte[]) null));
            io.pulse.events.Heartbeat heartbeat = io.pulse.events.Heartbeat.newBuilder()
                    .setEventId(java.util.UUID.randomUUID())
                    .setObserver("10.0.0.1:7946")
                    .setSentAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                    .setStartedAt(java.time.Instant.parse("2026-01-01T00:00:00Z"))
                    .build();
            assertEquals(
                    heartbeat,
                    deserializer.deserialize(
                            "pulse.heartbeats", headers("io.pulse.Heartbeat"), EventCodec.encode(heartbeat)));

            assertEquals(
                    "a record of pulse.status without headers (expected: the event-type header; use "
                            + "FailureMessageDeserializer or StatusChangeDeserializer)",
                    assertThrows(
                                    SerializationException.class,
                                    () -> deserializer.deserialize(
                                            "pulse.status", new RecordHeaders(), EventCodec.encode(CHANGE)))
                            .getMessage());
            assertEquals(
                    "a record of pulse.status: unknown event type \"io.pulse.Other\" (expected one of "
                            + "io.pulse.FailureMessage, io.pulse.StatusChange, io.pulse.NodeRemoved, io.pulse.Heartbeat)",
                    assertThrows(
                                    SerializationException.class,
                                    () -> deserializer.deserialize(
                                            "pulse.status", headers("io.pulse.Other"), EventCodec.encode(CHANGE)))
                            .getMessage());
        }
    }

    @Test
    void anUnconfiguredDeserializerReadsTheShippedSchemasOnlyAndSaysWhatItCannotRead() {
        try (StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> deserializer.deserialize("pulse.status", NewerSchemas.statusChange("10.0.0.7:7946")));
            assertEquals(
                    "cannot deserialize a record of pulse.status: cannot decode io.pulse.events.StatusChange: "
                            + "Cannot resolve schema for fingerprint: "
                            + EventCodec.fingerprint(NewerSchemas.STATUS_CHANGE),
                    e.getMessage());
            assertInstanceOf(EventDecodingException.class, e.getCause());
        }
    }

    @Test
    void configurationIsCheckedWithTheKeyNamed() {
        try (FailureMessageDeserializer deserializer = new FailureMessageDeserializer()) {
            assertEquals(
                    "Invalid value null for configuration bootstrap.servers: is required to read p.schemas "
                            + "(or set pulse.schema.lookup=false)",
                    assertThrows(
                                    ConfigException.class,
                                    () -> deserializer.configure(Map.of(PulseSerdeConfig.TOPIC_PREFIX, "p"), false))
                            .getMessage());
            assertEquals(
                    "Invalid value 0 for configuration pulse.schema.lookup.timeout.ms: Value must be at least 1",
                    assertThrows(
                                    ConfigException.class,
                                    () -> deserializer.configure(
                                            Map.of(
                                                    "bootstrap.servers",
                                                    "127.0.0.1:1",
                                                    PulseSerdeConfig.SCHEMA_LOOKUP_TIMEOUT_MS,
                                                    "0"),
                                            false))
                            .getMessage());
        }
        PulseSerdeConfig config = PulseSerdeConfig.parse(Map.of("bootstrap.servers", "127.0.0.1:1"));
        assertEquals("pulse", config.topicPrefix());
        assertEquals(5_000, config.schemaLookupTimeout().toMillis());
    }

    /** Port 1: nothing listens; the lookup fails within its timeout and says so, and the record fails with it. */
    @Test
    void aLookupThatCannotReachKafkaFailsWithinItsTimeoutWithTheReason() {
        try (StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            deserializer.configure(
                    Map.of("bootstrap.servers", "127.0.0.1:1", PulseSerdeConfig.SCHEMA_LOOKUP_TIMEOUT_MS, "300"),
                    false);
            assertEquals(CHANGE, deserializer.deserialize("pulse.status", EventCodec.encode(CHANGE)));
            SerializationException e = assertThrows(
                    SerializationException.class,
                    () -> deserializer.deserialize("pulse.status", NewerSchemas.statusChange("10.0.0.7:7946")));
            assertEquals(
                    "cannot deserialize a record of pulse.status: cannot decode io.pulse.events.StatusChange: "
                            + "unknown writer schema " + SchemaTopic.key(NewerSchemas.STATUS_CHANGE)
                            + ": cannot read topic "
                            + "pulse.schemas: org.apache.kafka.common.errors.TimeoutException: ",
                    e.getMessage()
                            .substring(
                                    0, e.getMessage().indexOf("TimeoutException: ") + "TimeoutException: ".length()));
        }
    }

    private static Headers headers(String type) {
        return new RecordHeaders().add("event-type", type.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> text(Headers headers) {
        Map<String, String> map = new TreeMap<>();
        for (Header header : headers) {
            map.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return map;
    }
}
