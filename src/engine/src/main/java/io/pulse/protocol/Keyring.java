package io.pulse.protocol;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that authenticate datagrams: several installed, each in a numbered slot (1..255), one of
 * them primary. Datagrams are signed with the primary key and accepted under any installed key,
 * which is what lets a key be rotated without downtime (install everywhere, make it primary
 * everywhere, remove the old one everywhere).
 *
 * <pre>{@code
 * Keyring ring = Keyring.parse(Files.readString(Path.of("/run/secrets/pulse-keys")), "prod-eu");
 * // the file:  # id  key (base64, 16 to 64 bytes)  [primary]
 * //            1     3q2+7w...                    primary
 * //            2     yv66vg...
 * }</pre>
 *
 * <p>The cluster {@code label} is bound into every MAC: each slot's MAC key is
 * HMAC-SHA-256(key, "pulse-mac-v1" || 0 || label), so two clusters that share a network, or even a
 * key, but not a label never accept each other's datagrams. Immutable; {@link #toString()} never
 * shows key material.
 */
public final class Keyring {
    /** Shortest key accepted: 128 bits. {@link #generateKey()} makes 256-bit ones. */
    public static final int MIN_KEY_BYTES = 16;

    public static final int MAX_KEY_BYTES = 64;
    static final String MAC_ALGORITHM = "HmacSHA256";
    private static final byte[] DERIVATION_PREFIX = "pulse-mac-v1\0".getBytes(StandardCharsets.US_ASCII);

    private final SortedMap<Integer, SecretKeySpec> macKeys;
    private final int primary;
    private final String label;
    /** One Mac per key and thread: Mac is not thread-safe, and init is the expensive part. */
    private final ThreadLocal<Mac[]> macs;

    private Keyring(SortedMap<Integer, SecretKeySpec> macKeys, int primary, String label) {
        this.macKeys = macKeys;
        this.primary = primary;
        this.label = label;
        this.macs = ThreadLocal.withInitial(() -> new Mac[256]);
    }

    /**
     * @param keys    raw keys by slot id (1..255), each {@value #MIN_KEY_BYTES}..{@value #MAX_KEY_BYTES} bytes
     * @param primary the slot that signs; it must be one of {@code keys}
     * @param label   the cluster label, possibly empty; at most 255 bytes of UTF-8
     * @throws IllegalArgumentException naming the slot or the label that is wrong
     */
    public static Keyring of(SortedMap<Integer, byte[]> keys, int primary, String label) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(label, "label");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyring needs at least one key");
        }
        byte[] labelBytes = label.getBytes(StandardCharsets.UTF_8);
        if (labelBytes.length > 255) {
            throw new IllegalArgumentException("label of " + labelBytes.length + " bytes (expected: at most 255)");
        }
        SortedMap<Integer, SecretKeySpec> derived = new TreeMap<>();
        for (var entry : keys.entrySet()) {
            int id = entry.getKey();
            byte[] key = entry.getValue();
            if (id < 1 || id > 255) {
                throw new IllegalArgumentException("key id " + id + " (expected: 1..255)");
            }
            if (key.length < MIN_KEY_BYTES || key.length > MAX_KEY_BYTES) {
                throw new IllegalArgumentException("key " + id + " has " + key.length + " bytes (expected: "
                        + MIN_KEY_BYTES + ".." + MAX_KEY_BYTES + ")");
            }
            derived.put(id, derive(key, labelBytes));
        }
        if (!derived.containsKey(primary)) {
            throw new IllegalArgumentException(
                    "primary key " + primary + " is not installed (installed: " + derived.keySet() + ")");
        }
        return new Keyring(Collections.unmodifiableSortedMap(derived), primary, label);
    }

    /**
     * Reads a keys file: one key a line, {@code <id> <base64 key> [primary]}; blank lines and lines
     * starting with {@code #} are skipped. With one key, it is the primary; with several, exactly one
     * line says {@code primary}.
     *
     * @throws IllegalArgumentException naming the line that is wrong (never quoting a key)
     */
    public static Keyring parse(String text, String label) {
        SortedMap<Integer, byte[]> keys = new TreeMap<>();
        Integer primary = null;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = "keys line " + (n + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length < 2 || fields.length > 3 || (fields.length == 3 && !fields[2].equals("primary"))) {
                throw new IllegalArgumentException(
                        where + "expected <id> <base64 key> [primary], got " + fields.length + " fields");
            }
            int id;
            try {
                id = Integer.parseInt(fields[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where + "key id is not a number (expected: 1..255)");
            }
            byte[] key;
            try {
                key = Base64.getDecoder().decode(fields[1]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "key " + id + " is not base64");
            }
            if (keys.put(id, key) != null) {
                throw new IllegalArgumentException(where + "key id " + id + " appears twice");
            }
            if (fields.length == 3) {
                if (primary != null) {
                    throw new IllegalArgumentException(where + "a second primary key (" + primary + " is primary)");
                }
                primary = id;
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys (expected: lines of <id> <base64 key> [primary])");
        }
        if (primary == null) {
            if (keys.size() > 1) {
                throw new IllegalArgumentException(keys.size() + " keys and none marked primary (expected: "
                        + "exactly one line ending in 'primary')");
            }
            primary = keys.firstKey();
        }
        try {
            return of(keys, primary, label);
        } finally {
            keys.values().forEach(key -> Arrays.fill(key, (byte) 0));
        }
    }

    /** A new random 256-bit key, base64, for a keys file line. */
    public static String generateKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public int primary() {
        return primary;
    }

    public SortedSet<Integer> ids() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(macKeys.keySet()));
    }

    public String label() {
        return label;
    }

    boolean has(int id) {
        return macKeys.containsKey(id);
    }

    /** The calling thread's Mac for slot {@code id}, ready for update/doFinal; null if not installed. */
    Mac mac(int id) {
        Mac[] perThread = macs.get();
        Mac mac = perThread[id];
        if (mac == null) {
            SecretKeySpec key = macKeys.get(id);
            if (key == null) {
                return null;
            }
            mac = newMac(key);
            perThread[id] = mac;
        }
        return mac;
    }

    private static SecretKeySpec derive(byte[] key, byte[] label) {
        Mac mac = newMac(new SecretKeySpec(key, MAC_ALGORITHM));
        mac.update(DERIVATION_PREFIX);
        mac.update(label);
        return new SecretKeySpec(mac.doFinal(), MAC_ALGORITHM);
    }

    private static Mac newMac(SecretKeySpec key) {
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC_ALGORITHM + " is part of every Java runtime", e);
        }
    }

    /** Equal tags, compared in constant time. */
    static boolean tagsEqual(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    @Override
    public String toString() {
        return "Keyring[ids=" + macKeys.keySet() + ", primary=" + primary + ", label=" + label + "]";
    }
}
