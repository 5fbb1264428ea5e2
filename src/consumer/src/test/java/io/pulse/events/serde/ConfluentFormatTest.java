package io.pulse.events.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.ConfluentFormat;
import io.pulse.events.EventCodec;
import io.pulse.events.EventDecodingException;
import io.pulse.events.FailureMessage;
import io.pulse.events.NewerSchemas;
import io.pulse.events.NodeState;
import io.pulse.events.SchemaRegistryException;
import io.pulse.events.StatusChange;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Confluent's wire format through the serdes, against {@link FakeSchemaRegistry}; with a broker: {@code PulseDeserializersIT}. */
class ConfluentFormatTest {
    private static final StatusChange CHANGE = SerdesTest.CHANGE;
    private static final FailureMessage FAILURE = SerdesTest.FAILURE;

    private FakeSchemaRegistry registry;

    @BeforeEach
    void startRegistry() throws IOException {
        registry = FakeSchemaRegistry.start();
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void theSerializerRegistersUnderTopicValueOnceAndWritesMagicByteIdAndTheAvroBody() {
        Headers headers = new RecordHeaders();
        try (StatusChangeSerializer serializer = new StatusChangeSerializer()) {
            serializer.configure(confluent(), false);
            byte[] value = serializer.serialize("pulse.status", headers, CHANGE);
            byte[] again = serializer.serialize("pulse.status", CHANGE);

            assertEquals(Map.of("pulse.status-value", List.of(1)), registry.subjects());
            assertEquals(
                    List.of("POST /subjects/pulse.status-value/versions"),
                    registry.requests(),
                    "cached after the first");
            byte[] singleObject = EventCodec.encode(CHANGE);
            byte[] expected = ByteBuffer.allocate(5 + singleObject.length - 10)
                    .put((byte) 0)
                    .putInt(1)
                    .put(Arrays.copyOfRange(singleObject, 10, singleObject.length))
                    .array();
            assertArrayEquals(expected, value);
            assertArrayEquals(expected, again);
            assertEquals(
                    "application/avro;encoding=confluent",
                    new String(headers.lastHeader("content-type").value(), StandardCharsets.UTF_8));
        }
        try (FailureMessageSerializer keys = new FailureMessageSerializer()) {
            keys.configure(confluent(), true);
            assertEquals(
                    2,
                    ByteBuffer.wrap(keys.serialize("pulse.failures", FAILURE), 1, 4)
                            .getInt());
            assertEquals(List.of(2), registry.subjects().get("pulse.failures-key"));
        }
    }

    @Test
    void serdesRoundTripInBothFormatsAndEveryDeserializerReadsBoth() {
        try (StatusChangeSerde confluent = new StatusChangeSerde();
                FailureMessageSerde failures = new FailureMessageSerde();
                StatusChangeSerde plain = new StatusChangeSerde();
                PulseEventDeserializer dispatching = new PulseEventDeserializer()) {
            confluent.configure(confluent(), false);
            failures.configure(confluent(), false);
            Map<String, Object> pulseFormat = new HashMap<>(confluent());
            pulseFormat.put(PulseSerdeConfig.FORMAT, "pulse");
            plain.configure(pulseFormat, false);
            dispatching.configure(confluent(), false);

            byte[] confluentValue = confluent.serializer().serialize("pulse.status", CHANGE);
            byte[] plainValue = plain.serializer().serialize("pulse.status", CHANGE);
            assertEquals(0, confluentValue[0]);
            assertArrayEquals(EventCodec.encode(CHANGE), plainValue);
            assertEquals(CHANGE, confluent.deserializer().deserialize("pulse.status", confluentValue));
            assertEquals(CHANGE, confluent.deserializer().deserialize("pulse.status", plainValue));
            assertEquals(CHANGE, plain.deserializer().deserialize("pulse.status", confluentValue));
            assertEquals(CHANGE, plain.deserializer().deserialize("pulse.status", plainValue));
            byte[] failure = failures.serializer().serialize("pulse.failures", FAILURE);
            assertEquals(FAILURE, failures.deserializer().deserialize("pulse.failures", failure));
            assertEquals(
                    FAILURE, dispatching.deserialize("pulse.failures", headers("io.pulse.FailureMessage"), failure));
            assertEquals(
                    CHANGE, dispatching.deserialize("pulse.status", headers("io.pulse.StatusChange"), confluentValue));
            assertEquals(CHANGE, confluent.deserializer().deserialize("pulse.status", confluentValue));
            assertNull(confluent.deserializer().deserialize("pulse.status", null));
            assertEquals(
                    3,
                    registry.requests().stream()
                            .filter(r -> r.equals("GET /schemas/ids/1"))
                            .count(),
                    "once for each of the three deserializers that read id 1: " + registry.requests());
        }
    }

    @Test
    void aNewerWriterSchemaFromTheRegistryIsReadWithTheOlderReader() {
        int id = registry.register("pulse.status-value", NewerSchemas.STATUS_CHANGE);
        byte[] value = ConfluentFormat.frame(id, NewerSchemas.statusChange("10.0.0.9:7946"));
        try (StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            deserializer.configure(confluent(), false);
            StatusChange change = deserializer.deserialize("pulse.status", value);
            assertEquals("10.0.0.9:7946", change.getNodeId());
            assertEquals(NodeState.UNKNOWN, change.getCurrent(), "DRAINING, a symbol this reader lacks");
            assertEquals(NodeState.ALIVE, change.getPrevious());
        }
    }

    @Test
    void aConfluentRecordWithoutARegistryConfiguredSaysWhatItNeeds() {
        byte[] value = ConfluentFormat.frame(7, EventCodec.encode(CHANGE));
        try (StatusChangeDeserializer unconfigured = new StatusChangeDeserializer();
                StatusChangeDeserializer noRegistry = new StatusChangeDeserializer()) {
            noRegistry.configure(Map.of(PulseSerdeConfig.SCHEMA_LOOKUP, "false"), false);
            for (StatusChangeDeserializer deserializer : List.of(unconfigured, noRegistry)) {
                assertEquals(
                        "cannot deserialize a record of pulse.status: it is in Confluent's wire format (schema id 7),"
                                + " which needs schema.registry.url",
                        assertThrows(
                                        SerializationException.class,
                                        () -> deserializer.deserialize("pulse.status", value))
                                .getMessage());
            }
        }
    }

    @Test
    void registryErrorsCarryItsErrorCodeAndMessage() {
        byte[] unknownId = ConfluentFormat.frame(42, EventCodec.encode(CHANGE));
        try (StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            deserializer.configure(confluent(), false);
            SerializationException e = assertThrows(
                    SerializationException.class, () -> deserializer.deserialize("pulse.status", unknownId));
            assertEquals(
                    "cannot deserialize a record of pulse.status: the schema registry answered " + registry.url()
                            + "/schemas/ids/42 with HTTP 404, error_code 40403: Schema 42 not found",
                    e.getMessage());
            assertEquals(
                    40403,
                    assertInstanceOf(SchemaRegistryException.class, e.getCause().getCause())
                            .errorCode(),
                    "an EventDecodingException (a consumer dead-letters it) with the registry's error as its cause");

            EventDecodingException tooShort = assertInstanceOf(
                    EventDecodingException.class,
                    assertThrows(
                                    SerializationException.class,
                                    () -> deserializer.deserialize("pulse.status", new byte[] {0, 0, 1}))
                            .getCause());
            assertEquals(
                    "got 3 bytes (expected: at least 5 bytes of Confluent wire format: magic byte 0 and a "
                            + "4-byte schema id)",
                    tooShort.getMessage());
        }
    }

    @Test
    void basicAuthIsSentWhenConfiguredAndA401IsReported() {
        registry.requireBasicAuth("pulse:secret");
        try (StatusChangeSerializer without = new StatusChangeSerializer();
                StatusChangeSerializer with = new StatusChangeSerializer()) {
            without.configure(confluent(), false);
            SerializationException e =
                    assertThrows(SerializationException.class, () -> without.serialize("pulse.status", CHANGE));
            assertEquals(
                    "cannot serialize a record of pulse.status: the schema registry answered " + registry.url()
                            + "/subjects/pulse.status-value/versions with HTTP 401, error_code 401: Unauthorized",
                    e.getMessage());

            Map<String, Object> configs = new HashMap<>(confluent());
            configs.put(PulseSerdeConfig.BASIC_AUTH_USER_INFO, "pulse:secret");
            with.configure(configs, false);
            assertEquals(0, with.serialize("pulse.status", CHANGE)[0]);
            assertEquals(Map.of("pulse.status-value", List.of(1)), registry.subjects());
        }
    }

    @Test
    void anUnreachableOrSilentRegistryFailsWithinItsTimeoutAndSaysSo() throws IOException {
        CountDownLatch held = registry.holdAnswers();
        Map<String, Object> configs = new HashMap<>(confluent());
        configs.put(PulseSerdeConfig.SCHEMA_LOOKUP_TIMEOUT_MS, "300");
        try (StatusChangeSerializer serializer = new StatusChangeSerializer()) {
            serializer.configure(configs, false);
            assertEquals(
                    "cannot serialize a record of pulse.status: the schema registry did not answer " + registry.url()
                            + "/subjects/pulse.status-value/versions within 300 ms",
                    assertThrows(SerializationException.class, () -> serializer.serialize("pulse.status", CHANGE))
                            .getMessage());
        } finally {
            held.countDown();
        }

        String url = registry.url();
        registry.close();
        try (StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            deserializer.configure(
                    Map.of(PulseSerdeConfig.SCHEMA_LOOKUP, "false", PulseSerdeConfig.SCHEMA_REGISTRY_URL, url), false);
            String message = assertThrows(
                            SerializationException.class,
                            () -> deserializer.deserialize(
                                    "pulse.status", ConfluentFormat.frame(1, EventCodec.encode(CHANGE))))
                    .getMessage();
            assertTrue(
                    message.startsWith(
                            "cannot deserialize a record of pulse.status: cannot reach the schema registry at " + url
                                    + "/schemas/ids/1: java.net.ConnectException"),
                    message);
        }
    }

    @Test
    void configurationNamesTheKey() {
        try (StatusChangeSerializer serializer = new StatusChangeSerializer();
                StatusChangeDeserializer deserializer = new StatusChangeDeserializer()) {
            assertEquals(
                    "Invalid value null for configuration schema.registry.url: is required with "
                            + "pulse.serde.format=confluent",
                    assertThrows(
                                    ConfigException.class,
                                    () -> serializer.configure(Map.of(PulseSerdeConfig.FORMAT, "confluent"), false))
                            .getMessage());
            assertEquals(
                    "Invalid value avro for configuration pulse.serde.format: String must be one of (case "
                            + "insensitive): PULSE, CONFLUENT",
                    assertThrows(
                                    ConfigException.class,
                                    () -> serializer.configure(Map.of(PulseSerdeConfig.FORMAT, "avro"), false))
                            .getMessage());
            assertEquals(
                    "Invalid value registry:8081 for configuration schema.registry.url: expected one http:// or "
                            + "https:// URL",
                    assertThrows(
                                    ConfigException.class,
                                    () -> deserializer.configure(
                                            Map.of(
                                                    PulseSerdeConfig.SCHEMA_LOOKUP,
                                                    "false",
                                                    PulseSerdeConfig.SCHEMA_REGISTRY_URL,
                                                    "registry:8081"),
                                            false))
                            .getMessage());
        }
        PulseSerdeConfig config = PulseSerdeConfig.parse(Map.of(PulseSerdeConfig.SCHEMA_LOOKUP, "false"));
        assertEquals(PulseSerdeConfig.Format.PULSE, config.format());
        assertNull(config.schemaRegistryUrl());
    }

    /** Confluent format, the registry, no schemas-topic lookup (no broker here). */
    private Map<String, Object> confluent() {
        return Map.of(
                PulseSerdeConfig.FORMAT,
                "confluent",
                PulseSerdeConfig.SCHEMA_REGISTRY_URL,
                registry.url(),
                PulseSerdeConfig.SCHEMA_LOOKUP,
                "false");
    }

    private static Headers headers(String type) {
        return new RecordHeaders().add("event-type", type.getBytes(StandardCharsets.UTF_8));
    }
}
