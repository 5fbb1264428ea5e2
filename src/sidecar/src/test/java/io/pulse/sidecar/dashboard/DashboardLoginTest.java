package io.pulse.sidecar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.pulse.sidecar.http.AccessToken;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dashboard's login on an EmbeddedChannel, with a clock moved by hand: the cookie, its expiry, and what passes. */
class DashboardLoginTest {
    private static final String TOKEN = "0123456789abcdef";

    private Instant now = Instant.parse("2026-12-01T12:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };
    private final EmbeddedChannel channel = new EmbeddedChannel(
            new DashboardLogin(new AccessToken(TOKEN), false, Assets.load().loginPage(), clock));

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body) {
        FullHttpRequest request = new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, method, uri, Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        request.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length());
        return request;
    }

    /** The response, or null when the request went on to the dashboard's handler. */
    private FullHttpResponse send(FullHttpRequest request) {
        channel.writeInbound(request);
        FullHttpRequest passed = channel.readInbound();
        if (passed != null) {
            passed.release();
            return null;
        }
        return channel.readOutbound();
    }

    private String login(String token) {
        FullHttpResponse response = send(request(HttpMethod.POST, "/login", "token=" + token));
        try {
            return response.status().code() == 303 ? response.headers().get(HttpHeaderNames.SET_COOKIE) : null;
        } finally {
            response.release();
        }
    }

    private int status(String uri, String header, String value) {
        FullHttpRequest request = request(HttpMethod.GET, uri, "");
        if (header != null) {
            request.headers().set(header, value);
        }
        FullHttpResponse response = send(request);
        if (response == null) {
            return 0;
        }
        response.release();
        return response.status().code();
    }

    @Test
    void theRightTokenSetsAStrictHttpOnlyCookieThatLetsThePageThroughForTwelveHours() {
        assertNull(login("wrong"));
        String setCookie = login(TOKEN);
        long expires = now.plus(DashboardLogin.SESSION).getEpochSecond();
        assertTrue(setCookie.startsWith("pulse_session=" + expires + "."), setCookie);
        for (String attribute : new String[] {"; max-age=43200", "; path=/", "; httponly", "; samesite=strict"}) {
            assertTrue(setCookie.toLowerCase(java.util.Locale.ROOT).contains(attribute), setCookie);
        }
        assertFalse(setCookie.toLowerCase(java.util.Locale.ROOT).contains("secure"), "no TLS: " + setCookie);
        assertFalse(setCookie.contains(TOKEN), setCookie);
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));

        assertEquals(0, status("/events", "Cookie", cookie), "passed on");
        assertEquals(0, status("/api/snapshot", "Cookie", "other=1; " + cookie), "passed on");
        assertEquals(0, status("/api/snapshot", "Authorization", "Bearer " + TOKEN), "passed on");
        assertEquals(401, status("/api/snapshot", "Authorization", "Bearer wrong"));
        assertEquals(401, status("/events", null, null));
        assertEquals(303, status("/", null, null), "the page sends a stranger to the form");
        assertEquals(0, status("/app.css", null, null), "the form's style sheet is open");
        String tampered = cookie.substring(0, cookie.length() - 2) + (cookie.endsWith("A") ? "BB" : "AA");
        assertEquals(401, status("/events", "Cookie", tampered));
        String longer = "pulse_session=" + (expires + 3600) + cookie.substring(cookie.indexOf('.'));
        assertEquals(401, status("/events", "Cookie", longer), "the expiry is inside what is signed");

        now = now.plus(DashboardLogin.SESSION).minusSeconds(1);
        assertEquals(0, status("/events", "Cookie", cookie), "passed on");
        now = now.plus(Duration.ofSeconds(1));
        assertEquals(401, status("/events", "Cookie", cookie), "the session is over");
    }

    @Test
    void theFormIsServedWithAPolicyAndARefusalSaysWhy() {
        FullHttpResponse form = send(request(HttpMethod.GET, "/login", ""));
        assertEquals(200, form.status().code());
        String page = form.content().toString(StandardCharsets.UTF_8);
        assertTrue(page.contains("<form id=\"login-form\" method=\"post\" action=\"login\">"), page);
        assertFalse(page.contains("login-error"), page);
        assertTrue(form.headers().get("Content-Security-Policy").contains("form-action 'self'"));
        form.release();
        FullHttpResponse refused = send(request(HttpMethod.POST, "/login", "token=nope"));
        assertEquals(401, refused.status().code());
        assertTrue(refused.content().toString(StandardCharsets.UTF_8).contains("That is not the token."));
        assertNull(refused.headers().get(HttpHeaderNames.SET_COOKIE));
        refused.release();
        FullHttpResponse put = send(request(HttpMethod.PUT, "/login", ""));
        assertEquals(405, put.status().code());
        assertEquals("GET, HEAD, POST", put.headers().get(HttpHeaderNames.ALLOW));
        put.release();
    }
}
