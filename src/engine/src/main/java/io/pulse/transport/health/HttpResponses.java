package io.pulse.transport.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * How Pulse's HTTP servers (the health endpoint, the sidecar's API) build and write a response:
 * the whole body with its length (none for HEAD), no caching, and the connection kept open if the
 * request allows it.
 *
 * <pre>{@code
 * HttpResponses.send(ctx, request, HttpResponses.of(request, HttpResponseStatus.OK, "application/json", json));
 * }</pre>
 */
public final class HttpResponses {
    private HttpResponses() {}

    /** {@code body} with its length and {@code Cache-Control: no-store}; a HEAD request gets the headers only. */
    public static FullHttpResponse of(
            FullHttpRequest request, HttpResponseStatus status, CharSequence contentType, byte[] body) {
        boolean head = request.method().equals(HttpMethod.HEAD);
        FullHttpResponse response = new DefaultFullHttpResponse(
                request.protocolVersion(), status, head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        return response;
    }

    /** Writes {@code response}, keeping the connection open if the request allows it. */
    public static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        if (keepAlive) {
            ctx.writeAndFlush(response, ctx.voidPromise());
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
