package io.pulse.events;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * A datum for any schema, with a distinct non-default value in every field (the last enum symbol,
 * the non-null branch of a union), so that a field read back from its default would show.
 */
final class SampleData {
    private SampleData() {}

    static Object of(Schema schema) {
        return of(schema, "root", 1);
    }

    private static Object of(Schema schema, String name, int seed) {
        switch (schema.getType()) {
            case RECORD: {
                GenericRecord record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.name(), of(field.schema(), field.name(), seed + field.pos() + 1));
                }
                return record;
            }
            case UNION: {
                Schema branch = schema.getTypes().stream()
                        .filter(s -> s.getType() != Schema.Type.NULL)
                        .findFirst()
                        .orElse(schema.getTypes().get(0));
                return of(branch, name, seed);
            }
            case ENUM:
                return new GenericData.EnumSymbol(
                        schema,
                        schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1));
            case ARRAY:
                return new GenericData.Array<>(schema, List.of(of(schema.getElementType(), name, seed)));
            case MAP: {
                Map<String, Object> map = new HashMap<>();
                map.put("k-" + name, of(schema.getValueType(), name, seed));
                return map;
            }
            case STRING:
                return "uuid".equals(logicalType(schema)) ? new UUID(seed, seed).toString() : name + "-" + seed;
            case LONG:
                return 1_700_000_000_000L + seed;
            case INT:
                return seed;
            case BOOLEAN:
                return true;
            case DOUBLE:
                return seed + 0.5;
            case FLOAT:
                return seed + 0.25f;
            case BYTES:
                return ByteBuffer.wrap(new byte[] {(byte) seed});
            case FIXED:
                return new GenericData.Fixed(schema, new byte[schema.getFixedSize()]);
            case NULL:
                return null;
            default:
                throw new IllegalArgumentException("no sample for " + schema.getType());
        }
    }

    private static String logicalType(Schema schema) {
        return schema.getLogicalType() == null ? null : schema.getLogicalType().getName();
    }
}
