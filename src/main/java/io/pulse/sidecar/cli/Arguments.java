package io.pulse.sidecar.cli;

import java.net.InetSocketAddress;
import java.time.Duration;

/** Parsing of the CLI's own arguments; a bad one is a {@link UsageException} naming the option. */
final class Arguments {
    private Arguments() {
    }

    /** {@code host:port} or {@code [ipv6]:port}, port 0..65535, the host resolved. */
    static InetSocketAddress bindAddress(String option, String text) {
        int colon = text.lastIndexOf(':');
        String host = colon > 0 ? text.substring(0, colon) : "";
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (host.isEmpty() || port < 0 || port > 65_535) {
            throw new UsageException(option + ": got \"" + text + "\" (expected: host:port with port 0..65535)");
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new UsageException(option + ": cannot resolve host " + host);
        }
        return address;
    }

    static Duration duration(String option, String text) {
        try {
            return io.pulse.sidecar.config.Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": got \"" + text + "\" (" + e.getMessage() + ")");
        }
    }
}
