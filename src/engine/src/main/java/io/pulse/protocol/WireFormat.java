package io.pulse.protocol;

import io.netty.buffer.ByteBuf;
import io.pulse.core.Liveness;
import io.pulse.core.MemberUpdate;
import io.pulse.core.Message;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Encodes and decodes the version-1 wire format described in {@link io.pulse.protocol}.
 *
 * <pre>{@code
 * ByteBuf buf = alloc.buffer(WireFormat.MAX_DATAGRAM_BYTES);
 * WireFormat.encode(new Message.Ping(7, clock.epochNanos()), buf);
 * Message back = WireFormat.decode(buf);   // throws MalformedDatagramException
 * }</pre>
 *
 * Stateless; neither method keeps or releases the buffer it is given.
 */
public final class WireFormat {
    public static final int MAX_DATAGRAM_BYTES = 1400;
    public static final short MAGIC = 0x5055; // "PU"
    public static final byte VERSION = 2;
    public static final int HEADER_BYTES = 16;

    public static final byte TYPE_PING = 1;
    public static final byte TYPE_ACK = 2;
    public static final byte TYPE_PING_REQ = 3;
    public static final byte TYPE_NACK = 4;
    /** Cluster mode: membership updates alone. */
    public static final byte TYPE_GOSSIP = 5;
    /** Cluster mode: one page of a member's whole view (push-pull, join). */
    public static final byte TYPE_SYNC = 6;
    /** Header flag: the datagram is signed; key id and trailer length are set ({@link DatagramAuth}). */
    public static final byte FLAG_AUTH = 0x01;
    /** Header flag: membership updates follow the message's own body (cluster mode's piggyback). */
    public static final byte FLAG_PIGGYBACK = 0x02;

    private static final byte SYNC_REPLY_WANTED = 0x01;
    /** The most updates one datagram carries: 1400 bytes hold at most 60 of the smallest (23 bytes). */
    static final int MAX_UPDATES = 255;

    static final int ACK_BODY_BYTES = 32;
    /** A PING's send time and zero padding to the size of its ACK: no answer is larger than its question. */
    static final int PING_BODY_BYTES = ACK_BODY_BYTES;
    /** A PING_REQ is padded with zeros to this size, that of the PING it makes a relay send. */
    static final int PING_REQ_BYTES = HEADER_BYTES + PING_BODY_BYTES;

    private static final byte FAMILY_IPV4 = 4;
    private static final byte FAMILY_IPV6 = 6;

    private WireFormat() {}

    /** Writes {@code message} at the buffer's writer index. */
    public static void encode(Message message, ByteBuf out) {
        java.util.List<MemberUpdate> piggybacked = null;
        if (message instanceof Message.Piggybacked p) {
            piggybacked = p.updates();
            message = p.message();
        }
        byte type = typeOf(message);
        out.writeShort(MAGIC)
                .writeByte(VERSION)
                .writeByte(type)
                .writeByte(piggybacked == null ? 0 : FLAG_PIGGYBACK)
                .writeByte(0)
                .writeShort(0)
                .writeLong(message.sequence());
        if (message instanceof Message.Gossip gossip) {
            writeUpdates(gossip.updates(), out);
        } else if (message instanceof Message.Sync sync) {
            out.writeByte(sync.replyWanted() ? SYNC_REPLY_WANTED : 0)
                    .writeShort(sync.page())
                    .writeShort(sync.pages());
            writeUpdates(sync.members(), out);
        } else if (message instanceof Message.Ping ping) {
            out.writeLong(ping.sentEpochNanos()).writeZero(PING_BODY_BYTES - 8);
        } else if (message instanceof Message.Ack ack) {
            out.writeLong(ack.pingSentEpochNanos())
                    .writeLong(ack.receivedEpochNanos())
                    .writeLong(ack.sentEpochNanos())
                    .writeLong(ack.incarnation());
        } else if (message instanceof Message.PingReq request) {
            out.writeInt((int) request.timeout().toMillis());
            writeAddress(request.target(), out);
            out.writeZero(pingReqPadding(request.target()));
        } else if (message instanceof Message.Nack nack) {
            writeAddress(nack.target(), out);
        }
        if (piggybacked != null) {
            writeUpdates(piggybacked, out);
        }
    }

    private static void writeUpdates(java.util.List<MemberUpdate> updates, ByteBuf out) {
        if (updates.size() > MAX_UPDATES) {
            throw new IllegalArgumentException(
                    updates.size() + " updates in one datagram (expected: at most " + MAX_UPDATES + ")");
        }
        out.writeByte(updates.size());
        for (MemberUpdate update : updates) {
            out.writeByte(stateCode(update.state())).writeLong(update.incarnation());
            writeAddress(update.member(), out);
            writeAddress(update.origin(), out);
        }
    }

    private static int stateCode(Liveness state) {
        return switch (state) {
            case ALIVE -> 1;
            case SUSPECT -> 2;
            case DEAD -> 3;
            case LEFT -> 4;
            case PENDING -> throw new IllegalArgumentException("PENDING is never sent");
        };
    }

    private static java.util.List<MemberUpdate> readUpdates(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 1, what);
        int count = in.readUnsignedByte();
        if (count == 0) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " with 0 updates (expected: 1.." + MAX_UPDATES + ")");
        }
        java.util.List<MemberUpdate> updates = new java.util.ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            require(in, MemberUpdate.FIXED_WIRE_BYTES, what);
            int code = in.readUnsignedByte();
            Liveness state = switch (code) {
                case 1 -> Liveness.ALIVE;
                case 2 -> Liveness.SUSPECT;
                case 3 -> Liveness.DEAD;
                case 4 -> Liveness.LEFT;
                default ->
                    throw new MalformedDatagramException(
                            RejectReason.BAD_FIELD, what + " member state " + code + " (expected: 1..4)");
            };
            long incarnation = in.readLong();
            if (incarnation < 1) {
                throw new MalformedDatagramException(
                        RejectReason.BAD_FIELD, what + " incarnation " + incarnation + " (expected: at least 1)");
            }
            InetSocketAddress member = readAddress(in, what);
            InetSocketAddress origin = readAddress(in, what);
            updates.add(new MemberUpdate(member, state, incarnation, origin));
        }
        return updates;
    }

    /** The exact encoded size of {@code message}. */
    public static int encodedSize(Message message) {
        if (message instanceof Message.Piggybacked p) {
            return encodedSize(p.message()) + MemberUpdate.wireBytes(p.updates());
        } else if (message instanceof Message.Gossip gossip) {
            return HEADER_BYTES + MemberUpdate.wireBytes(gossip.updates());
        } else if (message instanceof Message.Sync sync) {
            return HEADER_BYTES + 5 + MemberUpdate.wireBytes(sync.members());
        } else if (message instanceof Message.Ping) {
            return HEADER_BYTES + PING_BODY_BYTES;
        } else if (message instanceof Message.Ack) {
            return HEADER_BYTES + ACK_BODY_BYTES;
        } else if (message instanceof Message.PingReq) {
            return PING_REQ_BYTES;
        } else {
            return HEADER_BYTES + addressBytes(((Message.Nack) message).target());
        }
    }

    /** Reads one whole unsigned datagram: every readable byte must belong to the message. */
    public static Message decode(ByteBuf in) throws MalformedDatagramException {
        return decode(in, 0);
    }

    /**
     * Reads one whole datagram whose last {@code trailerBytes} are an authentication trailer that
     * {@link DatagramAuth#verify} checked (0: the datagram must be unsigned). The trailer is skipped.
     */
    static Message decode(ByteBuf in, int trailerBytes) throws MalformedDatagramException {
        int length = in.readableBytes();
        if (length > MAX_DATAGRAM_BYTES) {
            throw new MalformedDatagramException(
                    RejectReason.OVERSIZE,
                    "datagram of " + length + " bytes (expected: at most " + MAX_DATAGRAM_BYTES + ")");
        }
        if (length < HEADER_BYTES) {
            throw new MalformedDatagramException(
                    RejectReason.TRUNCATED,
                    "datagram of " + length + " bytes (expected: at least " + HEADER_BYTES + ")");
        }
        int start = in.readerIndex();
        short magic = in.getShort(start);
        if (magic != MAGIC) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_MAGIC, String.format("magic 0x%04x (expected: 0x%04x)", magic & 0xffff, MAGIC));
        }
        byte version = in.getByte(start + 2);
        if (version != VERSION) {
            throw new MalformedDatagramException(
                    RejectReason.UNSUPPORTED_VERSION, "version " + (version & 0xff) + " (expected: " + VERSION + ")");
        }
        byte type = in.getByte(start + 3);
        byte flags = in.getByte(start + 4);
        int known = trailerBytes > 0 ? FLAG_PIGGYBACK | FLAG_AUTH : FLAG_PIGGYBACK;
        if ((flags & ~known) != 0
                || (trailerBytes == 0 && (in.getByte(start + 5) != 0 || in.getShort(start + 6) != 0))) {
            // Unsigned and checked datagrams only come here: a signed one went through DatagramAuth first.
            throw new MalformedDatagramException(
                    RejectReason.UNSUPPORTED_AUTH,
                    "flags other than piggyback, key id or MAC length set (expected: all 0 in version " + VERSION
                            + ")");
        }
        if (trailerBytes > 0) {
            ByteBuf whole = in;
            in = whole.readSlice(length - trailerBytes);
            whole.skipBytes(trailerBytes);
            start = 0;
        }
        boolean piggyback = (flags & FLAG_PIGGYBACK) != 0;
        if (piggyback && (type == TYPE_GOSSIP || type == TYPE_SYNC)) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    "piggyback flag on message type " + type + " (expected: only on types 1..4)");
        }
        long sequence = in.getLong(start + 8);
        in.skipBytes(HEADER_BYTES);
        Message message = switch (type) {
            case TYPE_PING -> {
                require(in, PING_BODY_BYTES, "PING");
                long sent = in.readLong();
                readPadding(in, PING_BODY_BYTES - 8, "PING");
                yield new Message.Ping(sequence, sent);
            }
            case TYPE_ACK -> {
                require(in, ACK_BODY_BYTES, "ACK");
                yield new Message.Ack(sequence, in.readLong(), in.readLong(), in.readLong(), in.readLong());
            }
            case TYPE_PING_REQ -> {
                require(in, 4, "PING_REQ");
                long timeoutMillis = in.readUnsignedInt();
                if (timeoutMillis < 1 || timeoutMillis > Message.PingReq.MAX_TIMEOUT.toMillis()) {
                    throw new MalformedDatagramException(
                            RejectReason.BAD_FIELD,
                            "PING_REQ timeout " + timeoutMillis + " ms (expected: 1.."
                                    + Message.PingReq.MAX_TIMEOUT.toMillis() + ")");
                }
                InetSocketAddress target = readAddress(in, "PING_REQ");
                readPadding(in, pingReqPadding(target), "PING_REQ");
                yield new Message.PingReq(sequence, target, Duration.ofMillis(timeoutMillis));
            }
            case TYPE_NACK -> new Message.Nack(sequence, readAddress(in, "NACK"));
            case TYPE_GOSSIP -> new Message.Gossip(sequence, readUpdates(in, "GOSSIP"));
            case TYPE_SYNC -> {
                require(in, 5, "SYNC");
                byte syncFlags = in.readByte();
                int page = in.readUnsignedShort();
                int pages = in.readUnsignedShort();
                if ((syncFlags & ~SYNC_REPLY_WANTED) != 0 || pages < 1 || page >= pages) {
                    throw new MalformedDatagramException(
                            RejectReason.BAD_FIELD,
                            "SYNC flags " + (syncFlags & 0xff) + ", page " + page + " of " + pages
                                    + " (expected: flags 0 or 1, page in 0..pages-1, pages >= 1)");
                }
                yield new Message.Sync(sequence, syncFlags == SYNC_REPLY_WANTED, page, pages, readUpdates(in, "SYNC"));
            }
            default ->
                throw new MalformedDatagramException(
                        RejectReason.UNKNOWN_TYPE, "message type " + (type & 0xff) + " (expected: 1..6)");
        };
        if (piggyback) {
            message = new Message.Piggybacked(message, readUpdates(in, "piggyback"));
        }
        if (in.isReadable()) {
            throw new MalformedDatagramException(
                    RejectReason.TRAILING_BYTES, in.readableBytes() + " bytes after the message (expected: none)");
        }
        return message;
    }

    private static byte typeOf(Message message) {
        if (message instanceof Message.Ping) {
            return TYPE_PING;
        } else if (message instanceof Message.Ack) {
            return TYPE_ACK;
        } else if (message instanceof Message.PingReq) {
            return TYPE_PING_REQ;
        } else if (message instanceof Message.Gossip) {
            return TYPE_GOSSIP;
        } else if (message instanceof Message.Sync) {
            return TYPE_SYNC;
        } else {
            return TYPE_NACK;
        }
    }

    private static int pingReqPadding(InetSocketAddress target) {
        return PING_REQ_BYTES - HEADER_BYTES - 4 - addressBytes(target);
    }

    private static void readPadding(ByteBuf in, int bytes, String what) throws MalformedDatagramException {
        require(in, bytes, what);
        for (int i = 0; i < bytes; i++) {
            if (in.readByte() != 0) {
                throw new MalformedDatagramException(
                        RejectReason.BAD_FIELD,
                        what + " padding byte " + i + " is not 0 (expected: " + bytes + " zero bytes)");
            }
        }
    }

    private static int addressBytes(InetSocketAddress address) {
        return 1 + address.getAddress().getAddress().length + 2;
    }

    private static void writeAddress(InetSocketAddress address, ByteBuf out) {
        byte[] raw = address.getAddress().getAddress();
        out.writeByte(raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6)
                .writeBytes(raw)
                .writeShort(address.getPort());
    }

    private static InetSocketAddress readAddress(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 1, what);
        byte family = in.readByte();
        int size;
        if (family == FAMILY_IPV4) {
            size = 4;
        } else if (family == FAMILY_IPV6) {
            size = 16;
        } else {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " address family " + (family & 0xff) + " (expected: 4 or 6)");
        }
        require(in, size + 2, what);
        byte[] raw = new byte[size];
        in.readBytes(raw);
        int port = in.readUnsignedShort();
        if (port == 0) {
            throw new MalformedDatagramException(RejectReason.BAD_FIELD, what + " port 0 (expected: 1..65535)");
        }
        try {
            InetAddress address = size == 4 ? Inet4Address.getByAddress(raw) : InetAddress.getByAddress(raw);
            return new InetSocketAddress(address, port);
        } catch (UnknownHostException impossible) {
            // getByAddress throws only for a wrong length, which was checked above.
            throw new AssertionError(impossible);
        }
    }

    private static void require(ByteBuf in, int bytes, String what) throws MalformedDatagramException {
        if (in.readableBytes() < bytes) {
            throw new MalformedDatagramException(
                    RejectReason.TRUNCATED,
                    what + " body cut short: " + in.readableBytes() + " bytes left (expected: at least " + bytes + ")");
        }
    }
}
