package io.pulse.protocol;

import io.pulse.core.Message;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A message with the peer it came from (inbound) or goes to (outbound).
 *
 * <pre>{@code
 * channel.writeAndFlush(new Envelope(target, new Message.Ping(seq, now)));
 * }</pre>
 */
public record Envelope(InetSocketAddress peer, Message message) {
    public Envelope {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(message, "message");
    }
}
