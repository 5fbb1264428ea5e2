package io.pulse.sidecar;

import io.pulse.sidecar.config.SidecarConfig;
import io.pulse.transport.DatagramFilter;

/**
 * A real {@link Sidecar} whose engine passes every datagram through a {@link DatagramFilter}: for
 * benchmarks of loss and silent nodes ({@code io.pulse.bench.E2eDetectionHarness}).
 *
 * <pre>{@code
 * Sidecar node = FilteredSidecar.start(ConfigLoader.load(null, Map.of(), settings), (direction, peer) -> true);
 * }</pre>
 */
public final class FilteredSidecar {
    private FilteredSidecar() {}

    public static Sidecar start(SidecarConfig config, DatagramFilter filter) {
        return Sidecar.start(config, builder -> builder.datagramFilter(filter));
    }
}
