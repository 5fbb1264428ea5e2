package io.pulse.events;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The records of {@code <prefix>.schemas}: one per writer schema a publisher writes with, so that
 * a reader that does not ship that schema can still resolve it.
 *
 * <pre>{@code
 * Schema schema = StatusChange.getClassSchema();
 * producer.send(new ProducerRecord<>(Topics.schemas("pulse"), SchemaTopic.key(schema), SchemaTopic.value(schema)));
 * }</pre>
 *
 * Key: the fingerprint in single-object encoding's header, as 16 lowercase hex digits of the
 * unsigned 64-bit number (UTF-8). Value: the schema's full JSON text (UTF-8), with its defaults,
 * which schema resolution needs and the fingerprint ignores. The topic is compacted; a key is
 * written again with the same value, so rewriting it is harmless.
 */
public final class SchemaTopic {
    /** The {@code content-type} header of a schema record. */
    public static final String CONTENT_TYPE = "application/vnd.apache.avro+json";

    private SchemaTopic() {}

    /** {@code fingerprint} as 16 lowercase hex digits (unsigned), the key of its record. */
    public static String key(long fingerprint) {
        return String.format(Locale.ROOT, "%016x", fingerprint);
    }

    public static String key(Schema schema) {
        return key(EventCodec.fingerprint(schema));
    }

    public static byte[] value(Schema schema) {
        return schema.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The schema of a record read from the topic; throws {@link IllegalArgumentException} if the
     * value is no schema or its fingerprint is not the key (a record that would make a decoder
     * read with the wrong schema).
     */
    static Schema parse(String key, byte[] value) {
        if (key == null || value == null) {
            throw new IllegalArgumentException("got key " + key + " and " + (value == null ? "no" : "a") + " value"
                    + " (expected: a fingerprint and a schema)");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(new String(value, StandardCharsets.UTF_8));
        } catch (SchemaParseException e) {
            throw new IllegalArgumentException("value of key " + key + " is no Avro schema: " + e.getMessage(), e);
        }
        if (!key(schema).equals(key)) {
            throw new IllegalArgumentException("schema " + schema.getFullName() + " has fingerprint " + key(schema)
                    + " (expected: its key " + key + ")");
        }
        return schema;
    }
}
