package io.pulse.sidecar.config;

import java.net.InetSocketAddress;

/**
 * {@code host:port} and {@code [ipv6]:port} bind addresses, port 0 allowed (the OS chooses): the
 * one parser of them, for the configuration file and the CLI. (Node ids, port 1..65535, are
 * {@link io.pulse.core.NodeId#parse}.)
 */
public final class HostPorts {
    private HostPorts() {}

    /** @throws IllegalArgumentException when {@code text} is not host:port with port 0..65535 */
    public static InetSocketAddress parseBind(String text) {
        String host;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("expected [ipv6]:port");
            }
            host = text.substring(1, close);
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon <= 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("expected host:port (IPv6 in brackets)");
            }
            host = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        int number;
        try {
            number = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port must be a number in 0..65535");
        }
        if (number < 0 || number > 65_535) {
            throw new IllegalArgumentException("port must be in 0..65535");
        }
        return InetSocketAddress.createUnresolved(host, number);
    }
}
