package io.pulse.transport.health;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;

/**
 * The last handler of {@link HealthHandler#server}: 404 to every request no handler before it
 * took, 400 (and close) to a malformed one.
 */
@ChannelHandler.Sharable
final class NotFoundHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final NotFoundHandler INSTANCE = new NotFoundHandler();

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean malformed = request.decoderResult().isFailure();
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(
                request.protocolVersion(),
                malformed ? HttpResponseStatus.BAD_REQUEST : HttpResponseStatus.NOT_FOUND,
                Unpooled.EMPTY_BUFFER);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        if (malformed) {
            HttpUtil.setKeepAlive(response, false);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        } else {
            HttpResponses.send(ctx, request, response);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a malformed or oversized request costs its connection, never the server
    }
}
