package io.pulse.events;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link WriterSchemaResolver} that reads the schemas topic ({@code <prefix>.schemas}, see
 * {@link SchemaTopic}) when asked for a fingerprint it has not seen.
 *
 * <pre>{@code
 * KafkaWriterSchemas schemas = new KafkaWriterSchemas(Map.of("bootstrap.servers", "kafka-1:9092"),
 *         Topics.schemas("pulse"), KafkaWriterSchemas.DEFAULT_LOOKUP_TIMEOUT);
 * EventDecoder decoder = new EventDecoder(schemas);
 * ...
 * schemas.close();
 * }</pre>
 *
 * <p>Its consumer is created on the first lookup (a reader that only ever sees schemas it ships
 * never connects), is assigned every partition of the topic with no group, and keeps its
 * position: a later lookup reads only what was added since, up to the end offsets of that moment.
 * A lookup waits at most {@code lookupTimeout}. If the topic could not be read (missing, no Read
 * permission, Kafka unreachable), lookups for the next {@code lookupTimeout} fail at once with the
 * same reason, so a run of such records does not stall the caller for a timeout each. A record
 * whose value is no schema, or whose fingerprint is not its key, is skipped and logged.
 * Thread-safe: lookups are serialized.
 */
public final class KafkaWriterSchemas implements WriterSchemaResolver, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaWriterSchemas.class);
    /** How long one lookup may wait for the schemas topic unless told otherwise. */
    public static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(5);

    private static final Duration MAX_POLL = Duration.ofMillis(200);

    private final Map<String, Object> properties;
    private final String topic;
    private final Duration lookupTimeout;
    private final Map<Long, Schema> known = new ConcurrentHashMap<>();
    private final AtomicLong skipped = new AtomicLong();
    private KafkaConsumer<String, byte[]> consumer; // guarded by this
    private List<TopicPartition> partitions; // guarded by this
    private String failure; // guarded by this
    private long failedAtNanos; // guarded by this
    private boolean closed; // guarded by this

    /**
     * @param kafkaProperties Kafka client properties (bootstrap servers, TLS, SASL, ...); those
     *     that are no consumer settings, and a group id, are left out
     * @param topic the schemas topic, {@link Topics#schemas}
     */
    public KafkaWriterSchemas(Map<String, ?> kafkaProperties, String topic, Duration lookupTimeout) {
        Objects.requireNonNull(kafkaProperties, "kafkaProperties");
        if (!kafkaProperties.containsKey(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
            throw new IllegalArgumentException(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG + " is required to read " + topic);
        }
        this.properties = consumerProperties(kafkaProperties);
        this.topic = Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(lookupTimeout, "lookupTimeout");
        if (lookupTimeout.isNegative() || lookupTimeout.isZero()) {
            throw new IllegalArgumentException("lookupTimeout must be > 0 ms, got " + lookupTimeout.toMillis() + " ms");
        }
        this.lookupTimeout = lookupTimeout;
    }

    private static Map<String, Object> consumerProperties(Map<String, ?> given) {
        Map<String, Object> props = new HashMap<>();
        given.forEach((key, value) -> {
            if (ConsumerConfig.configNames().contains(key)) {
                props.put(key, value);
            }
        });
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.remove(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG);
        props.remove(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG);
        props.remove(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG);
        props.computeIfPresent(ConsumerConfig.CLIENT_ID_CONFIG, (key, id) -> id + "-schemas");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        return props;
    }

    public String topic() {
        return topic;
    }

    /** Schema records skipped because their value was no schema or did not match its key. */
    public long skipped() {
        return skipped.get();
    }

    @Override
    public Schema resolve(long fingerprint) {
        Schema schema = known.get(fingerprint);
        if (schema != null) {
            return schema;
        }
        String why = readNew();
        schema = known.get(fingerprint);
        if (schema != null) {
            return schema;
        }
        throw new UnknownWriterSchemaException(
                fingerprint,
                why != null
                        ? why
                        : "neither shipped with this reader nor in topic " + topic
                                + " (is the writer's Pulse older than the schemas topic, or the topic's retention wrong?)");
    }

    /** Reads what the topic gained since the last lookup; null when read to its end, else why not. */
    private synchronized String readNew() {
        if (closed) {
            return "the reader of topic " + topic + " is closed";
        }
        long now = System.nanoTime();
        if (failure != null && now - failedAtNanos < lookupTimeout.toNanos()) {
            return failure;
        }
        long deadline = now + lookupTimeout.toNanos();
        try {
            if (consumer == null) {
                consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new ByteArrayDeserializer());
            }
            if (partitions == null) {
                List<PartitionInfo> infos = consumer.partitionsFor(topic, remaining(deadline));
                if (infos == null || infos.isEmpty()) {
                    return failed("topic " + topic + " does not exist (a publisher creates it at start)");
                }
                List<TopicPartition> assigned = infos.stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
                consumer.assign(assigned);
                consumer.seekToBeginning(assigned);
                partitions = assigned;
            }
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, remaining(deadline)));
            while (true) {
                end.entrySet().removeIf(e -> consumer.position(e.getKey(), remaining(deadline)) >= e.getValue());
                if (end.isEmpty()) {
                    failure = null;
                    return null;
                }
                if (System.nanoTime() >= deadline) {
                    return failed("topic " + topic + " not read to its end within " + lookupTimeout.toMillis() + " ms");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(min(remaining(deadline), MAX_POLL))) {
                    add(record);
                }
            }
        } catch (KafkaException e) {
            return failed("cannot read topic " + topic + ": " + e);
        }
    }

    private String failed(String why) {
        failure = why;
        failedAtNanos = System.nanoTime();
        return why;
    }

    private void add(ConsumerRecord<String, byte[]> record) {
        try {
            Schema schema = SchemaTopic.parse(record.key(), record.value());
            known.putIfAbsent(EventCodec.fingerprint(schema), schema);
        } catch (IllegalArgumentException e) {
            skipped.incrementAndGet();
            LOG.warn(
                    "skipping record {}-{}@{} of the schemas topic: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
        }
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (consumer != null) {
            consumer.close();
            consumer = null;
        }
    }
}
