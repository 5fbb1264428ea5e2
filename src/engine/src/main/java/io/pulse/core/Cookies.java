package io.pulse.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The cookies of JOIN's challenge, like TCP's SYN cookies: an HMAC of the joiner's address and the
 * time, under a secret of this process, so that a JOIN with the cookie proves its sender receives
 * datagrams at its address, and the member keeps no state per challenge. A cookie stays good for
 * one to two {@value #PERIOD_SECONDS}-second periods.
 */
final class Cookies {
    static final long PERIOD_SECONDS = 30;
    private final Mac mac;

    Cookies() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        try {
            mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new AssertionError("every Java platform has HmacSHA256", e);
        }
    }

    long make(InetSocketAddress address, long monotonicNanos) {
        return cookie(address, period(monotonicNanos));
    }

    boolean valid(InetSocketAddress address, long cookie, long monotonicNanos) {
        long period = period(monotonicNanos);
        return cookie != 0 && (cookie == cookie(address, period) || cookie == cookie(address, period - 1));
    }

    private static long period(long monotonicNanos) {
        return Math.floorDiv(monotonicNanos, PERIOD_SECONDS * 1_000_000_000L);
    }

    private long cookie(InetSocketAddress address, long period) {
        byte[] raw = address.getAddress().getAddress();
        ByteBuffer input = ByteBuffer.allocate(raw.length + 2 + 8);
        input.put(raw).putShort((short) address.getPort()).putLong(period);
        long value = ByteBuffer.wrap(mac.doFinal(input.array())).getLong();
        return value == 0 ? 1 : value;
    }
}
