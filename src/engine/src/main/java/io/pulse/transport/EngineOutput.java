package io.pulse.transport;

import io.pulse.core.Clock;
import io.pulse.core.ConfigRef;
import io.pulse.core.Message;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.ProbeResult;
import io.pulse.core.PulseCore;
import io.pulse.core.RttSample;
import io.pulse.core.Transition;
import io.pulse.transport.probe.ExternalProber;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the core asks of the engine, on the loop: datagrams to the sockets (a static monitor's own
 * PINGs and PING_REQs from its probe socket), HTTP and TCP probes to the prober, and events to the
 * listeners of their kind, which it holds.
 *
 * <pre>{@code
 * EngineOutput output = new EngineOutput(LOG, clock, listenerErrors);
 * output.failureListeners.subscribe(f -> page(f));
 * PulseCore core = new PulseCore(config, clock, incarnation, output);
 * ... // bind
 * output.attach(core, sockets, external, handOff);
 * }</pre>
 */
final class EngineOutput implements PulseCore.Output {
    final Listeners<Transition> statusListeners;
    final Listeners<NodeFailure> failureListeners;
    final Listeners<NodeId> removalListeners;
    final Listeners<RttSample> rttListeners;
    final Listeners<ConfigRef> changeListeners;

    // Set by attach, before the core first runs on the loop.
    private PulseCore core;
    private EngineSockets sockets;
    private ExternalProber external;
    private EngineLoop handOff;

    /** @param listenerErrors counts the exceptions of listeners of every kind */
    EngineOutput(System.Logger log, Clock clock, AtomicLong listenerErrors) {
        this.statusListeners = new Listeners<>(log, clock, listenerErrors);
        this.failureListeners = new Listeners<>(log, clock, listenerErrors);
        this.removalListeners = new Listeners<>(log, clock, listenerErrors);
        this.rttListeners = new Listeners<>(log, clock, listenerErrors);
        this.changeListeners = new Listeners<>(log, clock, listenerErrors);
    }

    void attach(PulseCore driven, EngineSockets bound, ExternalProber prober, EngineLoop loop) {
        this.core = driven;
        this.sockets = bound;
        this.external = prober;
        this.handOff = loop;
    }

    @Override
    public void send(InetSocketAddress to, Message message) {
        boolean ownProbe = (message instanceof Message.Ping || message instanceof Message.PingReq) && !core.clustered();
        sockets.send(to, message, ownProbe);
    }

    @Override
    public void probe(NodeId node, long sequence, Duration timeout) {
        if (!external.probe(node, sequence, timeout)) {
            // Cannot happen: a target and its prober are added in one loop task. Fail it visibly anyway.
            handOff.loop()
                    .execute(() ->
                            handOff.onProbeResult(ProbeResult.failure(sequence, "no HTTP or TCP prober for " + node)));
        }
    }

    @Override
    public void statusChanged(Transition change) {
        statusListeners.deliver(change);
    }

    @Override
    public void failed(NodeFailure failure) {
        failureListeners.deliver(failure);
    }

    @Override
    public void removed(NodeId node) {
        external.forget(node);
        removalListeners.deliver(node);
    }

    @Override
    public void rttSampled(RttSample sample) {
        rttListeners.deliver(sample);
    }

    @Override
    public void changeRaised(ConfigRef change) {
        changeListeners.deliver(change);
    }
}
