/**
 * The events Pulse publishes, as Avro records: {@link io.pulse.events.FailureMessage} and
 * {@link io.pulse.events.StatusChange}, generated from {@code schemas/*.avsc} (the contract with
 * every consumer), the topic names ({@link io.pulse.events.Topics}) and the single-object codec
 * ({@link io.pulse.events.EventCodec}), and the reader of the writer schemas topic. It depends on
 * Avro and kafka-clients, no other Pulse package: the mapping from the detector's own events is the
 * publisher's ({@code io.pulse.kafka.EventMapper}).
 *
 * <h2>Wire form of a value</h2>
 * Avro single-object encoding: {@code C3 01}, the 8-byte little-endian CRC-64-AVRO fingerprint of
 * the writer schema's parsing canonical form, then the Avro binary body. A consumer needs no
 * registry: it keeps every released schema (they ship in this jar under
 * {@code io/pulse/events/schemas/}) and picks the writer schema by fingerprint. A schema it does
 * not ship (a newer Pulse's) it finds in the compacted {@code <prefix>.schemas} topic, where every
 * publisher writes its writer schemas before its first event ({@link io.pulse.events.SchemaTopic},
 * {@link io.pulse.events.KafkaWriterSchemas}, {@link io.pulse.events.EventDecoder}).
 *
 * <h2>Evolution</h2>
 * A new schema version must read every released one (the build checks it). The fingerprint
 * ignores logical types, defaults and docs, so two versions that differ only there share a
 * fingerprint: never change a field's logical type in place; add a new field instead.
 *
 * <p>Nulls: parameters and results are non-null unless their javadoc says otherwise. This package
 * does not depend on Netty; of Kafka it uses kafka-clients only, to read the schemas topic
 * (Kafka serializers and deserializers are in {@link io.pulse.events.serde}).
 */
package io.pulse.events;
