package io.pulse.sidecar.dashboard;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.pulse.sidecar.http.AccessToken;
import io.pulse.sidecar.http.Json;
import io.pulse.transport.health.HttpResponses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The dashboard's door when it has a token: a login form ({@code GET /login}) that takes the token
 * ({@code POST /login}) and sets a session cookie, {@value #COOKIE}, {@code HttpOnly},
 * {@code SameSite=Strict}, {@code Secure} with TLS, for {@link #SESSION}; then the page, its event
 * stream and its JSON need that cookie (an {@code EventSource} cannot send a header) or
 * {@code Authorization: Bearer <token>} (for scripts). The page itself without either is sent to
 * the login form; anything else gets 401. Only the form and its style sheet are open.
 *
 * <pre>{@code
 * pipeline.addLast(new DashboardLogin(new AccessToken(token), tls, assets.loginPage(), clock), handler);
 * }</pre>
 *
 * The cookie is {@code <expiry, epoch seconds>.<HMAC-SHA-256 of it keyed by the token>}: the token
 * never leaves the server in it, a new token ends every session, and no session state is kept.
 * Tokens and tags compare in constant time.
 */
@ChannelHandler.Sharable
final class DashboardLogin extends SimpleChannelInboundHandler<FullHttpRequest> {
    static final String LOGIN = "/login";
    static final String COOKIE = "pulse_session";
    static final Duration SESSION = Duration.ofHours(12);
    /** The login page's style sheet: the page's, nothing secret in it. */
    private static final List<String> OPEN = List.of(LOGIN, "/app.css");

    private static final List<String> PAGE = List.of("/", "/index.html");
    private static final String HTML = "text/html; charset=utf-8";
    private static final String JSON = "application/json";

    private final AccessToken token;
    private final boolean secure;
    private final byte[] loginPage;
    private final Clock clock;

    /** @param secure the dashboard speaks TLS: the cookie is marked {@code Secure} */
    DashboardLogin(AccessToken token, boolean secure, byte[] loginPage, Clock clock) {
        super(FullHttpRequest.class, false);
        this.token = token;
        this.secure = secure;
        this.loginPage = loginPage.clone();
        this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path;
        try {
            path = new QueryStringDecoder(request.uri(), StandardCharsets.UTF_8).path();
        } catch (IllegalArgumentException e) {
            path = null;
        }
        if (request.decoderResult().isFailure() || path == null) {
            ctx.fireChannelRead(request); // the handler answers 400; nothing is told
            return;
        }
        if (path.equals(LOGIN)) {
            try {
                HttpResponses.send(ctx, request, login(request));
            } finally {
                request.release();
            }
            return;
        }
        if (OPEN.contains(path) || authorized(request)) {
            ctx.fireChannelRead(request);
            return;
        }
        try {
            FullHttpResponse refused;
            if (PAGE.contains(path) && request.method().equals(HttpMethod.GET)) {
                refused = HttpResponses.of(request, HttpResponseStatus.SEE_OTHER, HTML, new byte[0]);
                refused.headers().set(HttpHeaderNames.LOCATION, "login");
            } else {
                refused = HttpResponses.of(
                        request,
                        HttpResponseStatus.UNAUTHORIZED,
                        JSON,
                        Json.error("log in at " + LOGIN + " (or send Authorization: Bearer <token>)"));
                refused.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"pulse-dashboard\"");
            }
            HttpResponses.send(ctx, request, refused);
        } finally {
            request.release();
        }
    }

    /** GET: the form; POST: the token checked, then the cookie and the page, or the form again with why. */
    private FullHttpResponse login(FullHttpRequest request) {
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD)) {
            return page(request, HttpResponseStatus.OK, "");
        }
        if (!method.equals(HttpMethod.POST)) {
            FullHttpResponse refused = HttpResponses.of(
                    request,
                    HttpResponseStatus.METHOD_NOT_ALLOWED,
                    JSON,
                    Json.error("method " + method + " not allowed on " + LOGIN));
            refused.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, POST");
            return refused;
        }
        String body = request.content().toString(StandardCharsets.UTF_8);
        List<String> given;
        try {
            given = new QueryStringDecoder(body, StandardCharsets.UTF_8, false)
                    .parameters()
                    .get("token");
        } catch (IllegalArgumentException e) {
            given = null;
        }
        if (given == null || given.size() != 1 || !token.matches(given.get(0).strip())) {
            return page(
                    request,
                    HttpResponseStatus.UNAUTHORIZED,
                    "<p id=\"login-error\" class=\"error\" role=\"alert\">That is not the token.</p>");
        }
        long expires = clock.instant().plus(SESSION).getEpochSecond();
        DefaultCookie cookie = new DefaultCookie(COOKIE, expires + "." + tag(expires));
        cookie.setHttpOnly(true);
        cookie.setSecure(secure);
        cookie.setSameSite(CookieHeaderNames.SameSite.Strict);
        cookie.setPath("/");
        cookie.setMaxAge(SESSION.toSeconds());
        FullHttpResponse in = HttpResponses.of(request, HttpResponseStatus.SEE_OTHER, HTML, new byte[0]);
        in.headers()
                .set(HttpHeaderNames.LOCATION, "./")
                .set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
        return in;
    }

    private FullHttpResponse page(FullHttpRequest request, HttpResponseStatus status, String error) {
        byte[] body = new String(loginPage, StandardCharsets.UTF_8)
                .replace(Assets.LOGIN_ERROR, error)
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = HttpResponses.of(request, status, HTML, body);
        response.headers().set("Content-Security-Policy", DashboardHandler.CSP);
        return response;
    }

    /** A live session cookie of this token, or the bearer token. */
    private boolean authorized(FullHttpRequest request) {
        if (token.matchesAuthorization(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
            return true;
        }
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return false;
        }
        for (Cookie cookie : ServerCookieDecoder.STRICT.decode(header)) {
            if (cookie.name().equals(COOKIE) && validSession(cookie.value())) {
                return true;
            }
        }
        return false;
    }

    private boolean validSession(String value) {
        int dot = value.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expires;
        try {
            expires = Long.parseLong(value.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (expires <= now || expires > now + SESSION.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(
                tag(expires).getBytes(StandardCharsets.US_ASCII),
                value.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String tag(long expires) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(token.mac("pulse dashboard session " + expires));
    }
}
