package io.pulse.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The consumer library needs only kafka-clients and the generated event classes: every class it
 * references, read from the compiled classes' constant pools, is from an allowed package.
 */
class ConsumerDependenciesTest {
    private static final List<String> ALLOWED = List.of(
            "java/", "javax/", "org/apache/kafka/clients/", "org/apache/kafka/common/", "org/slf4j/",
            "io/pulse/consumer/", "io/pulse/events/");

    @Test
    void referencesNoNettyNoEngineNoPublisher() throws Exception {
        Path root = Paths.get(PulseConsumer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path dir = root.resolve("io/pulse/consumer");
        Set<String> referenced = new TreeSet<>();
        List<Path> classes;
        try (Stream<Path> files = Files.list(dir)) {
            classes = files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList());
        }
        assertTrue(classes.size() >= 5, "found the compiled consumer classes: " + classes);
        for (Path file : classes) {
            try (InputStream in = Files.newInputStream(file)) {
                referenced.addAll(classNames(in));
            }
        }
        List<String> bad = referenced.stream()
                .filter(name -> ALLOWED.stream().noneMatch(name::startsWith))
                .collect(Collectors.toList());
        assertEquals(List.of(), bad, "io.pulse.consumer may use only kafka-clients and io.pulse.events");
        assertTrue(referenced.contains("org/apache/kafka/clients/consumer/KafkaConsumer"), referenced.toString());
    }

    /** The class names a class file refers to (CONSTANT_Class entries, array and descriptor forms unwrapped). */
    static List<String> classNames(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        if (data.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        data.readUnsignedShort();
        data.readUnsignedShort();
        int count = data.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        List<Integer> descriptorIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = data.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = data.readUTF();
                case 7 -> classIndexes.add(data.readUnsignedShort());
                case 8, 16, 19, 20 -> data.readUnsignedShort();
                case 3, 4 -> data.readInt();
                case 5, 6 -> {
                    data.readLong();
                    i++;
                }
                case 9, 10, 11, 18, 17 -> data.readInt();
                case 12 -> {
                    data.readUnsignedShort();
                    descriptorIndexes.add(data.readUnsignedShort());
                }
                case 15 -> {
                    data.readUnsignedByte();
                    data.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        List<String> names = new ArrayList<>();
        for (int index : classIndexes) {
            String name = utf8[index];
            names.add(name.startsWith("[") ? name.replaceAll("^\\[+L?", "").replace(";", "") : name);
        }
        for (int index : descriptorIndexes) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("L([^;]+);").matcher(utf8[index]);
            while (m.find()) {
                names.add(m.group(1));
            }
        }
        names.removeIf(name -> name.length() <= 1); // primitive array element types
        return names;
    }
}
