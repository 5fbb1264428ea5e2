package io.pulse.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What every benchmark prints about the machine it ran on, and its {@code --key value} flags. */
public final class Machine {
    private Machine() {}

    /** The CPU's model name from /proc/cpuinfo, or the architecture where it cannot be read. */
    public static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse(System.getProperty("os.arch"));
        } catch (IOException e) {
            return System.getProperty("os.arch");
        }
    }

    /** One line naming the machine: CPU, cores, maximum heap, operating system and Java. */
    public static String describe() {
        return String.format(
                "%s, %d cores, %d MiB max heap, %s %s %s, Java %s (%s)",
                cpuModel(),
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20,
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch"),
                System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }

    /** The 1, 5 and 15 minute load averages, or "n/a". */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return fields[0] + " " + fields[1] + " " + fields[2];
        } catch (IOException e) {
            return "n/a";
        }
    }

    /** {@code --key value} pairs, each key one of {@code known}; anything else throws with {@code usage}. */
    public static Map<String, String> options(String[] args, List<String> known, String usage) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String key = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (key == null || !known.contains(key) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: " + usage + "; got " + new ArrayList<>(List.of(args)));
            }
            options.put(key, args[++i]);
        }
        return options;
    }
}
