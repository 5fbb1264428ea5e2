package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import io.pulse.core.Clock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;

/**
 * Signs outgoing datagrams and checks incoming ones against a {@link Keyring}: a MAC over header
 * and body, a send time, and a replay check. The layout is in {@link io.pulse.protocol}.
 *
 * <pre>{@code
 * DatagramAuth auth = DatagramAuth.create(keyring, DatagramAuth.Mode.REQUIRED, Clock.system());
 * channel.pipeline().addLast(new DatagramCodec(rejects, auth), engineHandler);
 * auth.keyring(rotated);   // from any thread; the next datagram uses it
 * }</pre>
 *
 * <p>A datagram is dropped, and counted by its {@link RejectReason}, when its MAC is wrong (a wrong
 * key, a wrong label, a bit flipped: {@link RejectReason#BAD_MAC}), it names a key that is not
 * installed ({@link RejectReason#UNKNOWN_KEY}), its send time is further than the replay window
 * from this node's clock ({@link RejectReason#STALE}), or it was accepted before
 * ({@link RejectReason#REPLAYED}). Each sender stamps its datagrams with strictly increasing
 * times; a receiver remembers, per authenticated sender, the latest time and the last
 * {@value #RECENT} below it, and takes an older one only if it is new and at most
 * {@link #REORDER} behind the latest (UDP may reorder a little). A sender silent for longer than
 * the window is forgotten: anything it sent before is then stale anyway.
 *
 * <p>{@link Mode#PERMISSIVE} is the rollout step: datagrams are signed, and unsigned ones are still
 * accepted (and counted, {@link #unauthenticatedAccepted()}), so that nodes can be given keys one
 * by one; {@link Mode#REQUIRED} then drops unsigned ones as {@link RejectReason#UNAUTHENTICATED}.
 *
 * <p>Signing, verifying and the replay state belong to the one event loop of the engine's channel;
 * {@link #keyring(Keyring)}, {@link #mode(Mode)} and the counters may be used from any thread.
 */
public final class DatagramAuth {
    /** How unsigned datagrams are treated. */
    public enum Mode {
        /** Sign, and accept unsigned datagrams too: for rolling keys out. */
        PERMISSIVE,
        /** Sign, and drop unsigned datagrams. */
        REQUIRED
    }

    public static final Duration DEFAULT_REPLAY_WINDOW = Duration.ofSeconds(30);
    /** How far behind a sender's latest datagram an earlier one may still arrive. */
    static final Duration REORDER = Duration.ofSeconds(1);

    static final int RECENT = 16;
    /** Bytes of the truncated HMAC-SHA-256 tag. */
    static final int TAG_BYTES = 16;
    /** The trailer: send time (8) and tag. */
    public static final int TRAILER_BYTES = 8 + TAG_BYTES;

    private volatile Keyring keyring;
    private volatile Mode mode;
    private final Clock clock;
    private final long windowNanos;
    /** Per sender: [0] the latest send time, [1] where the next goes in the ring, [2..] the ring of earlier ones. */
    private final Map<InetSocketAddress, long[]> senders = new HashMap<>();

    private long lastStamp;
    private long nextSweepNanos;
    private final AtomicLong authenticated = new AtomicLong();
    private final AtomicLong unauthenticatedAccepted = new AtomicLong();

    private DatagramAuth(Keyring keyring, Mode mode, Clock clock, Duration window) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (window.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("replay window must be at least 1s, got " + window);
        }
        this.windowNanos = window.toNanos();
    }

    public static DatagramAuth create(Keyring keyring, Mode mode, Clock clock) {
        return create(keyring, mode, clock, DEFAULT_REPLAY_WINDOW);
    }

    /** @param window how far a datagram's send time may be from this node's clock (clock skew included) */
    public static DatagramAuth create(Keyring keyring, Mode mode, Clock clock, Duration window) {
        return new DatagramAuth(keyring, mode, clock, Objects.requireNonNull(window, "window"));
    }

    public Keyring keyring() {
        return keyring;
    }

    /** Installs a new keyring (rotation): signs with its primary from the next datagram on. */
    public void keyring(Keyring value) {
        this.keyring = Objects.requireNonNull(value, "keyring");
    }

    public Mode mode() {
        return mode;
    }

    public void mode(Mode value) {
        this.mode = Objects.requireNonNull(value, "mode");
    }

    /** Datagrams whose MAC, time and freshness checked out. */
    public long authenticated() {
        return authenticated.get();
    }

    /** Unsigned datagrams let through in {@link Mode#PERMISSIVE}. */
    public long unauthenticatedAccepted() {
        return unauthenticatedAccepted.get();
    }

    /**
     * Signs the datagram that runs from {@code start} to the writer index: sets the header's auth
     * flag, key id and trailer length, then appends the trailer.
     */
    void sign(ByteBuf buf, int start) {
        Keyring ring = keyring;
        int id = ring.primary();
        buf.setByte(start + 4, buf.getByte(start + 4) | WireFormat.FLAG_AUTH);
        buf.setByte(start + 5, id);
        buf.setShort(start + 6, TRAILER_BYTES);
        long stamp = Math.max(clock.epochNanos(), lastStamp + 1);
        lastStamp = stamp;
        buf.writeLong(stamp);
        Mac mac = ring.mac(id);
        mac.update(buf.nioBuffer(start, buf.writerIndex() - start));
        buf.writeBytes(mac.doFinal(), 0, TAG_BYTES);
    }

    /**
     * Checks the datagram at the reader index. Returns the bytes of trailer that follow its
     * message: {@link #TRAILER_BYTES} if it was signed and checked out, 0 if it is unsigned and
     * accepted, or not a well-formed version-1 datagram at all (the decoder then says why).
     */
    int verify(ByteBuf in, InetSocketAddress sender) throws MalformedDatagramException {
        int start = in.readerIndex();
        int length = in.readableBytes();
        if (length < WireFormat.HEADER_BYTES
                || length > WireFormat.MAX_DATAGRAM_BYTES
                || in.getShort(start) != WireFormat.MAGIC
                || in.getByte(start + 2) != WireFormat.VERSION) {
            return 0;
        }
        if ((in.getByte(start + 4) & WireFormat.FLAG_AUTH) == 0) {
            if (mode == Mode.REQUIRED) {
                throw new MalformedDatagramException(
                        RejectReason.UNAUTHENTICATED, "unsigned datagram (expected: a MAC)");
            }
            unauthenticatedAccepted.incrementAndGet();
            return 0;
        }
        int trailer = in.getUnsignedShort(start + 6);
        if (trailer != TRAILER_BYTES) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, "MAC length " + trailer + " (expected: " + TRAILER_BYTES + ")");
        }
        if (length < WireFormat.HEADER_BYTES + TRAILER_BYTES) {
            throw new MalformedDatagramException(
                    RejectReason.TRUNCATED,
                    "signed datagram of " + length + " bytes (expected: at least "
                            + (WireFormat.HEADER_BYTES + TRAILER_BYTES) + ")");
        }
        int id = in.getUnsignedByte(start + 5);
        Mac mac = keyring.mac(id);
        if (mac == null) {
            throw new MalformedDatagramException(RejectReason.UNKNOWN_KEY, "key id " + id + " is not installed");
        }
        mac.update(in.nioBuffer(start, length - TAG_BYTES));
        byte[] expected = mac.doFinal();
        int diff = 0;
        for (int i = 0; i < TAG_BYTES; i++) {
            diff |= expected[i] ^ in.getByte(start + length - TAG_BYTES + i);
        }
        if (diff != 0) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_MAC, "MAC does not match (wrong key or label, or altered)");
        }
        long stamp = in.getLong(start + length - TRAILER_BYTES);
        long now = clock.epochNanos();
        if (stamp < now - windowNanos || stamp > now + windowNanos) {
            throw new MalformedDatagramException(
                    RejectReason.STALE,
                    "sent " + (now - stamp) / 1_000_000 + " ms from now (expected: within " + windowNanos / 1_000_000
                            + " ms)");
        }
        if (!fresh(sender, stamp, now)) {
            throw new MalformedDatagramException(RejectReason.REPLAYED, "a datagram seen before");
        }
        authenticated.incrementAndGet();
        return TRAILER_BYTES;
    }

    private boolean fresh(InetSocketAddress from, long stamp, long now) {
        sweep(now);
        long[] sender = senders.get(from);
        if (sender == null) {
            sender = new long[2 + RECENT];
            sender[0] = stamp;
            senders.put(from, sender);
            return true;
        }
        long latest = sender[0];
        if (stamp > latest) {
            remember(sender, latest);
            sender[0] = stamp;
            return true;
        }
        if (stamp == latest || stamp < latest - REORDER.toNanos()) {
            return false;
        }
        long oldest = Long.MAX_VALUE;
        for (int i = 2; i < sender.length; i++) {
            if (sender[i] == stamp) {
                return false;
            }
            oldest = Math.min(oldest, sender[i]);
        }
        if (stamp < oldest && sender[2 + (int) sender[1]] != 0) {
            return false; // older than all it remembers, with the memory full: cannot tell, so not taken
        }
        remember(sender, stamp);
        return true;
    }

    private static void remember(long[] sender, long stamp) {
        int next = (int) sender[1];
        sender[2 + next] = stamp;
        sender[1] = (next + 1) % RECENT;
    }

    /** Forgets, at most once a window, the senders silent for a window: their old datagrams are stale. */
    private void sweep(long now) {
        if (now < nextSweepNanos) {
            return;
        }
        nextSweepNanos = now + windowNanos;
        for (Iterator<long[]> it = senders.values().iterator(); it.hasNext(); ) {
            if (it.next()[0] < now - windowNanos) {
                it.remove();
            }
        }
    }
}
