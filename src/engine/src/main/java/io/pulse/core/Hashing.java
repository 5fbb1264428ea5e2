package io.pulse.core;

import java.net.InetSocketAddress;

/** The hashes that place members on rings and rank them: SplitMix64, spread well over neighbouring addresses. */
final class Hashing {
    private Hashing() {}

    /** A hash of an address's bytes and port. */
    static long address(InetSocketAddress address) {
        long h = 0x9E3779B97F4A7C15L;
        for (byte b : address.getAddress().getAddress()) {
            h = mix(h + (b & 0xff));
        }
        return mix(h + address.getPort());
    }

    /** A hash of a text, such as a static target's id. */
    static long text(String text) {
        long h = 0x9E3779B97F4A7C15L;
        for (int i = 0; i < text.length(); i++) {
            h = mix(h + text.charAt(i));
        }
        return h;
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
