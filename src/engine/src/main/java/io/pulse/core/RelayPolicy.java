package io.pulse.core;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Which targets a PING_REQ may make this node probe. A relay that PINGs any address it is told to
 * is a reflector: an attacker aims it at a victim (or at a service bound to this host's loopback,
 * from outside). Multicast, broadcast and unspecified addresses are never probed; loopback only by
 * a node that is itself on loopback.
 *
 * <pre>{@code
 * core.relayPolicy(strangers::contains, RelayPolicy.targets(bind.getAddress().isLoopbackAddress()));
 * }</pre>
 */
public final class RelayPolicy {
    private RelayPolicy() {}

    /** The target rule of a node bound to {@code onLoopback} or not. */
    public static java.util.function.Predicate<InetSocketAddress> targets(boolean onLoopback) {
        return target -> routable(target) && (onLoopback || !target.getAddress().isLoopbackAddress());
    }

    /** Not multicast, broadcast (255.255.255.255) or unspecified. */
    static boolean routable(InetSocketAddress target) {
        InetAddress address = target.getAddress();
        return address != null
                && !address.isMulticastAddress()
                && !address.isAnyLocalAddress()
                && !(address instanceof Inet4Address
                        && address.getAddress()[0] == (byte) 255
                        && address.getAddress()[1] == (byte) 255
                        && address.getAddress()[2] == (byte) 255
                        && address.getAddress()[3] == (byte) 255);
    }
}
