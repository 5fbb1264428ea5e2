package io.pulse.sidecar.config;

import io.pulse.core.Profile;
import java.util.Locale;
import java.util.Map;

/**
 * {@code detector.profile}: the settings an engine {@link Profile} gives, by key, as they would be
 * written. A setting given in the file, the environment or a flag overrides its profile's value;
 * {@code pulse run --dry-run} says which profile gave each value it did not. {@code lan} is the
 * defaults, so it gives none.
 *
 * <pre>{@code
 * detector.profile: fast     # then, to keep one value of your own:
 * detector.suspicion.timeout: 500ms
 * }</pre>
 */
final class DetectorProfile {
    private DetectorProfile() {}

    /** The profile {@code text} names ({@code lan}, {@code fast}, {@code wan}, {@code local}). */
    static Profile parse(String text) {
        return Profile.valueOf(text.trim().toUpperCase(Locale.ROOT));
    }

    static String text(Profile profile) {
        return profile.name().toLowerCase(Locale.ROOT);
    }

    /** The settings {@code profile} sets, by key; none for {@link Profile#LAN}, the defaults. */
    static Map<String, String> presets(Profile profile) {
        if (profile == Profile.LAN) {
            return Map.of();
        }
        return Map.of(
                SidecarSettings.PROBE_INTERVAL, Durations.format(profile.probeInterval()),
                SidecarSettings.PROBE_TIMEOUT_MIN, Durations.format(profile.probeTimeoutMin()),
                SidecarSettings.PROBE_TIMEOUT_MAX, Durations.format(profile.probeTimeoutMax()),
                SidecarSettings.MAX_RETRIES, Integer.toString(profile.maxRetries()),
                SidecarSettings.SUSPICION_TIMEOUT, Durations.format(profile.suspicionTimeout()),
                SidecarSettings.DEAD_PROBE_INTERVAL, Durations.format(profile.deadProbeInterval()),
                SidecarSettings.CLUSTER_CONSENSUS_TIMEOUT, Durations.format(profile.consensusTimeout()));
    }
}
