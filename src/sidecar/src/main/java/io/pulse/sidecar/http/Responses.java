package io.pulse.sidecar.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.pulse.transport.health.HttpResponses;

/**
 * The API's error responses, on top of {@link HttpResponses}: a JSON message, and 400 (and close)
 * to a request the codec could not parse.
 */
final class Responses {
    static final String JSON = HttpHeaderValues.APPLICATION_JSON.toString();
    static final String ALLOWED_METHODS = "GET, HEAD";

    private Responses() {}

    static FullHttpResponse error(FullHttpRequest request, HttpResponseStatus status, String message) {
        return HttpResponses.of(request, status, JSON, Json.error(message));
    }

    /** 400 to a request the codec could not parse, and close: what follows it on the connection is unreadable. */
    static void sendMalformed(ChannelHandlerContext ctx, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_REQUEST, Unpooled.wrappedBuffer(Json.error(message)));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, false);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
