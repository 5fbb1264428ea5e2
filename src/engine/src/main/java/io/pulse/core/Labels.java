package io.pulse.core;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a member says about itself besides its address: the service, namespace, zone, pod and the
 * like. They travel with the member's join, live in every configuration that holds it, and go
 * into its events, so that a page names a service and not only {@code 10.0.3.7:7946}.
 *
 * <pre>{@code
 * Labels labels = Labels.of(Map.of("service", "billing", "zone", "eu-west-1a"));
 * }</pre>
 *
 * <p>Bounded, because they ride in datagrams: at most {@value #MAX_ENTRIES} entries, keys of 1 to
 * {@value #MAX_KEY_BYTES} characters from {@code [A-Za-z0-9._/-]}, values of at most
 * {@value #MAX_VALUE_BYTES} bytes of UTF-8, {@value #MAX_ENCODED_BYTES} bytes in all as encoded.
 * Immutable, ordered by key.
 */
public final class Labels {
    public static final int MAX_ENTRIES = 16;
    public static final int MAX_KEY_BYTES = 63;
    public static final int MAX_VALUE_BYTES = 127;
    /** The encoded size limit: a count byte, then per entry a length byte and the key, a length byte and the value. */
    public static final int MAX_ENCODED_BYTES = 512;

    public static final Labels NONE = new Labels(Collections.emptySortedMap());
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._/-]{1," + MAX_KEY_BYTES + "}");

    private final SortedMap<String, String> entries;

    private Labels(SortedMap<String, String> entries) {
        this.entries = entries;
    }

    /** @throws IllegalArgumentException naming the key, value or limit that is exceeded */
    public static Labels of(Map<String, String> labels) {
        Objects.requireNonNull(labels, "labels");
        if (labels.isEmpty()) {
            return NONE;
        }
        if (labels.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException(labels.size() + " labels (expected: at most " + MAX_ENTRIES + ")");
        }
        SortedMap<String, String> sorted = new TreeMap<>();
        int bytes = 1;
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String key = Objects.requireNonNull(e.getKey(), "label key");
            String value = Objects.requireNonNull(e.getValue(), "value of label " + key);
            if (!KEY.matcher(key).matches()) {
                throw new IllegalArgumentException("label key \"" + key + "\" (expected: 1.." + MAX_KEY_BYTES
                        + " characters of A-Z a-z 0-9 . _ / -)");
            }
            int valueBytes = value.getBytes(StandardCharsets.UTF_8).length;
            if (valueBytes > MAX_VALUE_BYTES) {
                throw new IllegalArgumentException("label " + key + " has a value of " + valueBytes
                        + " bytes (expected: at most " + MAX_VALUE_BYTES + ")");
            }
            bytes += 2 + key.length() + valueBytes;
            sorted.put(key, value);
        }
        if (bytes > MAX_ENCODED_BYTES) {
            throw new IllegalArgumentException(
                    "labels of " + bytes + " bytes encoded (expected: at most " + MAX_ENCODED_BYTES + ")");
        }
        return new Labels(Collections.unmodifiableSortedMap(sorted));
    }

    /** The labels, ordered by key. */
    public SortedMap<String, String> asMap() {
        return entries;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** The encoded size: a count byte, then each key and value with a length byte. */
    public int encodedBytes() {
        int bytes = 1;
        for (Map.Entry<String, String> e : entries.entrySet()) {
            bytes += 2 + e.getKey().length() + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Labels other && entries.equals(other.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return entries.toString();
    }
}
