package io.pulse.transport.probe;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a pooled HTTP connection: hands the decoded answer to the attempt the
 * connection carries now, and closes the connection when it is idle too long or the server
 * talks out of turn. Releases every message it reads (the attempt copies what it keeps).
 */
final class HttpConnectionHandler extends ChannelInboundHandlerAdapter {
    private HttpAttempt current;

    void begin(HttpAttempt attempt) {
        current = attempt;
    }

    void end() {
        current = null;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            HttpAttempt attempt = current;
            if (attempt == null) {
                ctx.close(); // an answer to no request: the connection is out of step
                return;
            }
            if (msg instanceof HttpResponse response) {
                attempt.onResponse(response);
            }
            if (msg instanceof HttpContent content && current == attempt) {
                attempt.onContent(content);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        HttpAttempt attempt = current;
        current = null;
        if (attempt != null) {
            attempt.broken(ctx.channel(), null);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        HttpAttempt attempt = current;
        current = null;
        ctx.close();
        if (attempt != null) {
            attempt.broken(ctx.channel(), cause);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (current == null) {
                ctx.close();
            }
            return;
        }
        ctx.fireUserEventTriggered(event);
    }
}
