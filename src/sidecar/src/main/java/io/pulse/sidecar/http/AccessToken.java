package io.pulse.sidecar.http;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The token of {@code http.token.file}, compared in constant time, and the key of what is derived
 * from it (the dashboard's session cookies), so that no copy of it leaves the server.
 *
 * <pre>{@code
 * AccessToken token = new AccessToken("s3cret");
 * boolean ok = token.matchesAuthorization(request.headers().get(HttpHeaderNames.AUTHORIZATION));
 * byte[] tag = token.mac("session 1767225600");
 * }</pre>
 */
public final class AccessToken {
    private static final String BEARER = "Bearer ";

    private final byte[] digest;
    private final SecretKeySpec macKey;

    public AccessToken(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("token must not be blank");
        }
        this.digest = sha256(token);
        this.macKey = new SecretKeySpec(token.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    /**
     * True if {@code candidate} is the token. Digests compare in constant time whatever the lengths: a wrong
     * guess tells nothing of the token, its length included.
     */
    public boolean matches(String candidate) {
        return candidate != null && MessageDigest.isEqual(digest, sha256(candidate));
    }

    /** True if {@code header} (an {@code Authorization} header, or null) is {@code Bearer <token>}. */
    public boolean matchesAuthorization(String header) {
        return header != null
                && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                && matches(header.substring(BEARER.length()));
    }

    /** HMAC-SHA-256 of {@code message} keyed by the token: what only a holder of the token can make. */
    public byte[] mac(String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(macKey);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "AccessToken[redacted]";
    }
}
