package io.pulse.sidecar.cli;

import io.pulse.sidecar.config.AuthMode;
import io.pulse.sidecar.config.HostPorts;
import java.net.InetSocketAddress;
import java.time.Duration;

/** Parsing of the CLI's own arguments; a bad one is a {@link UsageException} naming the option. */
final class Arguments {
    private Arguments() {}

    /** {@code host:port} or {@code [ipv6]:port}, port 0..65535 ({@link HostPorts}), the host resolved. */
    static InetSocketAddress bindAddress(String option, String text) {
        InetSocketAddress parsed;
        try {
            parsed = HostPorts.parseBind(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": got \"" + text + "\" (" + e.getMessage() + ")");
        }
        InetSocketAddress address = new InetSocketAddress(parsed.getHostString(), parsed.getPort());
        if (address.isUnresolved()) {
            throw new UsageException(option + ": cannot resolve host " + parsed.getHostString());
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

    /** {@code required}, {@code permissive} or {@code none}. */
    static AuthMode authMode(String option, String text) {
        try {
            return AuthMode.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + ": " + e.getMessage());
        }
    }
}
