package io.pulse.transport.probe;

import io.netty.handler.ssl.SslContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * One endpoint of an HTTP target, resolved: where to connect, how (TLS or not), and the request
 * line and Host header to send.
 *
 * @param url       the endpoint as configured, for error messages
 * @param requestTarget path and query, {@code /} when the URL has no path
 * @param hostHeader the Host header: host, and port when it is not the scheme's default
 * @param key       which pooled connections can carry its requests
 */
record HttpEndpoint(URI url, String requestTarget, String hostHeader, ConnectionPool.Key key) {

    /** Resolves the host now (blocking DNS): call it off the event loop. */
    static HttpEndpoint resolve(URI url, TlsContexts tls, java.nio.file.Path trustedCertificates) {
        String host = HttpProbeSpec.unbracketed(url.getHost());
        int port = HttpProbeSpec.portOf(url);
        InetSocketAddress address;
        try {
            address = new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("cannot resolve host of endpoint " + url + ": " + e.getMessage(), e);
        }
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        SslContext ssl = https ? tls.forTrust(trustedCertificates) : null;
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        String requestTarget = url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
        boolean defaultPort = url.getPort() < 0 || port == (https ? 443 : 80);
        String hostHeader = defaultPort ? url.getHost() : url.getHost() + ":" + port;
        return new HttpEndpoint(
                url, requestTarget, hostHeader, new ConnectionPool.Key(address, https ? host : null, ssl));
    }
}
