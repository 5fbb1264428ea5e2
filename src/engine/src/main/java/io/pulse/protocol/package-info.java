/**
 * The UDP wire format, version 2. Every message is one datagram of at most
 * {@value io.pulse.protocol.WireFormat#MAX_DATAGRAM_BYTES} bytes, big-endian throughout.
 *
 * <h2>Header (16 bytes, every message)</h2>
 * <pre>
 * offset size field
 *  0     2    magic        0x50 0x55 ("PU")
 *  2     1    version      2 (1 was the same without padding: no longer understood)
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
 * PING      (48 bytes)  16: t0 sent            8
 *                       24: padding           24   zeros: a PING is as large as its ACK
 * ACK       (48 bytes)  16: t0 echoed          8
 *                       24: t1 received        8   responder's clock
 *                       32: t2 sent            8   responder's clock
 *                       40: incarnation        8   grows when the responder restarts
 * PING_REQ  (48 bytes)  16: timeout ms         4   unsigned, 1..60000
 *                       20: target address     7 or 19 (below)
 *                       27 or 39: padding      zeros to 48 bytes, the size of the PING it asks for
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
 * A new version gets a new version byte; a node drops what it cannot read and counts it as
 * {@link io.pulse.protocol.RejectReason#UNSUPPORTED_VERSION}. Version 2 padded PING and PING_REQ
 * to the 48 bytes of an ACK, so that no answer is larger than its request (version 1 answered a
 * 24-byte PING with a 48-byte ACK: a reflector that doubled an attacker's traffic); versions 1 and
 * 2 do not talk, so every node of a group is upgraded together. Version 2 also has cluster mode's
 * types 5 and 6 and the piggyback flag, which a static monitor and a {@code respond} node never
 * send: a member never piggybacks to an address that is not a member. Authentication is flag bit
 * 0, the key id, the length and the trailer: an unsigned datagram has none of them.
 *
 * <h2>No amplification</h2>
 * Every answer is at most as large as the datagram that asked for it: an ACK (48) to a PING (48),
 * a relayed PING (48) to a PING_REQ (48), a NACK (23 or 35) or relayed ACK (48) back to it. An
 * answer to an unauthenticated datagram piggybacks at most as many bytes of updates as that
 * datagram carried; to an authenticated one, up to the configured piggyback budget.
 */
package io.pulse.protocol;
