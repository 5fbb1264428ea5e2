package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A member of an agreed configuration: the UDP address it probes from and answers on, the
 * incarnation of the process there (its start time in epoch milliseconds: a restart makes a new
 * one), and its {@link Labels}.
 *
 * <pre>{@code
 * MemberInfo me = new MemberInfo(address, PulseCore.defaultIncarnation(clock), Labels.of(Map.of("service", "billing")));
 * }</pre>
 */
public record MemberInfo(InetSocketAddress address, long incarnation, Labels labels) {
    public MemberInfo {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(labels, "labels");
        if (address.isUnresolved() || address.getPort() == 0) {
            throw new IllegalArgumentException("a member's address must be resolved, with a port; got " + address);
        }
        if (incarnation < 1) {
            throw new IllegalArgumentException("incarnation must be >= 1, got " + incarnation);
        }
    }

    /** The encoded size: the address (family, bytes, port), the incarnation, the labels. */
    public int encodedBytes() {
        return addressBytes(address) + 8 + labels.encodedBytes();
    }

    /** An address on the wire: a family byte, 4 or 16 address bytes, a 2-byte port. */
    public static int addressBytes(InetSocketAddress address) {
        return 1 + address.getAddress().getAddress().length + 2;
    }

    public NodeId id() {
        return NodeId.of(address.getAddress().getHostAddress(), address.getPort());
    }

    /** This member without its labels, as alerts name it (the coordinators have its labels already). */
    MemberInfo bare() {
        return labels.equals(Labels.NONE) ? this : new MemberInfo(address, incarnation, Labels.NONE);
    }
}
