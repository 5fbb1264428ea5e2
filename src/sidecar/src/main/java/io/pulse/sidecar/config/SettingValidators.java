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

    /** 0 (none), or from 100 ms (a heartbeat is not a probe) to 1 h (the publisher's bound). */
    static ConfigDef.Validator heartbeatInterval() {
        return validator(
                value -> {
                    java.time.Duration d = Durations.parse((String) value);
                    if (!d.isZero()
                            && (d.compareTo(java.time.Duration.ofMillis(100)) < 0
                                    || d.compareTo(java.time.Duration.ofHours(1)) > 0)) {
                        throw new IllegalArgumentException("must be 0s (none) or 100ms..1h");
                    }
                },
                "0s (none) or " + Durations.EXPECTED + ", 100ms..1h");
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
