/**
 * The UDP wire format, version 3. Every message is one datagram of at most
 * {@value io.pulse.protocol.WireFormat#MAX_DATAGRAM_BYTES} bytes, big-endian throughout.
 *
 * <h2>Header (16 bytes, every message)</h2>
 * <pre>
 * offset size field
 *  0     2    magic        0x50 0x55 ("PU")
 *  2     1    version      3 (2 and 1 are no longer understood)
 *  3     1    type         1 PING, 2 ACK, 3 PING_REQ, 4 NACK; cluster mode: 5 ALERT, 6 ALERT_ACK, 7 JOIN,
 *                          8 CHALLENGE, 9 PREPARE, 10 PROMISE, 11 ACCEPT, 12 ACCEPTED, 13 DECIDED,
 *                          14 CONFIG_REQUEST, 15 CONFIG_PAGE, 16 PUBLISHED
 *  4     1    flags        bit 0 (0x01): signed, an authentication trailer ends the datagram; the rest 0
 *  5     1    key id       signed: the keyring slot of the MAC key (1..255); unsigned: 0
 *  6     2    MAC length   signed: the trailer's length, 39 (IPv4 identity) or 51 (IPv6); unsigned: 0
 *  8     8    sequence     a random nonce chosen by the sender (never a counter), echoed by the answer
 * </pre>
 *
 * <h2>Parts</h2>
 * <pre>
 * address     family 1 (4 = IPv4, 6 = IPv6), address 4 or 16 bytes, port 2 (1..65535)
 * config      epoch 8 (0 with id 0: none, a static node or one still joining), id 8 (the configuration's
 *             hash, see io.pulse.core.Configuration)
 * ballot      round 4 (below 2^31), rank 2
 * labels      count 1 (0..16), then per label, ordered by key: key length 1, key (A-Z a-z 0-9 . _ / -,
 *             1..63 bytes), value length 1, value (UTF-8, at most 127 bytes); 512 bytes in all at most
 * member      address, incarnation 8 (at least 1: the process's start, epoch ms), labels
 * standing    address, incarnation 8, state 1 (1 ALIVE, 2 DEAD, 3 LEFT, 4 FLAPPING), since 8 (epoch ms),
 *             failures 1, last failure 8 (epoch ms)
 * proposal    at 8 (epoch ms); down: encoding 1, then either 0 = a list (count 2, member indices 2 each,
 *             ascending) or 1 = a bitmap (bit count 2, its last bit set, then the bits, index 0 in bit 0 of
 *             the first byte), whichever is shorter (the list when equal); left: count 2, indices 2 each,
 *             ascending; joined: count 2, members; settled: count 2, addresses
 * </pre>
 *
 * <h2>Bodies</h2>
 * Timestamps are signed 64-bit nanoseconds since the Unix epoch, each on the clock of the node
 * that took it. Member indices count in the order of the configuration the message names.
 * <pre>
 * PING         (48)  t0 sent 8, config 16, zeros 24: a PING is as large as its ACK
 * ACK          (48)  t0 echoed 8, t1 received 8, t2 sent 8, incarnation 8, config 16
 * PING_REQ     (48)  timeout ms 4 (1..60000), target address, zeros to 48 bytes
 * NACK               target address
 * ALERT              config, count 1 (1..255), then per entry: kind 1 (1 DOWN, 2 UP, 3 JOIN, 4 LEAVE),
 *                    address, incarnation 8, and labels for a JOIN
 * ALERT_ACK    (16)  config
 * JOIN               incarnation 8, cookie 8 (0 before a CHALLENGE), labels
 * CHALLENGE    (8)   cookie 8
 * PREPARE            config, ballot, zeros to the end (unsigned: to the size of the largest PROMISE)
 * PROMISE            config, ballot, accepted ballot (0.0: none), and the accepted proposal if there is one
 * ACCEPT             config, ballot, proposal
 * ACCEPTED     (29)  config, ballot, ok 1 (0 or 1), promised ballot
 * DECIDED            config, proposal: the change of that configuration a majority accepted
 * CONFIG_REQUEST     config held (may be none), page 2, zeros to the end (unsigned: to the size of the
 *                    largest page)
 * CONFIG_PAGE        config, page 2, pages 2, member count 2, members, standing count 2, standings
 * PUBLISHED    (16)  config: the events of the change that made it are in Kafka
 * </pre>
 *
 * <h2>Authentication trailer (signed datagrams, {@link io.pulse.protocol.DatagramAuth})</h2>
 * <pre>
 *  0     7|19 identity     the sender's address as its peers know it (a member's address in a cluster)
 *  +0    8    boot         the sender's process start, epoch ms: it grows across restarts
 *  +8    8    counter      one more per datagram the sender signs in this boot
 *  +16   16   tag          HMAC-SHA-256 over every byte before the tag (header with its flags, key id and
 *                          length, body, identity, boot, counter), truncated to 16 bytes; the key is
 *                          HMAC-SHA-256(slot key, "pulse-mac-v1" 0 label)
 * </pre>
 * A node with a {@link io.pulse.protocol.Keyring} drops a datagram whose tag does not match (a
 * wrong key or label), whose key id it does not hold, that comes from an earlier boot of its
 * sender than one it saw, or whose counter it saw or is more than 64 behind the highest it saw
 * from that identity (whatever source address it comes from); without a keyring, it drops every
 * signed datagram.
 *
 * <h2>Decoding is strict</h2>
 * A datagram is rejected, and counted by {@link io.pulse.protocol.RejectReason}, when it is
 * longer than the limit, shorter than its header or body, longer than its body (trailing bytes),
 * has the wrong magic, an unknown version or type, authentication fields it cannot check, or a
 * field out of range (a padding byte that is not zero, a count beyond its bound, labels out of
 * order, a proposal's indices not ascending or not in the shorter encoding). A rejected datagram
 * changes nothing but a counter. Every datagram that decodes encodes back to the same bytes.
 *
 * <h2>Evolution</h2>
 * A new version gets a new version byte; a node drops what it cannot read and counts it as
 * {@link io.pulse.protocol.RejectReason#UNSUPPORTED_VERSION}. Versions do not talk to each other,
 * so every node of a group is upgraded together. Version 3 replaced version 2's gossip (GOSSIP,
 * SYNC and piggybacked updates) with agreed configurations: the configuration rides on every PING
 * and ACK, and changes are decided by a majority (Paxos) instead of spread member to member; its
 * trailer names the sender and counts per boot instead of stamping the time.
 *
 * <h2>No amplification</h2>
 * Every answer is at most as large as the datagram that asked for it: an ACK (64) to a PING (64),
 * a relayed PING to a PING_REQ (64), a NACK or a relayed ACK back to it, an ALERT_ACK (32) to an
 * ALERT (at least 34), a CHALLENGE (24) to a JOIN (at least 33). What a node asks for that is
 * larger, it pads its question to: an unsigned PREPARE to the largest PROMISE, an unsigned
 * CONFIG_REQUEST to the largest CONFIG_PAGE.
 */
package io.pulse.protocol;
