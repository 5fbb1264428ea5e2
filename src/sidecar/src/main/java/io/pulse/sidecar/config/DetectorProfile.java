package io.pulse.sidecar.config;

import java.util.Locale;
import java.util.Map;

/**
 * {@code detector.profile}: a named preset of every timing, after memberlist's LAN, WAN and local
 * configurations. A setting given in the file, the environment or a flag overrides its profile's
 * value; {@code pulse run --dry-run} says which profile gave each value it did not.
 *
 * <pre>{@code
 * detector.profile: fast     # then, to keep one value of your own:
 * detector.suspicion.timeout: 500ms
 * }</pre>
 */
public enum DetectorProfile {
    /** The defaults: a crash decided in about 2 s on a LAN, no false alarm at 20 % loss. */
    LAN(Map.of()),
    /**
     * The quickest verdict a LAN with sub-millisecond RTT allows: probes every 200 ms, 150 ms at
     * most to answer, 300 ms of suspicion, 300 ms for a consensus round. Five times the probes of
     * {@link #LAN} per member.
     */
    FAST(Map.of(
            SidecarSettings.PROBE_INTERVAL, "200ms",
            SidecarSettings.PROBE_TIMEOUT_MIN, "50ms",
            SidecarSettings.PROBE_TIMEOUT_MAX, "150ms",
            SidecarSettings.MAX_RETRIES, "1",
            SidecarSettings.SUSPICION_TIMEOUT, "300ms",
            SidecarSettings.DEAD_PROBE_INTERVAL, "1s",
            SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT, "300ms")),
    /**
     * Links of 100 to 300 ms RTT with jitter and a few percent of loss: probes every 2 s, up to 2 s
     * to answer, 3 retries, 5 s of suspicion, 3 s for a consensus round.
     */
    WAN(Map.of(
            SidecarSettings.PROBE_INTERVAL, "2s",
            SidecarSettings.PROBE_TIMEOUT_MIN, "500ms",
            SidecarSettings.PROBE_TIMEOUT_MAX, "2s",
            SidecarSettings.MAX_RETRIES, "3",
            SidecarSettings.SUSPICION_TIMEOUT, "5s",
            SidecarSettings.DEAD_PROBE_INTERVAL, "10s",
            SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT, "3s")),
    /** One host (loopback: tests, a laptop): short timeouts, few retries. */
    LOCAL(Map.of(
            SidecarSettings.PROBE_INTERVAL, "500ms",
            SidecarSettings.PROBE_TIMEOUT_MIN, "20ms",
            SidecarSettings.PROBE_TIMEOUT_MAX, "100ms",
            SidecarSettings.MAX_RETRIES, "1",
            SidecarSettings.SUSPICION_TIMEOUT, "500ms",
            SidecarSettings.DEAD_PROBE_INTERVAL, "2s",
            SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT, "500ms"));

    private final Map<String, String> presets;

    DetectorProfile(Map<String, String> presets) {
        this.presets = presets;
    }

    /** The settings this profile sets, by key, as they would be written; the others keep their defaults. */
    public Map<String, String> presets() {
        return presets;
    }

    /** {@code lan}, {@code fast}, ... as written in a config file. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    static DetectorProfile parse(String text) {
        return valueOf(text.toUpperCase(Locale.ROOT));
    }
}
