package io.pulse.transport.probe;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/** Short, stable descriptions of why a connection failed, for {@code NodeStatus.lastError()}. */
final class ProbeFailures {
    private ProbeFailures() {}

    /** Why a connect (and, for TLS, its handshake) failed. */
    static String connectFailed(Throwable cause) {
        if (cause instanceof ConnectTimeoutException) {
            return "connect timeout";
        }
        if (cause instanceof ConnectException) {
            String message = String.valueOf(cause.getMessage());
            return message.toLowerCase(Locale.ROOT).contains("refused")
                    ? "connection refused"
                    : "connect failed: " + message;
        }
        String tls = tls(cause);
        if (tls != null) {
            return tls;
        }
        if (cause instanceof ClosedChannelException) {
            return "connection closed while connecting";
        }
        return "connect failed: " + describe(rootCause(cause));
    }

    /** Why an open connection broke; {@code cause} is {@code null} when it was simply closed. */
    static String connectionBroke(Throwable cause, boolean answerStarted) {
        String tls = cause == null ? null : tls(cause);
        if (tls != null) {
            return tls;
        }
        if (cause instanceof DecoderException) {
            return "invalid HTTP response: " + describe(rootCause(cause));
        }
        if (cause == null || cause instanceof IOException) {
            // Closed, reset or broken pipe: which of them is a race on the server's side.
            return answerStarted ? "connection closed during the response" : "connection closed before the response";
        }
        return "connection failed: " + describe(rootCause(cause));
    }

    private static String tls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException) {
                return "TLS handshake failed: " + describe(rootCause(t));
            }
            if (t instanceof SSLException) {
                return "TLS failed: " + describe(rootCause(t));
            }
        }
        return null;
    }

    static Throwable rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static String describe(Throwable t) {
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
