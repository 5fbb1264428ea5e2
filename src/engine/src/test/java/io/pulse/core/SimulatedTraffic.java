package io.pulse.core;

import io.pulse.protocol.WireFormat;
import java.util.function.ToIntFunction;

/**
 * Datagrams and encoded bytes handed to a {@link SimulatedNetwork}, by role: probes (PING, ACK,
 * PING_REQ, NACK), agreement (ALERT, ALERT_ACK, PREPARE, PROMISE, ACCEPT, ACCEPTED, DECIDED,
 * PUBLISHED) and joining (JOIN, CHALLENGE, CONFIG_REQUEST, CONFIG_PAGE). Bytes are the wire format's
 * encoded size, header included; UDP/IP headers are not counted.
 *
 * <pre>{@code
 * SimulatedTraffic traffic = new SimulatedTraffic();
 * net.measureWith(traffic);
 * SimulatedTraffic before = traffic.copy();
 * net.run(Duration.ofSeconds(30));
 * SimulatedTraffic window = traffic.minus(before);
 * }</pre>
 */
final class SimulatedTraffic implements ToIntFunction<Message> {
    static final int PROBE = 0;
    static final int AGREEMENT = 1;
    static final int JOINING = 2;

    final long[] datagrams = new long[3];
    final long[] bytes = new long[3];
    /** Datagrams by message type, for the progress output. */
    final java.util.Map<String, Long> byType = new java.util.TreeMap<>();

    @Override
    public int applyAsInt(Message message) {
        int size = WireFormat.encodedSize(message);
        int role = roleOf(message);
        datagrams[role]++;
        bytes[role] += size;
        byType.merge(message.getClass().getSimpleName(), 1L, Long::sum);
        return size;
    }

    static int roleOf(Message message) {
        if (message instanceof Message.Ping
                || message instanceof Message.Ack
                || message instanceof Message.PingReq
                || message instanceof Message.Nack) {
            return PROBE;
        }
        if (message instanceof Message.Join
                || message instanceof Message.Challenge
                || message instanceof Message.ConfigRequest
                || message instanceof Message.ConfigPage) {
            return JOINING;
        }
        return AGREEMENT;
    }

    SimulatedTraffic copy() {
        SimulatedTraffic t = new SimulatedTraffic();
        System.arraycopy(datagrams, 0, t.datagrams, 0, datagrams.length);
        System.arraycopy(bytes, 0, t.bytes, 0, bytes.length);
        return t;
    }

    /** What was sent since {@code earlier}. */
    SimulatedTraffic minus(SimulatedTraffic earlier) {
        SimulatedTraffic t = new SimulatedTraffic();
        for (int i = 0; i < datagrams.length; i++) {
            t.datagrams[i] = datagrams[i] - earlier.datagrams[i];
            t.bytes[i] = bytes[i] - earlier.bytes[i];
        }
        return t;
    }

    long totalDatagrams() {
        return datagrams[PROBE] + datagrams[AGREEMENT] + datagrams[JOINING];
    }

    long totalBytes() {
        return bytes[PROBE] + bytes[AGREEMENT] + bytes[JOINING];
    }
}
