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

    /** The value's content type: Avro single-object encoding (header, schema fingerprint, body). */
    public static final String AVRO_SINGLE_OBJECT = "application/avro;encoding=single-object";

    /** The value's content type in Confluent's wire format (magic byte 0, 4-byte registry schema id, body). */
    public static final String AVRO_CONFLUENT = "application/avro;encoding=confluent";

    private EventHeaders() {}
}
