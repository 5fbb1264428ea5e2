package io.pulse.transport.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Kept-alive HTTP connections, shared by every target whose endpoint has the same {@link Key}.
 * Confined to the event loop (no locks). An attempt takes an idle connection or opens one, and
 * gives it back when the answer allowed keep-alive; connections the server closes leave the pool
 * by themselves, idle ones are closed after {@link #IDLE_TIMEOUT}, and a key's idle connections
 * are closed when its last target is removed.
 */
final class ConnectionPool {
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    /** Idle connections kept per key; a burst above it opens connections that are closed after use. */
    static final int MAX_IDLE_PER_KEY = 64;
    /** Beyond the attempt's own timeout, so that the attempt's timer, not Netty's, ends a slow connect. */
    private static final long CONNECT_TIMEOUT_SLACK_MILLIS = 1_000;

    /**
     * What a connection can carry: requests to {@code address}, in TLS to {@code tlsHost} with
     * {@code ssl} when {@code ssl} is not null.
     */
    record Key(InetSocketAddress address, String tlsHost, SslContext ssl) {}

    private static final class Entry {
        int users;
        final ArrayDeque<Channel> idle = new ArrayDeque<>();
    }

    private final Bootstrap bootstrap;
    private final Tally tally;
    private final Map<Key, Entry> entries = new HashMap<>();
    private boolean closed;

    ConnectionPool(Bootstrap bootstrap, Tally tally) {
        this.bootstrap = bootstrap;
        this.tally = tally;
    }

    /** A target uses {@code key}: its idle connections are kept. */
    void retain(Key key) {
        entries.computeIfAbsent(key, k -> new Entry()).users++;
    }

    /** A target no longer uses {@code key}; with the last one gone its idle connections are closed. */
    void unretain(Key key) {
        Entry entry = entries.get(key);
        if (entry != null && --entry.users == 0) {
            entries.remove(key);
            closeIdle(entry);
        }
    }

    /** An open idle connection for {@code key}, now busy, or {@code null}. */
    Channel pollIdle(Key key) {
        Entry entry = entries.get(key);
        if (entry == null) {
            return null;
        }
        Channel channel;
        while ((channel = entry.idle.pollFirst()) != null) {
            if (channel.isActive()) {
                return channel;
            }
            channel.close();
        }
        return null;
    }

    /** Opens a busy connection; the future completes when it can carry a request (TLS handshake done). */
    ChannelFuture connect(Key key, long attemptTimeoutMillis) {
        ChannelFuture connect = bootstrap
                .clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        Math.min(Integer.MAX_VALUE, attemptTimeoutMillis + CONNECT_TIMEOUT_SLACK_MILLIS))
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ChannelPipeline pipeline = ch.pipeline();
                        if (key.ssl() != null) {
                            pipeline.addLast(key.ssl()
                                    .newHandler(
                                            ch.alloc(),
                                            key.tlsHost(),
                                            key.address().getPort()));
                        }
                        pipeline.addLast(
                                new HttpClientCodec(),
                                new IdleStateHandler(0, 0, IDLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS),
                                new HttpConnectionHandler());
                    }
                })
                .connect(key.address());
        Channel channel = connect.channel();
        tally.connectionsOpened++;
        tally.openConnections++;
        channel.closeFuture().addListener(f -> {
            tally.openConnections--;
            Entry entry = entries.get(key);
            if (entry != null) {
                entry.idle.remove(channel);
            }
        });
        if (key.ssl() == null) {
            return connect;
        }
        ChannelPromise ready = channel.newPromise();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                ready.tryFailure(f.cause());
                return;
            }
            channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(handshake -> {
                if (handshake.isSuccess()) {
                    ready.trySuccess();
                } else {
                    ready.tryFailure(handshake.cause());
                }
            });
        });
        return ready;
    }

    /** A busy connection whose exchange ended well and whose server allows keep-alive. */
    void giveBack(Key key, Channel channel) {
        Entry entry = entries.get(key);
        if (closed || entry == null || !channel.isActive() || entry.idle.size() >= MAX_IDLE_PER_KEY) {
            channel.close();
            return;
        }
        entry.idle.addFirst(channel);
    }

    /** Closes every idle connection; busy ones are closed by their attempts. */
    void close() {
        closed = true;
        entries.values().forEach(ConnectionPool::closeIdle);
        entries.clear();
    }

    private static void closeIdle(Entry entry) {
        for (Channel channel : entry.idle.toArray(new Channel[0])) {
            channel.close();
        }
        entry.idle.clear();
    }
}
