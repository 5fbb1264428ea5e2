package io.pulse.protocol;

import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A message with the peer it came from (inbound) or goes to (outbound); an inbound one is
 * {@code authenticated} when its MAC was checked ({@link DatagramAuth}).
 *
 * <pre>{@code
 * channel.writeAndFlush(new Envelope(target, new Message.Ping(seq, now)));
 * }</pre>
 */
public record Envelope(InetSocketAddress peer, Message message, boolean authenticated) {
    public Envelope {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(message, "message");
    }

    /** An unauthenticated envelope: every outbound one (the codec signs it if it has a keyring), and inbound ones without a MAC. */
    public Envelope(InetSocketAddress peer, Message message) {
        this(peer, message, false);
    }
}
