package io.pulse.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * An address block, {@code 10.0.0.0/8} or {@code fd00::/8}: which strangers may use this node as a
 * relay ({@link PulseEngineBuilder#relayFrom}).
 *
 * <pre>{@code
 * Cidr office = Cidr.parse("192.168.0.0/16");
 * boolean in = office.contains(InetAddress.getByName("192.168.4.20"));
 * }</pre>
 */
public record Cidr(InetAddress network, int prefixLength) {
    /** Loopback and the private ranges: RFC 1918, IPv6 unique-local. Where unauthenticated relaying is allowed by default. */
    public static final List<String> PRIVATE_BLOCKS =
            List.of("127.0.0.0/8", "::1/128", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7");
    /** {@link #PRIVATE_BLOCKS}, parsed. */
    public static final List<Cidr> PRIVATE =
            PRIVATE_BLOCKS.stream().map(Cidr::parse).toList();

    public Cidr {
        Objects.requireNonNull(network, "network");
        int bits = network.getAddress().length * 8;
        if (prefixLength < 0 || prefixLength > bits) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " (expected: 0.." + bits + ")");
        }
    }

    /** Parses {@code address/length} (a literal address; no name is looked up). */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("CIDR " + text + " (expected: address/length, e.g. 10.0.0.0/8)");
        }
        String address = text.substring(0, slash);
        if (!address.matches("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
            throw new IllegalArgumentException("CIDR " + text + ": not an IP literal");
        }
        try {
            return new Cidr(InetAddress.getByName(address), Integer.parseInt(text.substring(slash + 1)));
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("CIDR " + text + " (expected: address/length, e.g. 10.0.0.0/8)");
        }
    }

    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        byte[] n = network.getAddress();
        if (a.length != n.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != n[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        return rest == 0 || ((a[full] ^ n[full]) & (0xff << (8 - rest))) == 0;
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefixLength;
    }
}
