/**
 * The runnable Pulse sidecar: {@link io.pulse.sidecar.Sidecar} wires the engine, the publisher and
 * the HTTP API from a {@link io.pulse.sidecar.config.SidecarConfig}; {@link io.pulse.sidecar.cli.Main}
 * is {@code java -jar pulse.jar}. Nothing here accepts or returns {@code null} unless its javadoc
 * says so ({@code Sidecar.publisherStats()} and {@code apiAddress()} do, for parts switched off).
 */
package io.pulse.sidecar;
