package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * One piece of cluster membership news: "{@code member} is {@code state} at {@code incarnation},
 * says {@code origin}". Updates ride piggybacked on probe traffic, in gossip messages and, all of a
 * member's view at once, in push-pull {@link Message.Sync} pages.
 *
 * <pre>{@code
 * MemberUpdate suspect = new MemberUpdate(node, Liveness.SUSPECT, 17, self);
 * }</pre>
 *
 * A member is known by the UDP address it probes from and answers on; its {@link NodeId} is that
 * address as {@code ip:port}.
 *
 * @param state       ALIVE, SUSPECT, DEAD or LEFT (never PENDING)
 * @param incarnation the member's incarnation the news is about, at least 1
 * @param origin      who said it first: the suspecting member, the one whose suspicion timed out,
 *                    or the member itself for ALIVE and LEFT
 */
public record MemberUpdate(InetSocketAddress member, Liveness state, long incarnation, InetSocketAddress origin) {

    /** Bytes of an update on the wire besides its two addresses: state and incarnation. */
    public static final int FIXED_WIRE_BYTES = 1 + 8;

    public MemberUpdate {
        Objects.requireNonNull(member, "member");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(origin, "origin");
        if (member.isUnresolved() || origin.isUnresolved()) {
            throw new IllegalArgumentException(
                    "member and origin must be resolved addresses, got " + member + " and " + origin);
        }
        if (state == Liveness.PENDING) {
            throw new IllegalArgumentException("state must be ALIVE, SUSPECT, DEAD or LEFT, got PENDING");
        }
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be >= 1, got " + incarnation);
        }
    }

    /** The size of this update in the wire format: state, incarnation, and each address as family, bytes, port. */
    public int wireBytes() {
        return FIXED_WIRE_BYTES + addressWireBytes(member) + addressWireBytes(origin);
    }

    /** The size of a list of updates in the wire format: a count byte, then each update. */
    public static int wireBytes(java.util.List<MemberUpdate> updates) {
        int bytes = 1;
        for (MemberUpdate update : updates) {
            bytes += update.wireBytes();
        }
        return bytes;
    }

    /** An address on the wire: a family byte, 4 or 16 address bytes, a 2-byte port. */
    public static int addressWireBytes(InetSocketAddress address) {
        return 1 + address.getAddress().getAddress().length + 2;
    }

    public NodeId memberId() {
        return NodeId.of(member.getAddress().getHostAddress(), member.getPort());
    }
}
