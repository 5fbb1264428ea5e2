/**
 * The UDP wire format, version 1. Every message is one datagram of at most
 * {@value io.pulse.protocol.WireFormat#MAX_DATAGRAM_BYTES} bytes, big-endian throughout.
 *
 * <h2>Header (16 bytes, every message)</h2>
 * <pre>
 * offset size field
 *  0     2    magic        0x50 0x55 ("PU")
 *  2     1    version      1
 *  3     1    type         1 PING, 2 ACK, 3 PING_REQ, 4 NACK, 5 GOSSIP, 6 SYNC (5 and 6: cluster mode)
 *  4     1    flags        bit 0 (0x01): signed, an authentication trailer ends the datagram;
 *                          bit 1 (0x02): membership updates follow the body (cluster mode's piggyback,
 *                          types 1..4 only); the rest 0
 *  5     1    key id       signed: the keyring slot of the MAC key (1..255); unsigned: 0
 *  6     2    MAC length   signed: 24, the trailer's length; unsigned: 0
 *  8     8    sequence     a random nonce chosen by the sender (never a counter), echoed by the answer
 * </pre>
 *
 * <h2>Bodies</h2>
 * Timestamps are signed 64-bit nanoseconds since the Unix epoch, each on the clock of the node
 * that took it.
 * <pre>
 * PING      (24 bytes)  16: t0 sent            8
 * ACK       (48 bytes)  16: t0 echoed          8
 *                       24: t1 received        8   responder's clock
 *                       32: t2 sent            8   responder's clock
 *                       40: incarnation        8   grows when the responder restarts
 * PING_REQ  (27 or 39)  16: timeout ms         4   unsigned, 1..60000
 *                       20: target address     7 or 19 (below)
 * NACK      (23 or 35)  16: target address     7 or 19
 * GOSSIP                16: updates            (below)
 * SYNC                  16: flags              1   bit 0: reply wanted (send your view back)
 *                       17: page               2   0..pages-1
 *                       19: pages              2   1..65535, one exchange shares the sequence
 *                       21: updates            (below), the sender's whole view across the pages
 *
 * updates:  0: count 1 (1..255), then each update: state 1 (1 ALIVE, 2 SUSPECT, 3 DEAD, 4 LEFT),
 *           incarnation 8 (at least 1), member address, origin address (who said it first)
 *           With the piggyback flag, updates follow a PING, ACK, PING_REQ or NACK body.
 *
 * address:  0: family 1 (4 = IPv4, 6 = IPv6), 1: address 4 or 16 bytes, then port 2 (1..65535)
 * </pre>
 *
 * <h2>Authentication trailer (signed datagrams, {@link io.pulse.protocol.DatagramAuth})</h2>
 * <pre>
 *  0     8    sent         the sender's clock, epoch ns, strictly increasing per sender
 *  8     16   tag          HMAC-SHA-256 over every byte before the tag (header with its
 *                          flags, key id and length, body, updates, sent), truncated to 16
 *                          bytes; the key is HMAC-SHA-256(slot key, "pulse-mac-v1" 0 label)
 * </pre>
 * A node with a {@link io.pulse.protocol.Keyring} drops a datagram whose tag does not match (a
 * wrong key or label), whose key id it does not hold, whose send time is outside its replay
 * window, or that it accepted before; without one, it drops every signed datagram.
 *
 * <h2>Decoding is strict</h2>
 * A datagram is rejected, and counted by {@link io.pulse.protocol.RejectReason}, when it is
 * longer than the limit, shorter than its header or body, longer than its body (trailing bytes),
 * has the wrong magic, an unknown version or type, authentication fields it cannot check, or a
 * field out of range. A rejected datagram changes nothing but a counter.
 *
 * <h2>Evolution</h2>
 * A new version gets a new version byte; a version-1 node drops what it cannot read and counts
 * it as {@link io.pulse.protocol.RejectReason#UNSUPPORTED_VERSION}. Cluster mode added types 5
 * and 6 and the piggyback flag to version 1 without changing any static-mode datagram: a static
 * monitor and a {@code respond} node exchange the same bytes as before, and a member never
 * piggybacks to an address that is not a member. Authentication added flag bit 0, the key id,
 * the length and the trailer: an unsigned datagram is the same bytes as before.
 */
package io.pulse.protocol;
