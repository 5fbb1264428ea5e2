package io.pulse.sidecar.config;

import io.pulse.transport.Cidr;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/** The validators of {@link SidecarSettings}' declarations that Kafka's {@code ConfigDef} does not have. */
final class SettingValidators {
    private SettingValidators() {}

    static ConfigDef.Validator duration() {
        return validator(
                value -> {
                    java.time.Duration d = Durations.parse((String) value);
                    if (d.isNegative()) {
                        throw new IllegalArgumentException("must not be negative");
                    }
                },
                Durations.EXPECTED);
    }

    /** 0 (none), or a duration from {@code min} to {@code max}. */
    static ConfigDef.Validator noneOrBetween(java.time.Duration min, java.time.Duration max) {
        String range = Durations.format(min) + ".." + Durations.format(max);
        return validator(
                value -> {
                    java.time.Duration d = Durations.parse((String) value);
                    if (!d.isZero() && (d.compareTo(min) < 0 || d.compareTo(max) > 0)) {
                        throw new IllegalArgumentException("must be 0s (none) or " + range);
                    }
                },
                "0s (none) or " + Durations.EXPECTED + ", " + range);
    }

    static void checkBind(Object value) {
        HostPorts.parseBind((String) value);
    }

    static void checkNodeId(Object value) {
        if (value != null) {
            io.pulse.core.NodeId.parse((String) value);
        }
    }

    static void checkCidrs(Object value) {
        for (Object cidr : (List<?>) value) {
            Cidr.parse(String.valueOf(cidr));
        }
    }

    static void checkSeeds(Object value) {
        for (Object seed : (List<?>) value) {
            io.pulse.core.NodeId.parse(String.valueOf(seed));
        }
    }

    static void checkTargets(Object value) {
        for (Object target : (List<?>) value) {
            TargetSpec.parse(String.valueOf(target));
        }
    }

    interface Check {
        void check(Object value);
    }

    static ConfigDef.Validator validator(Check check, String allowed) {
        return ConfigDef.LambdaValidator.with(
                (name, value) -> {
                    try {
                        check.check(value);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(name, value, e.getMessage());
                    }
                },
                () -> allowed);
    }
}
