package io.pulse.sidecar.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pulse.transport.health.HealthHandler;
import io.pulse.transport.health.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets a request through only with {@code Authorization: Bearer <token>}; answers 401 with
 * {@code WWW-Authenticate: Bearer} otherwise. {@code /health} stays open: a liveness probe
 * carries no token, and it tells nothing but the time. {@code /metrics} does not: a Prometheus scrape
 * sends the token ({@code authorization: {credentials_file: ...}}), and the meters tell the cluster's
 * shape. Tokens are compared in constant time ({@link AccessToken}).
 *
 * <pre>{@code
 * pipeline.addLast(new HttpServerCodec(), new HttpObjectAggregator(max), new BearerToken("s3cret"), api);
 * }</pre>
 */
@ChannelHandler.Sharable
final class BearerToken extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final AccessToken token;
    private final AtomicLong refused = new AtomicLong();

    BearerToken(String token) {
        super(FullHttpRequest.class, false);
        this.token = new AccessToken(token);
    }

    long refused() {
        return refused.get();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).rawPath();
        String given = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (path.equals(HealthHandler.DEFAULT_PATH)
                || path.equals(Readiness.PATH)
                || token.matchesAuthorization(given)) {
            ctx.fireChannelRead(request);
            return;
        }
        refused.incrementAndGet();
        try {
            FullHttpResponse response = Responses.error(
                    request,
                    HttpResponseStatus.UNAUTHORIZED,
                    given == null ? "no Authorization header (expected: Bearer <token>)" : "wrong token");
            response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"pulse\"");
            HttpResponses.send(ctx, request, response);
        } finally {
            request.release();
        }
    }
}
