package io.pulse.sidecar;

import io.pulse.core.DuplicateNodeException;
import io.pulse.core.TargetOptions;
import io.pulse.sidecar.config.TargetSpec;
import io.pulse.transport.PulseEngine;
import io.pulse.transport.probe.HttpProbeSpec;
import io.pulse.transport.probe.TcpProbeSpec;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds the configured targets to the engine. A target whose host name does not resolve yet (its
 * container is not up, say) is tried again every {@link #RESOLVE_RETRY} until it does; one
 * configured twice (or this node itself) is watched once, and said so.
 *
 * <pre>{@code
 * TargetRetries targets = new TargetRetries(engine, scheduler);
 * config.targets().forEach(targets::addOrRetry);
 * }</pre>
 */
final class TargetRetries {
    static final Duration RESOLVE_RETRY = Duration.ofSeconds(5);

    /** The sidecar's: operators find every start-up line under one name. */
    private static final Logger LOG = LoggerFactory.getLogger(Sidecar.class);

    private final PulseEngine engine;
    private final ScheduledExecutorService scheduler;

    TargetRetries(PulseEngine engine, ScheduledExecutorService scheduler) {
        this.engine = engine;
        this.scheduler = scheduler;
    }

    /**
     * Adds {@code target} now, or schedules another try if its host does not resolve yet.
     *
     * @throws IllegalArgumentException if the target cannot be added for another reason
     */
    void addOrRetry(TargetSpec target) {
        try {
            add(target);
        } catch (DuplicateNodeException e) {
            LOG.warn(
                    "target {} is configured twice (or is this node itself); watched once: {}", target, e.getMessage());
        } catch (IllegalArgumentException e) {
            if (!(e.getCause() instanceof UnknownHostException)) {
                throw e;
            }
            LOG.warn(
                    "target {} cannot be added yet ({}); trying again every {} s",
                    target,
                    e.getMessage(),
                    RESOLVE_RETRY.toSeconds());
            scheduler.schedule(
                    () -> {
                        try {
                            addOrRetry(target);
                        } catch (RuntimeException unexpected) {
                            LOG.error("target {} cannot be added: {}", target, unexpected.getMessage());
                        }
                    },
                    RESOLVE_RETRY.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    private void add(TargetSpec target) {
        switch (target.kind()) {
            case UDP -> engine.addTarget(target.nodeId(), TargetOptions.defaults());
            case HTTP -> engine.addHttpTarget(HttpProbeSpec.of(target.text()), TargetOptions.defaults());
            case TCP -> engine.addTcpTarget(TcpProbeSpec.of(target.text()), TargetOptions.defaults());
        }
    }
}
