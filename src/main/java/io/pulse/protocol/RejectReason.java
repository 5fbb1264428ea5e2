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
    /** Flags, key id or MAC length set: authentication this version cannot check. */
    UNSUPPORTED_AUTH,
    /** A field out of its range: address family, port, timeout. */
    BAD_FIELD
}
