package io.pulse.events;

/**
 * The headers of every record Pulse publishes; their values are UTF-8 text.
 *
 * <pre>{@code
 * Header id = record.headers().lastHeader(EventHeaders.EVENT_ID);
 * if (seen.add(new String(id.value(), StandardCharsets.UTF_8))) handle(record);
 * }</pre>
 */
public final class EventHeaders {
    /**
     * How the value is encoded: {@value #AVRO_SINGLE_OBJECT}, or {@value #AVRO_CONFLUENT} from a
     * serializer configured for Confluent's wire format. Absent on a tombstone.
     */
    public static final String CONTENT_TYPE = "content-type";
    /** The event id (a UUID), equal to the record's {@code eventId} field; the key for dropping duplicates. */
    public static final String EVENT_ID = "event-id";
    /** One of the {@link EventType#headerValue()}s. */
    public static final String EVENT_TYPE = "event-type";

    /**
     * CloudEvents' Kafka protocol binding, binary mode (CloudEvents 1.0): every record is also a
     * CloudEvent for event routers that speak it (Knative, Argo Events, Debezium-style tooling).
     * {@code content-type} is its {@code datacontenttype}; {@value #CE_ID} is the event id, {@value
     * #CE_TYPE} the {@link EventType#headerValue()}, {@value #CE_SOURCE} {@code pulse://<observer>},
     * {@value #CE_SUBJECT} the node id (the record's key), {@value #CE_TIME} when the event happened
     * (the decision, or the removal; RFC 3339 in UTC, to the millisecond).
     */
    public static final String CE_SPECVERSION = "ce_specversion";

    public static final String CE_ID = "ce_id";
    public static final String CE_SOURCE = "ce_source";
    public static final String CE_TYPE = "ce_type";
    public static final String CE_SUBJECT = "ce_subject";
    public static final String CE_TIME = "ce_time";
    /** The CloudEvents version of {@value #CE_SPECVERSION}. */
    public static final String CLOUDEVENTS_VERSION = "1.0";

    /** The value's content type: Avro single-object encoding (header, schema fingerprint, body). */
    public static final String AVRO_SINGLE_OBJECT = "application/avro;encoding=single-object";

    /** The value's content type in Confluent's wire format (magic byte 0, 4-byte registry schema id, body). */
    public static final String AVRO_CONFLUENT = "application/avro;encoding=confluent";

    private EventHeaders() {}
}
