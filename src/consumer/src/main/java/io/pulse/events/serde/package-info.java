/**
 * Kafka serializers, deserializers and serdes of Pulse's events, for plain Kafka clients, Spring
 * Kafka and Kafka Streams: {@link io.pulse.events.serde.FailureMessageDeserializer},
 * {@link io.pulse.events.serde.StatusChangeDeserializer}, {@link io.pulse.events.serde.PulseEventDeserializer}
 * (dispatches on the {@code event-type} header), their serializers and
 * {@link io.pulse.events.serde.FailureMessageSerde} / {@link io.pulse.events.serde.StatusChangeSerde}.
 *
 * <pre>{@code
 * Properties props = new Properties();
 * props.put("bootstrap.servers", "kafka-1:9092");
 * props.put("group.id", "billing-service");
 * props.put("key.deserializer", StringDeserializer.class.getName());
 * props.put("value.deserializer", PulseEventDeserializer.class.getName());
 * props.put("pulse.topic.prefix", "pulse");
 * }</pre>
 *
 * Settings: {@link io.pulse.events.serde.PulseSerdeConfig}. The serializers write single-object
 * encoding, or Confluent's wire format with {@code pulse.serde.format=confluent} and
 * {@code schema.registry.url}; the deserializers read both (the first byte tells them apart). Nulls: a null value (tombstone)
 * deserializes to null and serializes from null.
 */
package io.pulse.events.serde;
