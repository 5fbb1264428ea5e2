package io.pulse.sidecar.config;

import io.pulse.protocol.DatagramAuth;
import java.util.Locale;

/**
 * {@code security.auth.mode}: how a node treats unsigned datagrams. With keys, {@link #REQUIRED}
 * drops them and {@link #PERMISSIVE} lets them through (counted) while keys are rolled out; {@link
 * #NONE} is the operator's word that this node runs without keys on a network it trusts.
 */
public enum AuthMode {
    REQUIRED,
    PERMISSIVE,
    NONE;

    /** The value as written in a config file or on a command line. */
    public String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code required}, {@code permissive} or {@code none}.
     *
     * @throws IllegalArgumentException naming what is allowed
     */
    public static AuthMode parse(String text) {
        for (AuthMode mode : values()) {
            if (mode.text().equals(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("got \"" + text + "\" (expected: required, permissive or none)");
    }

    /** What the engine does with a keyring; {@link #NONE} has none. */
    DatagramAuth.Mode engineMode() {
        return this == PERMISSIVE ? DatagramAuth.Mode.PERMISSIVE : DatagramAuth.Mode.REQUIRED;
    }
}
