/**
 * The sidecar's configuration: every key declared once in {@link io.pulse.sidecar.config.SidecarSettings},
 * read by {@link io.pulse.sidecar.config.ConfigLoader} from the YAML file, {@code PULSE_*} variables
 * and flags, sealed in {@link io.pulse.sidecar.config.SidecarConfig}. Nothing here accepts or
 * returns {@code null} unless its javadoc says so (a missing file argument to {@code load}).
 */
package io.pulse.sidecar.config;
