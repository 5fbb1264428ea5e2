package io.pulse.transport.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.pulse.core.Clock;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Answers {@code GET /health} (and {@code HEAD}) with {@code 200 {"ok": true, "now": "..."}}, the
 * time being this host's wall clock in RFC 3339 UTC with nanoseconds; when the health check says
 * not ok, {@code 503 {"ok": false, ...}}. Other paths go on down the pipeline.
 *
 * <pre>{@code
 * // Standalone: a server that answers /health and 404 to everything else.
 * new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
 *         .childHandler(HealthHandler.server(HealthHandler.create()))
 *         .bind(new InetSocketAddress("0.0.0.0", 8080));
 * // Mounted in an existing HTTP pipeline, after the codec and an aggregator:
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
 *         HealthHandler.builder().ok(() -> database.isUp()).build(), yourHandler);
 * }</pre>
 *
 * <p>Stateless and {@link ChannelHandler.Sharable}. It releases the requests it answers and passes
 * the others on untouched. Keep-alive follows the request ({@code Connection: close}, HTTP/1.0).
 */
@ChannelHandler.Sharable
public final class HealthHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    public static final String DEFAULT_PATH = "/health";
    /** Request bodies are not expected; the standalone server refuses larger ones. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private static final DateTimeFormatter RFC_3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final String path;
    private final Clock clock;
    private final BooleanSupplier ok;

    private HealthHandler(Builder builder) {
        super(FullHttpRequest.class, true);
        this.path = builder.path;
        this.clock = builder.clock;
        this.ok = builder.ok;
    }

    /** {@code /health}, always ok, the system clock. */
    public static HealthHandler create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * A child handler for a {@code ServerBootstrap}: HTTP codec, aggregator, {@code health}, and
     * {@code 404} for every other request.
     */
    public static ChannelInitializer<Channel> server(HealthHandler health) {
        Objects.requireNonNull(health, "health");
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline()
                        .addLast(
                                new HttpServerCodec(),
                                new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                health,
                                NotFoundHandler.INSTANCE);
            }
        };
    }

    /** The JSON body for {@code ok} at {@code epochNanos}. */
    static String body(boolean ok, long epochNanos) {
        java.time.Instant at = java.time.Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
        return "{\"ok\": " + ok + ", \"now\": \"" + RFC_3339_NANOS.format(at) + "\"}";
    }

    @Override
    public boolean acceptInboundMessage(Object msg) {
        return msg instanceof FullHttpRequest request
                && request.decoderResult().isSuccess()
                && pathOf(request.uri()).equals(path);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpMethod method = request.method();
        FullHttpResponse response;
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            boolean healthy = ok.getAsBoolean();
            byte[] json = body(healthy, clock.epochNanos()).getBytes(StandardCharsets.UTF_8);
            HttpResponseStatus status = healthy ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
            response = HttpResponses.of(request, status, HttpHeaderValues.APPLICATION_JSON, json);
        } else {
            response = new DefaultFullHttpResponse(
                    request.protocolVersion(), HttpResponseStatus.METHOD_NOT_ALLOWED, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD").setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        }
        HttpResponses.send(ctx, request, response);
    }

    private static String pathOf(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    /**
     * Configures a {@link HealthHandler}; each setter checks its own argument.
     *
     * <pre>{@code
     * HealthHandler health = HealthHandler.builder().path("/healthz").ok(() -> ready).build();
     * }</pre>
     */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private Clock clock = Clock.system();
        private BooleanSupplier ok = () -> true;

        private Builder() {}

        /** The path it answers, {@value #DEFAULT_PATH} by default; the query string is ignored. */
        public Builder path(String value) {
            Objects.requireNonNull(value, "path");
            if (!value.startsWith("/") || value.indexOf('?') >= 0 || value.indexOf('#') >= 0) {
                throw new IllegalArgumentException("path must start with / and hold no ? or #, got \"" + value + "\"");
            }
            this.path = value;
            return this;
        }

        /** The clock whose wall time is reported as {@code now}; the system clock by default. */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * What {@code ok} says, asked on every request on the event loop: it must be fast and must not
         * block. Always true by default.
         */
        public Builder ok(BooleanSupplier value) {
            this.ok = Objects.requireNonNull(value, "ok");
            return this;
        }

        public HealthHandler build() {
            return new HealthHandler(this);
        }
    }
}
