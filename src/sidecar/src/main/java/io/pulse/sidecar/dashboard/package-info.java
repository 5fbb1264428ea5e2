/**
 * {@code pulse dashboard}: a live web page fed from Kafka alone. Start at
 * {@link io.pulse.sidecar.dashboard.Dashboard}; what it knows is
 * {@link io.pulse.sidecar.dashboard.DashboardModel}, bounded by
 * {@link io.pulse.sidecar.dashboard.HistoryLimits}. The page (plain JavaScript, no framework, no
 * CDN) is served from the jar.
 *
 * <p>Null policy: parameters and return values are non-null unless their documentation says
 * otherwise.
 */
package io.pulse.sidecar.dashboard;
