/**
 * The sidecar's HTTP API on its own event loop: {@code GET /health}, {@code GET /status},
 * {@code GET /status/{host:port}} (JSON) and {@code GET /metrics} (Prometheus text format). Start
 * at {@link io.pulse.sidecar.http.ApiServer}; the metrics are {@link io.pulse.sidecar.http.PulseMetrics}.
 *
 * <p>Null policy: parameters and return values are non-null unless their documentation says
 * otherwise.
 */
package io.pulse.sidecar.http;
