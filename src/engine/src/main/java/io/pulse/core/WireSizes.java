package io.pulse.core;

/**
 * The sizes of the wire format that the core plans with: how much a coordinator pads an unsigned
 * PREPARE and a member an unsigned CONFIG_REQUEST, so that the answer they ask for is no larger
 * than the question (no answer amplifies; a node answers only within that bound to an unsigned
 * datagram). {@code io.pulse.protocol} lays the bytes out; its tests hold these numbers to it.
 */
final class WireSizes {
    static final int HEADER = 16;
    static final int CONFIG_REF = 16;
    static final int BALLOT = 6;
    /** The largest datagram, and what its authentication trailer may take of it (an IPv6 identity). */
    static final int DATAGRAM = 1400;

    static final int MAX_TRAILER = 51;
    /** A PROMISE carrying the largest value. */
    static final int MAX_PROMISE = HEADER + CONFIG_REF + 2 * BALLOT + Agreement.MAX_VALUE_BYTES;
    /** A PREPARE before padding. */
    static final int PREPARE = HEADER + CONFIG_REF + BALLOT;
    /** What a CONFIG_PAGE's entries may take: the datagram less header, reference, page fields and trailer. */
    static final int PAGE_ENTRIES = DATAGRAM - MAX_TRAILER - HEADER - CONFIG_REF - 8;
    /** The largest CONFIG_PAGE. */
    static final int MAX_PAGE = HEADER + CONFIG_REF + 8 + PAGE_ENTRIES;
    /** A CONFIG_REQUEST before padding. */
    static final int CONFIG_REQUEST = HEADER + CONFIG_REF + 2;

    private WireSizes() {}

    /**
     * Whether {@code message}, if unsigned, asks for an answer larger than itself: a CONFIG_REQUEST or
     * a PREPARE that its sender did not pad. A node does not answer those (no answer amplifies).
     */
    static boolean asksForMore(Message message) {
        if (message instanceof Message.ConfigRequest request) {
            return request.paddingBytes() < MAX_PAGE - CONFIG_REQUEST;
        }
        if (message instanceof Message.Prepare prepare) {
            return prepare.paddingBytes() < MAX_PROMISE - PREPARE;
        }
        return false;
    }
}
