package io.pulse.protocol;

/**
 * Why a datagram was dropped. Each reason has its own counter ({@link RejectCounters}).
 *
 * <pre>{@code
 * long bad = counters.count(RejectReason.BAD_MAGIC);
 * }</pre>
 */
public enum RejectReason {
    /** Longer than {@link WireFormat#MAX_DATAGRAM_BYTES}. */
    OVERSIZE,
    /** Shorter than the header, or than the body its type needs. */
    TRUNCATED,
    /** Longer than the body its type needs. */
    TRAILING_BYTES,
    /** Does not start with the magic bytes. */
    BAD_MAGIC,
    /** A protocol version this node does not speak. */
    UNSUPPORTED_VERSION,
    /** A message type this version does not define. */
    UNKNOWN_TYPE,
    /** Signed, but this node has no keyring to check it with. */
    UNSUPPORTED_AUTH,
    /** Unsigned, and this node requires authentication. */
    UNAUTHENTICATED,
    /** Signed with a key id this node's keyring does not hold. */
    UNKNOWN_KEY,
    /** The MAC does not match: a wrong key or cluster label, or bytes altered on the way. */
    BAD_MAC,
    /** Signed by an earlier boot of its sender than one already seen: a replay of an old datagram. */
    STALE,
    /** Signed, and its counter seen before or too far behind: a replay. */
    REPLAYED,
    /** A field out of its range: address family, port, timeout, a count, a label. */
    BAD_FIELD;

    /** True for the reasons only a node with a keyring gives ({@link DatagramAuth}). */
    public boolean authentication() {
        return switch (this) {
            case UNAUTHENTICATED, UNKNOWN_KEY, BAD_MAC, STALE, REPLAYED -> true;
            default -> false;
        };
    }
}
