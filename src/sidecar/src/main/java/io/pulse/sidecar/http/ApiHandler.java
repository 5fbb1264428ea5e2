package io.pulse.sidecar.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pulse.core.NodeId;
import io.pulse.core.UnknownNodeException;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.health.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * {@code /status}, {@code /status/{id}}, {@code /members} (cluster mode), {@code /keys} (key ids, never keys) and
 * {@code /metrics}, after the health handler: 404 to any
 * other path, 405 to a method other than GET and HEAD, 400 to a request that cannot be read. One
 * bad request costs its response (a malformed one its connection), never the server.
 *
 * <p>Runs on the API's event loop and blocks it while the engine's loop answers; never mount it
 * on the engine's loop.
 */
@ChannelHandler.Sharable
final class ApiHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String STATUS = "/status";
    static final String METRICS = "/metrics";
    static final String MEMBERS = "/members";
    static final String KEYS = "/keys";
    private static final System.Logger LOG = System.getLogger(ApiHandler.class.getName());

    private final PulseEngine engine;
    private final PulseMetrics metrics;

    ApiHandler(PulseEngine engine, PulseMetrics metrics) {
        super(FullHttpRequest.class, true);
        this.engine = engine;
        this.metrics = metrics;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            Responses.sendMalformed(
                    ctx, "malformed request: " + request.decoderResult().cause().getMessage());
            return;
        }
        HttpResponses.send(ctx, request, answer(request));
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).path();
        } catch (IllegalArgumentException e) {
            return Responses.error(request, HttpResponseStatus.BAD_REQUEST, "malformed path: " + e.getMessage());
        }
        Supplier<FullHttpResponse> route = route(request, path);
        if (route == null) {
            return Responses.error(request, HttpResponseStatus.NOT_FOUND, "no such path: " + path);
        }
        HttpMethod method = request.method();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            FullHttpResponse response = Responses.error(
                    request, HttpResponseStatus.METHOD_NOT_ALLOWED, "method " + method + " not allowed on " + path);
            response.headers().set(HttpHeaderNames.ALLOW, Responses.ALLOWED_METHODS);
            return response;
        }
        try {
            return route.get();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "GET " + path + " failed", e);
            return Responses.error(
                    request,
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** What answers {@code path}, or null if nothing does. */
    private Supplier<FullHttpResponse> route(FullHttpRequest request, String path) {
        if (path.equals(STATUS)) {
            return () -> HttpResponses.of(
                    request,
                    HttpResponseStatus.OK,
                    Responses.JSON,
                    StatusJson.all(engine.localId(), engine.localHealthMultiplier(), engine.statusAll()));
        }
        if (path.startsWith(STATUS + "/")) {
            return () -> node(request, path.substring(STATUS.length() + 1));
        }
        if (path.equals(MEMBERS)) {
            return () -> {
                boolean clustered = engine.clustered();
                return HttpResponses.of(
                        request,
                        HttpResponseStatus.OK,
                        Responses.JSON,
                        StatusJson.members(
                                engine.localId(),
                                clustered ? engine.clusterStats() : null,
                                clustered ? engine.members() : java.util.List.of()));
            };
        }
        if (path.equals(KEYS)) {
            return () -> HttpResponses.of(
                    request,
                    HttpResponseStatus.OK,
                    Responses.JSON,
                    StatusJson.keys(engine.localId(), engine.authenticating() ? engine.authentication() : null));
        }
        if (path.equals(METRICS)) {
            return () -> HttpResponses.of(
                    request,
                    HttpResponseStatus.OK,
                    PulseMetrics.CONTENT_TYPE,
                    metrics.scrape().getBytes(StandardCharsets.UTF_8));
        }
        return null;
    }

    private FullHttpResponse node(FullHttpRequest request, String idText) {
        NodeId id;
        try {
            id = NodeId.parse(idText);
        } catch (IllegalArgumentException e) {
            return Responses.error(request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
        }
        try {
            return HttpResponses.of(request, HttpResponseStatus.OK, Responses.JSON, StatusJson.one(engine.status(id)));
        } catch (UnknownNodeException e) {
            return Responses.error(request, HttpResponseStatus.NOT_FOUND, "unknown node " + e.node());
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "API connection closed on error: {0}", cause.toString());
        ctx.close(); // this connection only; the server socket stays open
    }
}
