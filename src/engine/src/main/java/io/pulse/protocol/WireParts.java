package io.pulse.protocol;

import static io.pulse.protocol.WireFormat.BALLOT_BYTES;
import static io.pulse.protocol.WireFormat.CONFIG_REF_BYTES;

import io.netty.buffer.ByteBuf;
import io.pulse.core.Ballot;
import io.pulse.core.ConfigRef;
import io.pulse.core.Labels;
import io.pulse.core.Liveness;
import io.pulse.core.MemberInfo;
import io.pulse.core.Proposal;
import io.pulse.core.Standing;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fields that {@link WireFormat}'s messages are made of: addresses, configuration refs, ballots,
 * labels, members, standings and proposals, each written and read back with every value checked.
 * Stateless; a reader throws {@link MalformedDatagramException} naming the field it could not take.
 */
final class WireParts {
    private static final byte FAMILY_IPV4 = 4;
    private static final byte FAMILY_IPV6 = 6;
    private static final byte DOWN_AS_LIST = 0;
    private static final byte DOWN_AS_BITMAP = 1;

    private WireParts() {}

    static void writeConfig(ConfigRef config, ByteBuf out) {
        out.writeLong(config.epoch()).writeLong(config.id());
    }

    static ConfigRef readConfig(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, CONFIG_REF_BYTES, what);
        long epoch = in.readLong();
        long id = in.readLong();
        if (epoch < 0 || (epoch == 0 && id != 0)) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    what + " configuration epoch " + epoch + " with id " + Long.toHexString(id)
                            + " (expected: epoch >= 1, or 0 with id 0)");
        }
        return new ConfigRef(epoch, id);
    }

    /** A configuration that a cluster message must name: not NONE. */
    static ConfigRef readClusterConfig(ByteBuf in, String what) throws MalformedDatagramException {
        ConfigRef config = readConfig(in, what);
        if (config.isNone()) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " names no configuration (expected: epoch >= 1)");
        }
        return config;
    }

    static void writeBallot(Ballot ballot, ByteBuf out) {
        out.writeInt(ballot.round()).writeShort(ballot.rank());
    }

    static Ballot readBallot(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, BALLOT_BYTES, what);
        int round = in.readInt();
        int rank = in.readUnsignedShort();
        if (round < 0) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    what + " ballot round " + (round & 0xffffffffL) + " (expected: below 2^31)");
        }
        return new Ballot(round, rank);
    }

    static long readIncarnation(ByteBuf in, String what) throws MalformedDatagramException {
        long incarnation = in.readLong();
        if (incarnation < 1) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " incarnation " + incarnation + " (expected: at least 1)");
        }
        return incarnation;
    }

    static void writeLabels(Labels labels, ByteBuf out) {
        out.writeByte(labels.asMap().size());
        for (Map.Entry<String, String> e : labels.asMap().entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
            out.writeByte(key.length).writeBytes(key).writeByte(value.length).writeBytes(value);
        }
    }

    static Labels readLabels(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 1, what);
        int count = in.readUnsignedByte();
        if (count > Labels.MAX_ENTRIES) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    what + " with " + count + " labels (expected: at most " + Labels.MAX_ENTRIES + ")");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String key = readText(in, what + " label key");
            String value = readText(in, what + " label value");
            if (previous != null && key.compareTo(previous) <= 0) {
                throw new MalformedDatagramException(
                        RejectReason.BAD_FIELD,
                        what + " label keys out of order or repeated at \"" + key + "\" (expected: ascending)");
            }
            previous = key;
            labels.put(key, value);
        }
        try {
            return Labels.of(labels);
        } catch (IllegalArgumentException e) {
            throw new MalformedDatagramException(RejectReason.BAD_FIELD, what + ": " + e.getMessage());
        }
    }

    static String readText(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 1, what);
        int length = in.readUnsignedByte();
        require(in, length, what);
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
            throw new MalformedDatagramException(RejectReason.BAD_FIELD, what + " is not valid UTF-8");
        }
        return text;
    }

    static void writeMember(MemberInfo member, ByteBuf out) {
        writeAddress(member.address(), out);
        out.writeLong(member.incarnation());
        writeLabels(member.labels(), out);
    }

    static MemberInfo readMember(ByteBuf in, String what) throws MalformedDatagramException {
        InetSocketAddress address = readAddress(in, what);
        require(in, 8, what);
        long incarnation = readIncarnation(in, what);
        return new MemberInfo(address, incarnation, readLabels(in, what));
    }

    static void writeStanding(Standing standing, ByteBuf out) {
        writeAddress(standing.address(), out);
        out.writeLong(standing.incarnation())
                .writeByte(standingCode(standing.state()))
                .writeLong(standing.sinceMillis())
                .writeByte(standing.failures())
                .writeLong(standing.lastFailureMillis());
    }

    static int standingCode(Liveness state) {
        return switch (state) {
            case ALIVE -> 1;
            case DEAD -> 2;
            case LEFT -> 3;
            case FLAPPING -> 4;
            case PENDING, SUSPECT -> throw new IllegalArgumentException("a standing is never " + state);
        };
    }

    static Standing readStanding(ByteBuf in, String what) throws MalformedDatagramException {
        InetSocketAddress address = readAddress(in, what);
        require(in, 26, what);
        long incarnation = readIncarnation(in, what + " standing");
        int code = in.readUnsignedByte();
        Liveness state = switch (code) {
            case 1 -> Liveness.ALIVE;
            case 2 -> Liveness.DEAD;
            case 3 -> Liveness.LEFT;
            case 4 -> Liveness.FLAPPING;
            default ->
                throw new MalformedDatagramException(
                        RejectReason.BAD_FIELD, what + " standing state " + code + " (expected: 1..4)");
        };
        long since = in.readLong();
        int failures = in.readUnsignedByte();
        long lastFailure = in.readLong();
        if (since < 0 || lastFailure < 0) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " standing time below 0 (expected: epoch milliseconds)");
        }
        return new Standing(address, incarnation, state, since, failures, lastFailure);
    }

    static void writeProposal(Proposal value, ByteBuf out) {
        out.writeLong(value.atMillis());
        int[] down = value.down();
        if (value.downBitmapBytes() < value.downListBytes()) {
            int bits = down[down.length - 1] + 1;
            byte[] bitmap = new byte[(bits + 7) / 8];
            for (int i : down) {
                bitmap[i >> 3] |= (byte) (1 << (i & 7));
            }
            out.writeByte(DOWN_AS_BITMAP).writeShort(bits).writeBytes(bitmap);
        } else {
            out.writeByte(DOWN_AS_LIST).writeShort(down.length);
            for (int i : down) {
                out.writeShort(i);
            }
        }
        int[] left = value.left();
        out.writeShort(left.length);
        for (int i : left) {
            out.writeShort(i);
        }
        out.writeShort(value.joined().size());
        for (MemberInfo member : value.joined()) {
            writeMember(member, out);
        }
        out.writeShort(value.settled().size());
        for (InetSocketAddress address : value.settled()) {
            writeAddress(address, out);
        }
    }

    static Proposal readProposal(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 9, what);
        long at = in.readLong();
        byte encoding = in.readByte();
        int[] down;
        int bitsRead = -1;
        if (encoding == DOWN_AS_LIST) {
            down = readIndices(in, what + " down list");
        } else if (encoding == DOWN_AS_BITMAP) {
            require(in, 2, what);
            int bits = in.readUnsignedShort();
            bitsRead = bits;
            int bytes = (bits + 7) / 8;
            require(in, bytes, what + " down bitmap");
            List<Integer> set = new ArrayList<>();
            for (int b = 0; b < bytes; b++) {
                int octet = in.readUnsignedByte();
                for (int bit = 0; bit < 8; bit++) {
                    if ((octet & (1 << bit)) != 0) {
                        int index = b * 8 + bit;
                        if (index >= bits) {
                            throw new MalformedDatagramException(
                                    RejectReason.BAD_FIELD,
                                    what + " down bitmap bit " + index + " beyond its " + bits + " bits");
                        }
                        set.add(index);
                    }
                }
            }
            down = set.stream().mapToInt(Integer::intValue).toArray();
        } else {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD, what + " down encoding " + encoding + " (expected: 0 or 1)");
        }
        int bitmapBytes = down.length == 0 ? 0 : (down[down.length - 1] + 8) / 8;
        if (encoding == DOWN_AS_LIST && bitmapBytes + 2 < 2 + 2 * down.length) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    what + " down list of " + down.length + " where a bitmap of " + bitmapBytes + " byte"
                            + (bitmapBytes == 1 ? "" : "s") + " is shorter");
        }
        if (encoding == DOWN_AS_BITMAP
                && (bitmapBytes + 2 >= 2 + 2 * down.length || down[down.length - 1] + 1 != bitsRead)) {
            throw new MalformedDatagramException(
                    RejectReason.BAD_FIELD,
                    what
                            + " down bitmap not the shortest encoding (expected: its last bit set, and shorter than a list)");
        }
        int[] left = readIndices(in, what + " left list");
        require(in, 2, what);
        int joinedCount = in.readUnsignedShort();
        List<MemberInfo> joined = new ArrayList<>(Math.min(joinedCount, 64));
        for (int i = 0; i < joinedCount; i++) {
            joined.add(readMember(in, what + " joined"));
        }
        require(in, 2, what);
        int settledCount = in.readUnsignedShort();
        List<InetSocketAddress> settled = new ArrayList<>(Math.min(settledCount, 64));
        for (int i = 0; i < settledCount; i++) {
            settled.add(readAddress(in, what + " settled"));
        }
        try {
            return new Proposal(at, down, left, joined, settled);
        } catch (IllegalArgumentException e) {
            throw new MalformedDatagramException(RejectReason.BAD_FIELD, what + ": " + e.getMessage());
        }
    }

    static int[] readIndices(ByteBuf in, String what) throws MalformedDatagramException {
        require(in, 2, what);
        int count = in.readUnsignedShort();
        require(in, 2 * count, what);
        int[] indices = new int[count];
        for (int i = 0; i < count; i++) {
            indices[i] = in.readUnsignedShort();
        }
        return indices;
    }

    static void writeAddress(InetSocketAddress address, ByteBuf out) {
        byte[] raw = address.getAddress().getAddress();
        out.writeByte(raw.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6)
                .writeBytes(raw)
                .writeShort(address.getPort());
    }

    static InetSocketAddress readAddress(ByteBuf in, String what) throws MalformedDatagramException {
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

    static void require(ByteBuf in, int bytes, String what) throws MalformedDatagramException {
        if (in.readableBytes() < bytes) {
            throw new MalformedDatagramException(
                    RejectReason.TRUNCATED,
                    what + " body cut short: " + in.readableBytes() + " bytes left (expected: at least " + bytes + ")");
        }
    }
}
