/**
 * The health endpoint: {@code GET /health} answers {@code {"ok": true, "now": "<RFC 3339 UTC>"}},
 * which Pulse's HTTP probe reads for health and for the peer's clock. A Netty handler, so that the
 * sidecar serves it and any Netty program can mount it. {@link io.pulse.transport.health.HttpResponses}
 * is how it, and the sidecar's API, build and write their responses.
 *
 * <p>Null policy: parameters and return values are non-null unless their documentation says
 * otherwise.
 */
package io.pulse.transport.health;
