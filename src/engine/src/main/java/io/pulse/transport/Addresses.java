package io.pulse.transport;

import io.pulse.core.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Host names to addresses, once, when a node is added or a cluster started: a name that does not
 * resolve is the caller's error, said with the node's id.
 *
 * <pre>{@code
 * InetSocketAddress address = Addresses.resolve(NodeId.parse("db-1:7946"));
 * }</pre>
 */
final class Addresses {
    private Addresses() {}

    /** Whether {@code host} is an IPv4 or IPv6 address, not a name to look up. */
    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    }

    /** @throws IllegalArgumentException if the host does not resolve */
    static InetSocketAddress resolve(NodeId id) {
        try {
            return new InetSocketAddress(InetAddress.getByName(id.host()), id.port());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host of node " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The address a member gives the others: {@code advertise} (its host resolved now), or when
     * null the bound address, or this host's address with the bound port when bound to a wildcard.
     *
     * @throws IllegalArgumentException if a host does not resolve
     */
    static InetSocketAddress advertised(InetSocketAddress advertise, InetSocketAddress bound) {
        InetSocketAddress self = advertise != null ? advertise : defaultAdvertise(bound);
        return self.isUnresolved() ? resolve(NodeId.of(self.getHostString(), self.getPort())) : self;
    }

    private static InetSocketAddress defaultAdvertise(InetSocketAddress local) {
        if (!local.getAddress().isAnyLocalAddress()) {
            return local;
        }
        try {
            return new InetSocketAddress(InetAddress.getLocalHost(), local.getPort());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(
                    "bound to " + local + " and this host's name does not resolve: " + "give the address to advertise",
                    e);
        }
    }

    /** Who a node signs as until it joins a cluster: its bind address if specific, else a random one. */
    static InetSocketAddress identity(InetSocketAddress bind) {
        return bind.getAddress().isAnyLocalAddress() || bind.getPort() == 0
                ? io.pulse.protocol.DatagramAuth.randomIdentity(bind.getPort())
                : bind;
    }
}
