package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;

/**
 * Signs outgoing datagrams and checks incoming ones against a {@link Keyring}: a MAC over the whole
 * datagram and the sender's identity, and a replay check per sender identity. The layout is in
 * {@link io.pulse.protocol}.
 *
 * <pre>{@code
 * DatagramAuth auth = DatagramAuth.create(keyring, DatagramAuth.Mode.REQUIRED, self, incarnation);
 * channel.pipeline().addLast(new DatagramCodec(rejects, auth), engineHandler);
 * auth.keyring(rotated);   // from any thread; the next datagram uses it
 * }</pre>
 *
 * <p>The trailer names the sender ({@code identity}: its member address, or a random one for a
 * monitor bound to a wildcard address), the boot of its process (its start time in epoch
 * milliseconds) and a counter that grows by one per datagram; the MAC covers them with the rest.
 * A datagram is dropped, and counted by its {@link RejectReason}, when its MAC is wrong (a wrong
 * key, a wrong label, a bit flipped: {@link RejectReason#BAD_MAC}), it names a key that is not
 * installed ({@link RejectReason#UNKNOWN_KEY}), it comes from an earlier boot of its sender than
 * one seen already ({@link RejectReason#STALE}), or its counter was seen before or is more than
 * {@value #WINDOW} behind the highest seen ({@link RejectReason#REPLAYED}). The replay state is
 * kept per identity, not per source address, so a captured datagram sent again from another port
 * is a replay too; it is bounded ({@value #MAX_SENDERS} senders, the least recently heard forgotten
 * first, in O(1)), and it does not depend on the clock, so a sender whose clock steps back is not
 * silenced. Only datagrams whose MAC checked out reach the replay state: strangers cannot fill it.
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

    /** How far below a sender's highest counter a datagram may still arrive (UDP reorders a little). */
    static final int WINDOW = 64;
    /** Senders whose replay state is kept; beyond, the least recently heard is forgotten. */
    static final int MAX_SENDERS = 65_536;
    /** Bytes of the truncated HMAC-SHA-256 tag. */
    static final int TAG_BYTES = 16;
    /** The trailer after the identity: boot (8), counter (8), tag. */
    static final int FIXED_TRAILER_BYTES = 8 + 8 + TAG_BYTES;
    /** The longest trailer: an IPv6 identity. */
    public static final int MAX_TRAILER_BYTES = 19 + FIXED_TRAILER_BYTES;

    private volatile Keyring keyring;
    private volatile Mode mode;
    private volatile InetSocketAddress identity;
    private final long boot;
    private long counter;
    /** Per sender identity: its boot, highest counter, and the window of counters below it. */
    private final Map<InetSocketAddress, Replay> senders = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<InetSocketAddress, Replay> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    private final AtomicLong authenticated = new AtomicLong();
    private final AtomicLong unauthenticatedAccepted = new AtomicLong();

    private static final class Replay {
        long boot;
        long highest;
        /** Bit i: counter {@code highest - i} was seen. */
        long seen;
    }

    private DatagramAuth(Keyring keyring, Mode mode, InetSocketAddress identity, long boot) {
        this.keyring = Objects.requireNonNull(keyring, "keyring");
        this.mode = Objects.requireNonNull(mode, "mode");
        identity(identity);
        if (boot < 1) {
            throw new IllegalArgumentException("boot must be >= 1, got " + boot);
        }
        this.boot = boot;
    }

    /**
     * @param identity who this node is to its peers: its member address in a cluster; for a node bound
     *                 to a wildcard address, see {@link #randomIdentity(int)}
     * @param boot     when this process started, in epoch milliseconds (its incarnation): it must grow
     *                 across restarts
     */
    public static DatagramAuth create(Keyring keyring, Mode mode, InetSocketAddress identity, long boot) {
        return new DatagramAuth(keyring, mode, identity, boot);
    }

    /** An identity for a node with no specific address of its own: a random unique-local IPv6 address. */
    public static InetSocketAddress randomIdentity(int port) {
        byte[] raw = new byte[16];
        new java.security.SecureRandom().nextBytes(raw);
        raw[0] = (byte) 0xfd;
        try {
            return new InetSocketAddress(java.net.InetAddress.getByAddress(raw), Math.max(1, port));
        } catch (java.net.UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    public InetSocketAddress identity() {
        return identity;
    }

    /** Names this node anew: a monitor that joins a cluster signs as the member address it advertises from then on. */
    public void identity(InetSocketAddress value) {
        Objects.requireNonNull(value, "identity");
        if (value.isUnresolved() || value.getPort() == 0) {
            throw new IllegalArgumentException("identity must be a resolved address with a port, got " + value);
        }
        this.identity = value;
    }

    /** The trailer's length on this node's datagrams. */
    public int trailerBytes() {
        return 1 + identity.getAddress().getAddress().length + 2 + FIXED_TRAILER_BYTES;
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

    /** Datagrams whose MAC and freshness checked out. */
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
        InetSocketAddress me = identity;
        buf.setShort(start + 6, 1 + me.getAddress().getAddress().length + 2 + FIXED_TRAILER_BYTES);
        WireParts.writeAddress(me, buf);
        buf.writeLong(boot).writeLong(++counter);
        Mac mac = ring.mac(id);
        mac.update(buf.nioBuffer(start, buf.writerIndex() - start));
        buf.writeBytes(mac.doFinal(), 0, TAG_BYTES);
    }

    /**
     * Checks the datagram at the reader index. Returns the bytes of trailer that follow its
     * message: the trailer's length if it was signed and checked out, 0 if it is unsigned and
     * accepted, or not a well-formed datagram of this version at all (the decoder then says why).
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
        int ipv4 = 7 + FIXED_TRAILER_BYTES;
        if (trailer != ipv4 && trailer != MAX_TRAILER_BYTES) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    "MAC length " + trailer + " (expected: " + ipv4 + " or " + MAX_TRAILER_BYTES + ")");
        }
        if (length < WireFormat.HEADER_BYTES + trailer) {
            throw new MalformedDatagramException(
                    RejectReason.TRUNCATED,
                    "signed datagram of " + length + " bytes (expected: at least " + (WireFormat.HEADER_BYTES + trailer)
                            + ")");
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
        ByteBuf trailerBuf = in.slice(start + length - trailer, trailer - TAG_BYTES);
        InetSocketAddress from = WireParts.readAddress(trailerBuf, "trailer identity");
        if (trailerBuf.readableBytes() != 16) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, "trailer identity of the wrong family for MAC length " + trailer);
        }
        long theirBoot = trailerBuf.readLong();
        long count = trailerBuf.readLong();
        check(from, theirBoot, count);
        authenticated.incrementAndGet();
        return trailer;
    }

    private void check(InetSocketAddress from, long theirBoot, long count) throws MalformedDatagramException {
        Replay replay = senders.get(from);
        if (replay == null || theirBoot > replay.boot) {
            if (replay == null) {
                replay = new Replay();
                senders.put(from, replay);
            }
            replay.boot = theirBoot;
            replay.highest = count;
            replay.seen = 1;
            return;
        }
        if (theirBoot < replay.boot) {
            throw new MalformedDatagramException(
                    RejectReason.STALE, "from an earlier boot of " + from + " than one seen (a replay)");
        }
        if (count > replay.highest) {
            long shift = count - replay.highest;
            replay.seen = shift >= WINDOW ? 1 : (replay.seen << shift) | 1;
            replay.highest = count;
            return;
        }
        long behind = replay.highest - count;
        if (behind >= WINDOW || (replay.seen & (1L << behind)) != 0) {
            throw new MalformedDatagramException(RejectReason.REPLAYED, "a datagram seen before");
        }
        replay.seen |= 1L << behind;
    }
}
