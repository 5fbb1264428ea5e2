package io.pulse.protocol;

import static io.pulse.protocol.WireParts.readAddress;
import static io.pulse.protocol.WireParts.readBallot;
import static io.pulse.protocol.WireParts.readClusterConfig;
import static io.pulse.protocol.WireParts.readConfig;
import static io.pulse.protocol.WireParts.readIncarnation;
import static io.pulse.protocol.WireParts.readLabels;
import static io.pulse.protocol.WireParts.readMember;
import static io.pulse.protocol.WireParts.readProposal;
import static io.pulse.protocol.WireParts.readStanding;
import static io.pulse.protocol.WireParts.require;
import static io.pulse.protocol.WireParts.writeAddress;
import static io.pulse.protocol.WireParts.writeBallot;
import static io.pulse.protocol.WireParts.writeConfig;
import static io.pulse.protocol.WireParts.writeLabels;
import static io.pulse.protocol.WireParts.writeMember;
import static io.pulse.protocol.WireParts.writeProposal;
import static io.pulse.protocol.WireParts.writeStanding;

import io.netty.buffer.ByteBuf;
import io.pulse.core.Ballot;
import io.pulse.core.ConfigRef;
import io.pulse.core.Labels;
import io.pulse.core.MemberInfo;
import io.pulse.core.Message;
import io.pulse.core.Proposal;
import io.pulse.core.Standing;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes and decodes the version-3 wire format described in {@link io.pulse.protocol}.
 *
 * <pre>{@code
 * ByteBuf buf = alloc.buffer(WireFormat.MAX_DATAGRAM_BYTES);
 * WireFormat.encode(new Message.Ping(7, clock.epochNanos(), ConfigRef.NONE), buf);
 * Message back = WireFormat.decode(buf);   // throws MalformedDatagramException
 * }</pre>
 *
 * Stateless; neither method keeps or releases the buffer it is given. Every field is checked on the
 * way in: a datagram is whole and well-formed, or it is rejected with the reason.
 *
 * <p>Over 400 lines because encode, size and decode of all sixteen message types stay side by side,
 * one branch per type in each, so that a change to one message is made in one place; the fields the
 * messages share are written and read by {@link WireParts}.
 */
public final class WireFormat {
    public static final int MAX_DATAGRAM_BYTES = 1400;
    public static final short MAGIC = 0x5055; // "PU"
    public static final byte VERSION = 3;
    public static final int HEADER_BYTES = 16;

    public static final byte TYPE_PING = 1;
    public static final byte TYPE_ACK = 2;
    public static final byte TYPE_PING_REQ = 3;
    public static final byte TYPE_NACK = 4;
    public static final byte TYPE_ALERT = 5;
    public static final byte TYPE_ALERT_ACK = 6;
    public static final byte TYPE_JOIN = 7;
    public static final byte TYPE_CHALLENGE = 8;
    public static final byte TYPE_PREPARE = 9;
    public static final byte TYPE_PROMISE = 10;
    public static final byte TYPE_ACCEPT = 11;
    public static final byte TYPE_ACCEPTED = 12;
    public static final byte TYPE_DECIDED = 13;
    public static final byte TYPE_CONFIG_REQUEST = 14;
    public static final byte TYPE_CONFIG_PAGE = 15;
    public static final byte TYPE_PUBLISHED = 16;
    static final int LAST_TYPE = TYPE_PUBLISHED;
    /** The message classes by type, 1 first. */
    private static final Class<?>[] TYPES = {
        Message.Ping.class,
        Message.Ack.class,
        Message.PingReq.class,
        Message.Nack.class,
        Message.Alert.class,
        Message.AlertAck.class,
        Message.Join.class,
        Message.Challenge.class,
        Message.Prepare.class,
        Message.Promise.class,
        Message.Accept.class,
        Message.Accepted.class,
        Message.Decided.class,
        Message.ConfigRequest.class,
        Message.ConfigPage.class,
        Message.Published.class
    };

    /** Header flag: the datagram is signed; key id and trailer length are set ({@link DatagramAuth}). */
    public static final byte FLAG_AUTH = 0x01;

    /** An ACK's body; a PING and a PING_REQ are padded to it, so that no answer is larger than its question. */
    static final int ACK_BODY_BYTES = 48;

    static final int PING_BODY_BYTES = ACK_BODY_BYTES;
    static final int PING_REQ_BYTES = HEADER_BYTES + PING_BODY_BYTES;
    /** Epoch and id. */
    static final int CONFIG_REF_BYTES = 16;

    static final int BALLOT_BYTES = 6;

    private WireFormat() {}

    /** Writes {@code message} at the buffer's writer index. */
    public static void encode(Message message, ByteBuf out) {
        out.writeShort(MAGIC)
                .writeByte(VERSION)
                .writeByte(typeOf(message))
                .writeByte(0)
                .writeByte(0)
                .writeShort(0)
                .writeLong(message.sequence());
        if (message instanceof Message.Ping ping) {
            out.writeLong(ping.sentEpochNanos());
            writeConfig(ping.config(), out);
            out.writeZero(PING_BODY_BYTES - 8 - CONFIG_REF_BYTES);
        } else if (message instanceof Message.Ack ack) {
            out.writeLong(ack.pingSentEpochNanos())
                    .writeLong(ack.receivedEpochNanos())
                    .writeLong(ack.sentEpochNanos())
                    .writeLong(ack.incarnation());
            writeConfig(ack.config(), out);
        } else if (message instanceof Message.PingReq request) {
            out.writeInt((int) request.timeout().toMillis());
            writeAddress(request.target(), out);
            out.writeZero(pingReqPadding(request.target()));
        } else if (message instanceof Message.Nack nack) {
            writeAddress(nack.target(), out);
        } else if (message instanceof Message.Alert alert) {
            writeConfig(alert.config(), out);
            out.writeByte(alert.entries().size());
            for (Message.AlertEntry entry : alert.entries()) {
                out.writeByte(entry.kind().ordinal() + 1);
                writeAddress(entry.member().address(), out);
                out.writeLong(entry.member().incarnation());
                if (entry.kind() == Message.AlertEntry.Kind.JOIN) {
                    writeLabels(entry.member().labels(), out);
                }
            }
        } else if (message instanceof Message.AlertAck ack) {
            writeConfig(ack.config(), out);
        } else if (message instanceof Message.Join join) {
            out.writeLong(join.incarnation()).writeLong(join.cookie());
            writeLabels(join.labels(), out);
        } else if (message instanceof Message.Challenge challenge) {
            out.writeLong(challenge.cookie());
        } else if (message instanceof Message.Prepare prepare) {
            writeConfig(prepare.config(), out);
            writeBallot(prepare.ballot(), out);
            out.writeZero(prepare.paddingBytes());
        } else if (message instanceof Message.Promise promise) {
            writeConfig(promise.config(), out);
            writeBallot(promise.ballot(), out);
            writeBallot(promise.accepted(), out);
            if (promise.value() != null) {
                writeProposal(promise.value(), out);
            }
        } else if (message instanceof Message.Accept accept) {
            writeConfig(accept.config(), out);
            writeBallot(accept.ballot(), out);
            writeProposal(accept.value(), out);
        } else if (message instanceof Message.Accepted accepted) {
            writeConfig(accepted.config(), out);
            writeBallot(accepted.ballot(), out);
            out.writeByte(accepted.ok() ? 1 : 0);
            writeBallot(accepted.promised(), out);
        } else if (message instanceof Message.Decided decided) {
            writeConfig(decided.config(), out);
            writeProposal(decided.value(), out);
        } else if (message instanceof Message.ConfigRequest request) {
            writeConfig(request.config(), out);
            out.writeShort(request.page()).writeZero(request.paddingBytes());
        } else if (message instanceof Message.ConfigPage page) {
            writeConfig(page.config(), out);
            out.writeShort(page.page())
                    .writeShort(page.pages())
                    .writeShort(page.members().size());
            for (MemberInfo member : page.members()) {
                writeMember(member, out);
            }
            out.writeShort(page.standings().size());
            for (Standing standing : page.standings()) {
                writeStanding(standing, out);
            }
        } else if (message instanceof Message.Published published) {
            writeConfig(published.config(), out);
        }
    }

    /** The exact encoded size of {@code message}, header included, trailer not. */
    public static int encodedSize(Message message) {
        return HEADER_BYTES + bodySize(message);
    }

    private static int bodySize(Message message) {
        if (message instanceof Message.Ping || message instanceof Message.Ack || message instanceof Message.PingReq) {
            return ACK_BODY_BYTES;
        } else if (message instanceof Message.Nack nack) {
            return MemberInfo.addressBytes(nack.target());
        } else if (message instanceof Message.Alert alert) {
            int bytes = CONFIG_REF_BYTES + 1;
            for (Message.AlertEntry entry : alert.entries()) {
                bytes += 1
                        + MemberInfo.addressBytes(entry.member().address())
                        + 8
                        + (entry.kind() == Message.AlertEntry.Kind.JOIN
                                ? entry.member().labels().encodedBytes()
                                : 0);
            }
            return bytes;
        } else if (message instanceof Message.AlertAck || message instanceof Message.Published) {
            return CONFIG_REF_BYTES;
        } else if (message instanceof Message.Join join) {
            return 16 + join.labels().encodedBytes();
        } else if (message instanceof Message.Challenge) {
            return 8;
        } else if (message instanceof Message.Prepare prepare) {
            return CONFIG_REF_BYTES + BALLOT_BYTES + prepare.paddingBytes();
        } else if (message instanceof Message.Promise promise) {
            return CONFIG_REF_BYTES
                    + 2 * BALLOT_BYTES
                    + (promise.value() == null ? 0 : promise.value().encodedBytes());
        } else if (message instanceof Message.Accept accept) {
            return CONFIG_REF_BYTES + BALLOT_BYTES + accept.value().encodedBytes();
        } else if (message instanceof Message.Accepted) {
            return CONFIG_REF_BYTES + 2 * BALLOT_BYTES + 1;
        } else if (message instanceof Message.Decided decided) {
            return CONFIG_REF_BYTES + decided.value().encodedBytes();
        } else if (message instanceof Message.ConfigRequest request) {
            return CONFIG_REF_BYTES + 2 + request.paddingBytes();
        } else {
            Message.ConfigPage page = (Message.ConfigPage) message;
            int bytes = CONFIG_REF_BYTES + 6 + 2;
            for (MemberInfo member : page.members()) {
                bytes += member.encodedBytes();
            }
            for (Standing standing : page.standings()) {
                bytes += standing.encodedBytes();
            }
            return bytes;
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
        int known = trailerBytes > 0 ? FLAG_AUTH : 0;
        if ((flags & ~known) != 0
                || (trailerBytes == 0 && (in.getByte(start + 5) != 0 || in.getShort(start + 6) != 0))) {
            // Unsigned and checked datagrams only come here: a signed one went through DatagramAuth first.
            throw new MalformedDatagramException(
                    RejectReason.UNSUPPORTED_AUTH,
                    "flags, key id or MAC length set (expected: all 0 in an unsigned version-" + VERSION
                            + " datagram)");
        }
        if (trailerBytes > 0) {
            ByteBuf whole = in;
            in = whole.readSlice(length - trailerBytes);
            whole.skipBytes(trailerBytes);
            start = 0;
        }
        long sequence = in.getLong(start + 8);
        in.skipBytes(HEADER_BYTES);
        Message message = switch (type) {
            case TYPE_PING -> {
                require(in, PING_BODY_BYTES, "PING");
                long sent = in.readLong();
                ConfigRef config = readConfig(in, "PING");
                readPadding(in, PING_BODY_BYTES - 8 - CONFIG_REF_BYTES, "PING");
                yield new Message.Ping(sequence, sent, config);
            }
            case TYPE_ACK -> {
                require(in, ACK_BODY_BYTES, "ACK");
                long t0 = in.readLong();
                long t1 = in.readLong();
                long t2 = in.readLong();
                long incarnation = in.readLong();
                yield new Message.Ack(sequence, t0, t1, t2, incarnation, readConfig(in, "ACK"));
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
            case TYPE_ALERT -> readAlert(sequence, in);
            case TYPE_ALERT_ACK -> new Message.AlertAck(sequence, readClusterConfig(in, "ALERT_ACK"));
            case TYPE_JOIN -> {
                require(in, 16, "JOIN");
                long incarnation = readIncarnation(in, "JOIN");
                long cookie = in.readLong();
                yield new Message.Join(sequence, incarnation, cookie, readLabels(in, "JOIN"));
            }
            case TYPE_CHALLENGE -> {
                require(in, 8, "CHALLENGE");
                yield new Message.Challenge(sequence, in.readLong());
            }
            case TYPE_PREPARE -> {
                ConfigRef config = readClusterConfig(in, "PREPARE");
                Ballot ballot = readBallot(in, "PREPARE");
                int padding = in.readableBytes();
                readPadding(in, padding, "PREPARE");
                yield new Message.Prepare(sequence, config, ballot, padding);
            }
            case TYPE_PROMISE -> {
                ConfigRef config = readClusterConfig(in, "PROMISE");
                Ballot ballot = readBallot(in, "PROMISE");
                Ballot accepted = readBallot(in, "PROMISE");
                Proposal value = accepted.equals(Ballot.ZERO) ? null : readProposal(in, "PROMISE");
                yield new Message.Promise(sequence, config, ballot, accepted, value);
            }
            case TYPE_ACCEPT -> {
                ConfigRef config = readClusterConfig(in, "ACCEPT");
                Ballot ballot = readBallot(in, "ACCEPT");
                yield new Message.Accept(sequence, config, ballot, readProposal(in, "ACCEPT"));
            }
            case TYPE_ACCEPTED -> {
                ConfigRef config = readClusterConfig(in, "ACCEPTED");
                Ballot ballot = readBallot(in, "ACCEPTED");
                require(in, 1, "ACCEPTED");
                int ok = in.readUnsignedByte();
                if (ok > 1) {
                    throw new MalformedDatagramException(
                            RejectReason.BAD_FIELD, "ACCEPTED flag " + ok + " (expected: 0 or 1)");
                }
                yield new Message.Accepted(sequence, config, ballot, ok == 1, readBallot(in, "ACCEPTED"));
            }
            case TYPE_DECIDED -> {
                ConfigRef config = readClusterConfig(in, "DECIDED");
                yield new Message.Decided(sequence, config, readProposal(in, "DECIDED"));
            }
            case TYPE_CONFIG_REQUEST -> {
                ConfigRef config = readConfig(in, "CONFIG_REQUEST");
                require(in, 2, "CONFIG_REQUEST");
                int page = in.readUnsignedShort();
                if (page >= Message.ConfigPage.MAX_PAGES) {
                    throw new MalformedDatagramException(
                            RejectReason.BAD_FIELD,
                            "CONFIG_REQUEST page " + page + " (expected: below " + Message.ConfigPage.MAX_PAGES + ")");
                }
                int padding = in.readableBytes();
                readPadding(in, padding, "CONFIG_REQUEST");
                yield new Message.ConfigRequest(sequence, config, page, padding);
            }
            case TYPE_CONFIG_PAGE -> readConfigPage(sequence, in);
            case TYPE_PUBLISHED -> new Message.Published(sequence, readClusterConfig(in, "PUBLISHED"));
            default ->
                throw new MalformedDatagramException(
                        RejectReason.UNKNOWN_TYPE,
                        "message type " + (type & 0xff) + " (expected: 1.." + LAST_TYPE + ")");
        };
        if (in.isReadable()) {
            throw new MalformedDatagramException(
                    RejectReason.TRAILING_BYTES, in.readableBytes() + " bytes after the message (expected: none)");
        }
        return message;
    }

    private static Message.Alert readAlert(long sequence, ByteBuf in) throws MalformedDatagramException {
        ConfigRef config = readClusterConfig(in, "ALERT");
        require(in, 1, "ALERT");
        int count = in.readUnsignedByte();
        if (count == 0) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, "ALERT with 0 entries (expected: 1.." + Message.Alert.MAX_ENTRIES + ")");
        }
        List<Message.AlertEntry> entries = new ArrayList<>(count);
        Message.AlertEntry.Kind[] kinds = Message.AlertEntry.Kind.values();
        for (int i = 0; i < count; i++) {
            require(in, 1, "ALERT");
            int code = in.readUnsignedByte();
            if (code < 1 || code > kinds.length) {
                throw new MalformedDatagramException(
                        RejectReason.BAD_FIELD, "ALERT entry kind " + code + " (expected: 1.." + kinds.length + ")");
            }
            Message.AlertEntry.Kind kind = kinds[code - 1];
            InetSocketAddress member = readAddress(in, "ALERT");
            require(in, 8, "ALERT");
            long incarnation = readIncarnation(in, "ALERT");
            Labels labels = kind == Message.AlertEntry.Kind.JOIN ? readLabels(in, "ALERT") : Labels.NONE;
            entries.add(new Message.AlertEntry(kind, new MemberInfo(member, incarnation, labels)));
        }
        return new Message.Alert(sequence, config, entries);
    }

    private static Message.ConfigPage readConfigPage(long sequence, ByteBuf in) throws MalformedDatagramException {
        ConfigRef config = readClusterConfig(in, "CONFIG_PAGE");
        require(in, 6, "CONFIG_PAGE");
        int page = in.readUnsignedShort();
        int pages = in.readUnsignedShort();
        if (pages < 1 || page >= pages) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    "CONFIG_PAGE page " + page + " of " + pages + " (expected: page in 0..pages-1, pages >= 1)");
        }
        int memberCount = in.readUnsignedShort();
        List<MemberInfo> members = new ArrayList<>(Math.min(memberCount, 64));
        for (int i = 0; i < memberCount; i++) {
            members.add(readMember(in, "CONFIG_PAGE"));
        }
        require(in, 2, "CONFIG_PAGE");
        int standingCount = in.readUnsignedShort();
        List<Standing> standings = new ArrayList<>(Math.min(standingCount, 64));
        for (int i = 0; i < standingCount; i++) {
            standings.add(readStanding(in, "CONFIG_PAGE"));
        }
        return new Message.ConfigPage(sequence, config, page, pages, members, standings);
    }

    private static byte typeOf(Message message) {
        for (int t = 0; t < TYPES.length; t++) {
            if (TYPES[t].isInstance(message)) {
                return (byte) (t + 1);
            }
        }
        throw new AssertionError("no wire type for " + message.getClass());
    }

    private static int pingReqPadding(InetSocketAddress target) {
        return PING_REQ_BYTES - HEADER_BYTES - 4 - MemberInfo.addressBytes(target);
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
}
