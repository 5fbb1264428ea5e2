package io.pulse.transport.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.pulse.core.ManualClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The health handler on an {@link EmbeddedChannel}: no sockets, a manual clock, exact answers. */
class HealthHandlerTest {
    private final ManualClock clock = new ManualClock();
    private final AtomicBoolean ok = new AtomicBoolean(true);
    private final HealthHandler health =
            HealthHandler.builder().clock(clock).ok(ok::get).build();
    private EmbeddedChannel channel;

    @AfterEach
    void finish() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    private static FullHttpRequest request(HttpVersion version, HttpMethod method, String uri) {
        return new DefaultFullHttpRequest(version, method, uri, Unpooled.buffer(0)); // EMPTY_BUFFER is never freed
    }

    private FullHttpResponse answer(FullHttpRequest request) {
        assertFalse(channel.writeInbound(request), "answered, not passed on");
        FullHttpResponse response = channel.readOutbound();
        assertEquals(0, request.refCnt(), "the request is released");
        return response;
    }

    private static String bodyOf(FullHttpResponse response) {
        try {
            return response.content().toString(StandardCharsets.UTF_8);
        } finally {
            response.release();
        }
    }

    @Test
    void getHealthAnswersOkAndTheWallClockWithNanoseconds() {
        channel = new EmbeddedChannel(health);
        clock.advance(Duration.ofNanos(123_456_789));
        FullHttpResponse response = answer(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health"));
        assertEquals(200, response.status().code());
        assertEquals("application/json", response.headers().get(HttpHeaderNames.CONTENT_TYPE));
        assertEquals("no-store", response.headers().get(HttpHeaderNames.CACHE_CONTROL));
        assertEquals("53", response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertNull(response.headers().get(HttpHeaderNames.CONNECTION), "HTTP/1.1 keeps alive by default");
        assertEquals("{\"ok\": true, \"now\": \"2026-01-01T00:00:00.123456789Z\"}", bodyOf(response));
        assertTrue(channel.isOpen());
    }

    @Test
    void notOkIs503WithOkFalse() {
        channel = new EmbeddedChannel(health);
        ok.set(false);
        FullHttpResponse response = answer(request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health?verbose=1"));
        assertEquals(503, response.status().code());
        assertEquals("{\"ok\": false, \"now\": \"2026-01-01T00:00:00.000000000Z\"}", bodyOf(response));
    }

    @Test
    void headHasTheHeadersOfGetAndNoBody() {
        channel = new EmbeddedChannel(health);
        FullHttpResponse response = answer(request(HttpVersion.HTTP_1_1, HttpMethod.HEAD, "/health"));
        assertEquals(200, response.status().code());
        assertEquals("53", response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
        assertEquals("", bodyOf(response));
    }

    @Test
    void otherMethodsAre405WithAllow() {
        channel = new EmbeddedChannel(health);
        FullHttpResponse response = answer(request(HttpVersion.HTTP_1_1, HttpMethod.POST, "/health"));
        assertEquals(405, response.status().code());
        assertEquals("GET, HEAD", response.headers().get(HttpHeaderNames.ALLOW));
        assertEquals("", bodyOf(response));
    }

    @Test
    void connectionCloseAndHttp10CloseTheConnectionAfterTheAnswer() {
        channel = new EmbeddedChannel(health);
        FullHttpRequest close = request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/health");
        close.headers().set(HttpHeaderNames.CONNECTION, "close");
        FullHttpResponse response = answer(close);
        assertEquals("close", response.headers().get(HttpHeaderNames.CONNECTION));
        response.release();
        assertFalse(channel.isOpen());

        channel = new EmbeddedChannel(health);
        response = answer(request(HttpVersion.HTTP_1_0, HttpMethod.GET, "/health"));
        assertEquals(HttpVersion.HTTP_1_0, response.protocolVersion());
        response.release();
        assertFalse(channel.isOpen());
    }

    @Test
    void otherPathsArePassedOnUntouched() {
        channel = new EmbeddedChannel(health);
        FullHttpRequest other = request(HttpVersion.HTTP_1_1, HttpMethod.GET, "/healthz");
        assertTrue(channel.writeInbound(other));
        FullHttpRequest passed = channel.readInbound();
        assertSame(other, passed);
        assertEquals(1, passed.refCnt(), "the next handler owns it");
        passed.release();
        assertNull(channel.readOutbound());
    }

    @Test
    void theStandaloneServerAnswersHealthAnd404OnTheWire() {
        channel = new EmbeddedChannel(HealthHandler.server(health));
        channel.writeInbound(Unpooled.copiedBuffer(
                "GET /health HTTP/1.1\r\nHost: x\r\n\r\nGET /nope HTTP/1.1\r\nHost: x\r\n\r\n",
                StandardCharsets.US_ASCII));
        String wire = readAll(channel);
        assertEquals(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncache-control: no-store\r\n"
                        + "content-length: 53\r\n\r\n{\"ok\": true, \"now\": \"2026-01-01T00:00:00.000000000Z\"}"
                        + "HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
                wire);
        assertTrue(channel.isOpen());
    }

    @Test
    void theStandaloneServerAnswers400AndClosesOnAMalformedRequest() {
        channel = new EmbeddedChannel(HealthHandler.server(health));
        channel.writeInbound(
                Unpooled.copiedBuffer("GET /health HTTP/1.1\r\nbad header line\r\n\r\n", StandardCharsets.US_ASCII));
        String wire = readAll(channel);
        assertTrue(wire.startsWith("HTTP/1.1 400 Bad Request\r\n"), wire);
        assertFalse(channel.isOpen());
    }

    @Test
    void aPathMustStartWithASlash() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> HealthHandler.builder().path("health"));
        assertEquals("path must start with / and hold no ? or #, got \"health\"", e.getMessage());
    }

    @Test
    void bodyFormatsNegativeAndPreEpochTimes() {
        assertEquals("{\"ok\": true, \"now\": \"1969-12-31T23:59:59.999999999Z\"}", HealthHandler.body(true, -1));
    }

    private static String readAll(EmbeddedChannel channel) {
        StringBuilder out = new StringBuilder();
        ByteBuf buf;
        while ((buf = channel.readOutbound()) != null) {
            out.append(buf.toString(StandardCharsets.US_ASCII));
            buf.release();
        }
        return out.toString();
    }
}
