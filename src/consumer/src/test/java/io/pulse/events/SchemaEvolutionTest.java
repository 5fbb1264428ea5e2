package io.pulse.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The build's schema-evolution gate: the current schema is released, reads data written with
 * every released version, every released version reads data written with it (an older consumer
 * that finds the writer schema in the schemas topic resolves it), and no two released versions share a fingerprint while differing in
 * logical types (the fingerprint cannot tell them apart).
 */
class SchemaEvolutionTest {

    record Event(String name, Schema current, Function<byte[], SpecificRecordBase> decoder) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Event> events() {
        return Stream.of(
                new Event("FailureMessage", FailureMessage.getClassSchema(), EventCodec::decodeFailure),
                new Event("StatusChange", StatusChange.getClassSchema(), EventCodec::decodeStatusChange),
                new Event("Heartbeat", Heartbeat.getClassSchema(), EventCodec::decodeHeartbeat));
    }

    static Stream<Arguments> releasedVersions() {
        return events().flatMap(event -> {
            List<Schema> versions = SchemaHistory.released(event.name());
            List<Arguments> arguments = new ArrayList<>();
            for (int i = 0; i < versions.size(); i++) {
                arguments.add(Arguments.of(event, i + 1, versions.get(i)));
            }
            return arguments.stream();
        });
    }

    @ParameterizedTest
    @MethodSource("events")
    void currentSchemaIsTheNewestReleasedVersion(Event event) throws IOException {
        Schema.Parser parser = new Schema.Parser();
        parser.parse(Path.of("schemas/NodeState.avsc").toFile());
        parser.parse(Path.of("schemas/ChangeReason.avsc").toFile());
        Schema source =
                parser.parse(Path.of("schemas/" + event.name() + ".avsc").toFile());
        List<Schema> released = SchemaHistory.released(event.name());

        assertFalse(released.isEmpty(), "no released version of " + event.name() + " in schemas/history");
        if (!source.equals(released.get(released.size() - 1))) {
            fail("schemas/" + event.name() + ".avsc differs from schemas/history/" + event.name() + "-v"
                    + released.size() + ".avsc: release it as " + event.name() + "-v" + (released.size() + 1)
                    + ".avsc");
        }
        assertEquals(EventCodec.fingerprint(source), EventCodec.fingerprint(event.current()));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("releasedVersions")
    void currentSchemaReadsDataWrittenWithReleasedVersion(Event event, int version, Schema writer) throws IOException {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(event.current(), writer);
        assertEquals(
                SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                compatibility.getType(),
                () -> event.name() + " cannot read v" + version + ": " + compatibility.getDescription());

        GenericRecord written = (GenericRecord) SampleData.of(writer);
        ByteBuffer bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), writer).encode(written);
        SpecificRecordBase read = event.decoder().apply(bytes.array());

        GenericRecord readBack = asGeneric(read);
        for (Schema.Field field : writer.getFields()) {
            if (event.current().getField(field.name()) != null) {
                assertEquals(
                        String.valueOf(written.get(field.name())),
                        String.valueOf(readBack.get(field.name())),
                        () -> event.name() + " v" + version + " field " + field.name());
            }
        }
    }

    /** Forward compatibility: what a newer Pulse writes, an older reader can read (ForwardCompatibilityTest shows how). */
    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("releasedVersions")
    void releasedVersionReadsDataWrittenWithTheCurrentSchema(Event event, int version, Schema reader) {
        SchemaCompatibility.SchemaPairCompatibility compatibility =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, event.current());
        assertEquals(
                SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE,
                compatibility.getType(),
                () -> event.name() + " v" + version + " cannot read the current schema's data, so consumers of v"
                        + version + " would dead-letter it: " + compatibility.getDescription());
    }

    @ParameterizedTest
    @MethodSource("events")
    void releasedVersionsSharingAFingerprintAgreeOnLogicalTypes(Event event) {
        List<Schema> versions = SchemaHistory.released(event.name());
        for (int i = 0; i < versions.size(); i++) {
            for (int j = i + 1; j < versions.size(); j++) {
                if (EventCodec.fingerprint(versions.get(i)) == EventCodec.fingerprint(versions.get(j))) {
                    assertEquals(
                            logicalTypes(versions.get(i)),
                            logicalTypes(versions.get(j)),
                            event.name() + " v" + (i + 1) + " and v" + (j + 1)
                                    + " share a fingerprint but differ in logical types; add a field instead");
                }
            }
        }
    }

    /** The current-schema record, re-read without conversions, so it compares field by field with the sample. */
    private static GenericRecord asGeneric(SpecificRecordBase record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<SpecificRecordBase>(record.getSchema()).write(record, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(record.getSchema())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static String logicalTypes(Schema schema) {
        StringBuilder out = new StringBuilder();
        collectLogicalTypes(schema, schema.getFullName(), out);
        return out.toString();
    }

    private static void collectLogicalTypes(Schema schema, String path, StringBuilder out) {
        if (schema.getLogicalType() != null) {
            out.append(path)
                    .append('=')
                    .append(schema.getLogicalType().getName())
                    .append('\n');
        }
        switch (schema.getType()) {
            case RECORD -> schema.getFields().forEach(f -> collectLogicalTypes(f.schema(), path + "." + f.name(), out));
            case ARRAY -> collectLogicalTypes(schema.getElementType(), path + "[]", out);
            case MAP -> collectLogicalTypes(schema.getValueType(), path + "{}", out);
            case UNION -> {
                for (int i = 0; i < schema.getTypes().size(); i++) {
                    collectLogicalTypes(schema.getTypes().get(i), path + "|" + i, out);
                }
            }
            default -> {}
        }
    }
}
