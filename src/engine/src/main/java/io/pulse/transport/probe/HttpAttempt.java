package io.pulse.transport.probe;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.pulse.core.ProbeResult;
import java.util.Locale;

/**
 * One HTTP probe: a {@code GET} on a kept-alive connection (or a new one), the status line and
 * headers timed, the body read for the health document, exactly one {@link ProbeResult}.
 *
 * <p>The RTT runs from the request's write to the response headers, so neither the connect nor
 * the body counts. The peer's {@code now} is reported shifted back by the time from the core's
 * request to the write: the core pairs it with the time it asked for the probe (its t0) and
 * t0 + RTT (its t3), and the shift puts t0 at the write, where the exchange really started.
 *
 * <p>The body buffer is owned here, from the first byte to {@link #complete} or {@link #abandon}.
 */
final class HttpAttempt extends ProbeAttempt {
    private static final String USER_AGENT = "pulse";

    private final HttpProbeTarget target;
    final int endpointIndex;
    private final HttpEndpoint endpoint;
    private final long askedNanos;

    private Channel channel;
    private HttpConnectionHandler handler;
    private boolean reused;
    private boolean retried;
    private long writtenNanos;
    private long headersNanos;
    private boolean answerStarted;
    private boolean informational;
    private int status;
    private boolean keepAlive;
    private boolean readBody;
    private ByteBuf body;
    private boolean bodyTooLarge;

    HttpAttempt(
            ProbeContext ctx,
            HttpProbeTarget target,
            int endpointIndex,
            HttpEndpoint endpoint,
            long sequence,
            long askedNanos,
            long timeoutNanos) {
        super(ctx, sequence, timeoutNanos);
        this.target = target;
        this.endpointIndex = endpointIndex;
        this.endpoint = endpoint;
        this.askedNanos = askedNanos;
    }

    void start() {
        ctx.tally.httpProbes++;
        startTimer();
        Channel idle = ctx.pool.pollIdle(endpoint.key());
        if (idle != null) {
            ctx.tally.connectionsReused++;
            reused = true;
            send(idle);
        } else {
            connect();
        }
    }

    private void connect() {
        reused = false;
        ChannelFuture ready = ctx.pool.connect(endpoint.key(), ProbeContext.millis(timeoutNanos));
        Channel connecting = ready.channel();
        channel = connecting;
        ready.addListener(f -> {
            if (done() || channel != connecting) {
                return;
            }
            if (f.isSuccess()) {
                send(connecting);
            } else {
                fail(ProbeFailures.connectFailed(f.cause()));
            }
        });
    }

    private void send(Channel ch) {
        channel = ch;
        handler = ch.pipeline().get(HttpConnectionHandler.class);
        if (handler == null) { // closed and torn down between pollIdle and now
            broken(ch, null);
            return;
        }
        handler.begin(this);
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.GET, endpoint.requestTarget(), Unpooled.EMPTY_BUFFER);
        request.headers()
                .set(HttpHeaderNames.HOST, endpoint.hostHeader())
                .set(HttpHeaderNames.USER_AGENT, USER_AGENT)
                .set(HttpHeaderNames.ACCEPT, "application/json");
        writtenNanos = ctx.clock.monotonicNanos();
        ch.writeAndFlush(request).addListener(w -> {
            if (!w.isSuccess()) {
                broken(ch, w.cause());
            }
        });
    }

    // ---- from HttpConnectionHandler ----

    void onResponse(HttpResponse response) {
        if (response.decoderResult().isFailure()) {
            broken(channel, response.decoderResult().cause());
            return;
        }
        answerStarted = true;
        int code = response.status().code();
        if (code >= 100 && code < 200 && code != 101) {
            informational = true; // 100 Continue and the like: the real answer follows
            return;
        }
        headersNanos = ctx.clock.monotonicNanos();
        status = code;
        keepAlive = HttpUtil.isKeepAlive(response) && code != 101;
        readBody =
                target.spec.successful(code) && jsonOrUntyped(response.headers().get(HttpHeaderNames.CONTENT_TYPE));
    }

    void onContent(HttpContent content) {
        if (content.decoderResult().isFailure()) {
            broken(channel, content.decoderResult().cause());
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (informational) {
            informational = !last;
            return;
        }
        if (readBody && !bodyTooLarge) {
            append(content.content());
        }
        if (last) {
            finish();
        }
    }

    /** The connection closed or failed under this attempt: retried once if it was a stale kept-alive one. */
    void broken(Channel ch, Throwable cause) {
        if (done() || ch != channel) {
            return;
        }
        detach(false);
        if (reused && !retried && !answerStarted && !(cause instanceof io.netty.handler.codec.DecoderException)) {
            retried = true;
            ctx.tally.staleRetries++;
            connect();
            return;
        }
        fail(ProbeFailures.connectionBroke(cause, answerStarted));
    }

    // ---- outcomes ----

    private void append(ByteBuf chunk) {
        int readable = chunk.readableBytes();
        if (readable == 0) {
            return;
        }
        if (body == null) {
            body = channel.alloc().heapBuffer(Math.min(readable, HealthBody.MAX_BYTES), HealthBody.MAX_BYTES);
        }
        if (body.readableBytes() + readable > HealthBody.MAX_BYTES) {
            bodyTooLarge = true; // the rest is read and dropped, so that the connection stays usable
            releaseBody();
            return;
        }
        body.writeBytes(chunk, chunk.readerIndex(), readable);
    }

    private void finish() {
        long rttNanos = Math.max(0, headersNanos - writtenNanos);
        detach(keepAlive);
        if (!target.spec.successful(status)) {
            fail("HTTP " + status);
            return;
        }
        if (bodyTooLarge) {
            ctx.tally.invalidHealthBodies++;
            complete(ProbeResult.success(sequence, rttNanos), true);
            return;
        }
        if (body == null) {
            complete(ProbeResult.success(sequence, rttNanos), true);
            return;
        }
        HealthBody.Parsed parsed = body.hasArray()
                ? HealthBody.parse(body.array(), body.arrayOffset() + body.readerIndex(), body.readableBytes())
                : HealthBody.parse(ByteBufUtil.getBytes(body), 0, body.readableBytes());
        if (!parsed.valid()) {
            ctx.tally.invalidHealthBodies++; // healthy by its status, but no clock sample
            complete(ProbeResult.success(sequence, rttNanos), true);
        } else if (Boolean.FALSE.equals(parsed.ok())) {
            ctx.tally.healthNotOk++;
            fail("health says ok=false");
        } else if (parsed.hasNow()) {
            long peerAtWrite = parsed.nowEpochNanos() - (writtenNanos - askedNanos);
            complete(ProbeResult.successWithPeerTime(sequence, rttNanos, peerAtWrite), true);
        } else {
            complete(ProbeResult.success(sequence, rttNanos), true);
        }
    }

    @Override
    String subject() {
        return endpoint.url().toString();
    }

    @Override
    void finished(boolean successful) {
        target.finished(this, successful);
    }

    @Override
    void release() {
        releaseBody();
        if (channel != null) {
            detach(false);
        }
    }

    /** Lets go of the connection: back to the pool when {@code reusable}, else closed. */
    private void detach(boolean reusable) {
        Channel ch = channel;
        channel = null;
        if (handler != null) {
            handler.end();
            handler = null;
        }
        if (reusable) {
            ctx.pool.giveBack(endpoint.key(), ch);
        } else {
            ch.close();
        }
    }

    private void releaseBody() {
        if (body != null) {
            body.release();
            body = null;
        }
    }

    private static boolean jsonOrUntyped(String contentType) {
        return contentType == null || contentType.toLowerCase(Locale.ROOT).contains("json");
    }
}
