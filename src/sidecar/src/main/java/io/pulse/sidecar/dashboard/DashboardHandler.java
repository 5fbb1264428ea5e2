package io.pulse.sidecar.dashboard;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.pulse.transport.health.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The dashboard's routes: the page and its assets from the jar, {@code /api/snapshot},
 * {@code /api/node?id=host:port} and {@code /events} (Server-Sent Events: a snapshot, then batches).
 * Other paths get 404, methods other than GET and HEAD 405. Runs on the dashboard's event loop.
 */
@ChannelHandler.Sharable
final class DashboardHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String EVENTS = "/events";
    static final String SNAPSHOT = "/api/snapshot";
    static final String NODE = "/api/node";
    private static final String JSON = "application/json";
    /** The page loads only its own scripts, styles and data, and posts its login form only to itself. */
    static final String CSP = "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; "
            + "form-action 'self'; base-uri 'none'";

    private static final System.Logger LOG = System.getLogger(DashboardHandler.class.getName());

    private final DashboardModel model;
    private final Assets assets;
    private final SseClients clients;

    DashboardHandler(DashboardModel model, Assets assets, SseClients clients) {
        super(FullHttpRequest.class, true);
        this.model = model;
        this.assets = assets;
        this.clients = clients;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.decoderResult().isFailure()) {
            FullHttpResponse bad =
                    HttpResponses.of(request, HttpResponseStatus.BAD_REQUEST, JSON, error("malformed request"));
            HttpUtil.setKeepAlive(bad, false);
            ctx.writeAndFlush(bad).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            return;
        }
        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8);
            uri.parameters();
        } catch (IllegalArgumentException e) {
            HttpResponses.send(
                    ctx,
                    request,
                    HttpResponses.of(
                            request, HttpResponseStatus.BAD_REQUEST, JSON, error("malformed path: " + e.getMessage())));
            return;
        }
        String path = uri.path();
        boolean known = path.equals(EVENTS) || path.equals(SNAPSHOT) || path.equals(NODE) || assets.has(path);
        if (!known) {
            HttpResponses.send(
                    ctx,
                    request,
                    HttpResponses.of(request, HttpResponseStatus.NOT_FOUND, JSON, error("no such path: " + path)));
            return;
        }
        if (!request.method().equals(HttpMethod.GET) && !request.method().equals(HttpMethod.HEAD)) {
            FullHttpResponse refused = HttpResponses.of(
                    request,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    JSON,
                    error("method " + request.method() + " not allowed on " + path));
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            HttpResponses.send(ctx, request, refused);
            return;
        }
        if (path.equals(EVENTS) && request.method().equals(HttpMethod.GET)) {
            stream(ctx, request);
            return;
        }
        HttpResponses.send(ctx, request, answer(request, uri));
    }

    private FullHttpResponse answer(FullHttpRequest request, QueryStringDecoder uri) {
        String path = uri.path();
        try {
            if (path.equals(SNAPSHOT) || path.equals(EVENTS)) {
                return HttpResponses.of(request, HttpResponseStatus.OK, JSON, model.snapshotJson());
            }
            if (path.equals(NODE)) {
                List<String> id = uri.parameters().get("id");
                if (id == null || id.size() != 1 || id.get(0).isEmpty()) {
                    return HttpResponses.of(
                            request,
                            HttpResponseStatus.BAD_REQUEST,
                            JSON,
                            error("expected one parameter id=<node id>"));
                }
                return HttpResponses.of(request, HttpResponseStatus.OK, JSON, model.nodeJson(id.get(0)));
            }
            Assets.Asset asset = assets.get(path);
            FullHttpResponse response =
                    HttpResponses.of(request, HttpResponseStatus.OK, asset.contentType(), asset.bytes());
            response.headers().set("Content-Security-Policy", CSP);
            return response;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "GET " + path + " failed", e);
            return HttpResponses.of(
                    request,
                    HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    JSON,
                    error("internal error: " + e.getClass().getSimpleName()));
        }
    }

    /** Opens an event stream: the headers, then the snapshot; batches follow from {@link SseClients}. */
    private void stream(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpResponse response = new DefaultHttpResponse(request.protocolVersion(), HttpResponseStatus.OK);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        HttpUtil.setTransferEncodingChunked(response, true);
        ctx.write(response);
        clients.add(ctx.channel(), model.snapshotJson());
    }

    private static byte[] error(String message) {
        return io.pulse.sidecar.http.Json.error(message);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "dashboard connection closed on error: {0}", cause.toString());
        ctx.close();
    }
}
