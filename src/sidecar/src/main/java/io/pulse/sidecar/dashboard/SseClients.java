package io.pulse.sidecar.dashboard;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The open event streams, touched only on the dashboard's single event-loop thread: a new one gets
 * the snapshot, then every batch of the model. A browser that cannot keep up (its socket's buffer
 * past the high-water mark) is disconnected rather than buffered for: it reconnects by itself and
 * starts again from a snapshot.
 */
final class SseClients {
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END = "\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final List<Channel> channels = new ArrayList<>();

    /** Registers {@code channel} and sends it {@code snapshot}; on its event loop. */
    void add(Channel channel, byte[] snapshot) {
        channels.add(channel);
        channel.closeFuture().addListener(f -> channel.eventLoop().execute(() -> channels.remove(channel)));
        channel.writeAndFlush(message(snapshot), channel.voidPromise());
    }

    /** Sends {@code json} (a batch, or null for a keep-alive comment) to every stream; on the event loop. */
    void broadcast(byte[] json) {
        for (Channel channel : List.copyOf(channels)) {
            if (!channel.isActive()) {
                channels.remove(channel);
            } else if (!channel.isWritable()) {
                channels.remove(channel);
                channel.close();
            } else {
                channel.writeAndFlush(
                        json == null ? new DefaultHttpContent(Unpooled.wrappedBuffer(KEEP_ALIVE)) : message(json),
                        channel.voidPromise());
            }
        }
    }

    /** One SSE event: {@code data: <json>} and a blank line (the JSON holds no raw newline). */
    private static DefaultHttpContent message(byte[] json) {
        ByteBuf buf = Unpooled.wrappedBuffer(DATA, json, END);
        return new DefaultHttpContent(buf);
    }
}
