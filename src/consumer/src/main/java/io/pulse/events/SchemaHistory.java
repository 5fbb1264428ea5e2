package io.pulse.events;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of an event schema, as shipped in this jar
 * ({@code io/pulse/events/schemas/<Record>-v<N>.avsc}, copied from {@code schemas/history/}).
 *
 * <pre>{@code
 * List<Schema> versions = SchemaHistory.released("FailureMessage"); // v1, v2, ... in order
 * }</pre>
 *
 * A released file never changes; a new version is a new file with the next number.
 */
public final class SchemaHistory {
    /** Where the released schemas live on the class path. */
    public static final String RESOURCE_DIR = "io/pulse/events/schemas/";

    private SchemaHistory() {}

    /** The released versions of the record with simple name {@code recordName}, oldest first. */
    public static List<Schema> released(String recordName) {
        List<Schema> versions = new ArrayList<>();
        ClassLoader loader = SchemaHistory.class.getClassLoader();
        for (int version = 1; ; version++) {
            String resource = RESOURCE_DIR + recordName + "-v" + version + ".avsc";
            try (InputStream in = loader.getResourceAsStream(resource)) {
                if (in == null) {
                    return List.copyOf(versions);
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + resource, e);
            }
        }
    }
}
