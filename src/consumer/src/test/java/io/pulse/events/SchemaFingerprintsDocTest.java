package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/**
 * The fingerprints listed in {@code schemas/README.md} are those of the released schemas, every
 * one of them and no other: a consumer in another language copies them from there.
 */
class SchemaFingerprintsDocTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([A-Za-z]+-v\\d+)\\.avsc` \\|.*$", Pattern.MULTILINE);

    @Test
    void theReadmeListsTheFingerprintOfEveryReleasedSchema() throws IOException {
        String readme = Files.readString(Path.of("schemas/README.md"));
        List<String> expected = new ArrayList<>();
        for (String record : List.of("FailureMessage", "StatusChange", "Heartbeat")) {
            List<Schema> versions = SchemaHistory.released(record);
            for (int i = 0; i < versions.size(); i++) {
                expected.add(row(record + "-v" + (i + 1), versions.get(i)));
            }
        }
        List<String> listed = new ArrayList<>();
        Matcher rows = ROW.matcher(readme);
        while (rows.find()) {
            listed.add(rows.group());
        }
        assertEquals(
                String.join("\n", expected),
                String.join("\n", listed),
                "schemas/README.md, table \"Fingerprints\": rows as expected");
    }

    /** One row of the table: file, schemas-topic key, and the 8 bytes as they follow C3 01 in a value. */
    static String row(String name, Schema schema) {
        long fingerprint = EventCodec.fingerprint(schema);
        byte[] header = ByteBuffer.allocate(8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(fingerprint)
                .array();
        return "| `" + name + ".avsc` | `" + SchemaTopic.key(fingerprint) + "` | `"
                + HexFormat.ofDelimiter(" ").formatHex(header) + "` |";
    }
}
