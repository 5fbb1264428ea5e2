package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.SimulatedNetwork.Node;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The detector on a simulated network: many nodes, loss, delay, partitions, virtual time. */
class SimulationTest {

    private static DetectorConfig config(long seed) {
        return DetectorConfig.builder().randomSeed(seed).build();
    }

    /** One monitor watching {@code n} responders, which also relay its PING_REQs. */
    private static List<Node> cluster(SimulatedNetwork net, int n) {
        List<Node> nodes = new ArrayList<>();
        Node monitor = net.addNode(config(1), Duration.ZERO);
        nodes.add(monitor);
        for (int i = 1; i <= n; i++) {
            Node responder = net.addNode(config(1 + i), Duration.ZERO);
            responder.startResponding();
            monitor.watch(responder);
            nodes.add(responder);
        }
        monitor.startProbing();
        return nodes;
    }

    @Test
    void twoHundredNodesAtTenPercentLossForAnHourGiveNoFalseDeadAndCatchEveryCrash() {
        SimulatedNetwork net = new SimulatedNetwork(2026);
        net.lossRate(0.10);
        List<Node> nodes = cluster(net, 200);
        Node monitor = nodes.get(0);
        DetectorConfig config = config(1);

        // Five crashes spread over the hour; one of them comes back ten minutes later.
        Map<NodeId, Instant> crashedAt = new HashMap<>();
        int[] victims = {17, 58, 101, 142, 199};
        for (int i = 0; i < victims.length; i++) {
            net.run(Duration.ofMinutes(10));
            Node victim = nodes.get(victims[i]);
            victim.crash();
            crashedAt.put(victim.id, net.clock().now());
        }
        net.run(Duration.ofMinutes(5));
        nodes.get(victims[0]).resume();
        net.run(Duration.ofMinutes(5));

        List<Transition> deaths = monitor.changes.stream()
                .filter(c -> c.current() == Liveness.DEAD)
                .collect(Collectors.toList());
        assertEquals(
                crashedAt.keySet(),
                deaths.stream().map(Transition::node).collect(Collectors.toSet()),
                "only crashed nodes are declared DEAD");
        assertEquals(victims.length, deaths.size());
        for (Transition death : deaths) {
            Duration took = Duration.between(crashedAt.get(death.node()), death.at());
            assertTrue(
                    took.compareTo(config.worstCaseDetection()) <= 0,
                    death.node() + " declared DEAD " + took.toMillis() + " ms after its crash (bound "
                            + config.worstCaseDetection().toMillis() + " ms)");
        }
        assertEquals(victims.length, monitor.failures.size());
        assertEquals(
                Liveness.ALIVE, monitor.core.status(nodes.get(victims[0]).id).state());
        assertTrue(monitor.changes.stream().anyMatch(c -> c.reason() == Transition.Reason.RECOVERED));

        long falseSuspects = monitor.changes.stream()
                .filter(c -> c.current() == Liveness.SUSPECT && !crashedAt.containsKey(c.node()))
                .count();
        long rounds = monitor.core.statusAll().stream()
                .mapToLong(NodeStatus::totalProbes)
                .sum();
        System.out.printf(
                "simulated 1 h, 200 nodes, 10%% loss: %d false SUSPECT, 0 false DEAD, "
                        + "%d PINGs, %d datagrams delivered, %d dropped%n",
                falseSuspects, rounds, net.delivered(), net.dropped());
    }

    /** What a shared host went through: its load before and after a pause, and the monitor's view at the end. */
    private record AfterPause(
            double loadBefore, double loadAfter, long notAlive, long changesAtTheEnd, int multiplierAtTheEnd) {}

    /**
     * The UDP load harness in miniature: one monitor, 300 responders sharing one CPU that their
     * probes keep 30 % busy; then that CPU stalls for 1.5 s, as under a long GC pause.
     */
    private static AfterPause pauseTheRespondersHost(int localHealthMaxMultiplier) {
        SimulatedNetwork net = new SimulatedNetwork(5);
        SimulatedNetwork.SharedHost host = net.new SharedHost(Duration.ofMillis(1), Duration.ofSeconds(4));
        Node monitor = net.addNode(
                config(1).toBuilder()
                        .localHealthMaxMultiplier(localHealthMaxMultiplier)
                        .build(),
                Duration.ZERO);
        for (int i = 1; i <= 300; i++) {
            Node responder = net.addNode(config(1 + i), Duration.ZERO);
            responder.runOn(host);
            responder.startResponding();
            monitor.watch(responder);
        }
        monitor.startProbing();
        net.run(Duration.ofSeconds(30));
        double before = load(net, host, Duration.ofSeconds(20));

        host.pause(Duration.ofMillis(1_500));
        net.run(Duration.ofMinutes(3));
        int changesBefore = monitor.changes.size();
        double after = load(net, host, Duration.ofSeconds(30));
        long notAlive = monitor.core.statusAll().stream()
                .filter(n -> n.state() != Liveness.ALIVE)
                .count();
        return new AfterPause(
                before, after, notAlive, monitor.changes.size() - changesBefore, monitor.core.localHealthMultiplier());
    }

    /** The share of {@code window} the host spent on datagrams, running the network through it. */
    private static double load(SimulatedNetwork net, SimulatedNetwork.SharedHost host, Duration window) {
        long busy = host.busy().toNanos();
        net.run(window);
        return (double) (host.busy().toNanos() - busy) / window.toNanos();
    }

    @Test
    void aMonitorWhoseTargetsShareAnOverloadedHostBacksOffAndRecovers() {
        AfterPause healthy = pauseTheRespondersHost(DetectorConfig.DEFAULT_LOCAL_HEALTH_MAX_MULTIPLIER);
        AfterPause without = pauseTheRespondersHost(1);
        System.out.println("shared host paused 1.5 s: with local health " + healthy + "; without " + without);

        // Without local health, retries and PING_REQs keep the host saturated and the nodes flapping:
        // the scenario is hard enough. (If this fails, something else now damps the overload: harden the scenario.)
        assertTrue(without.loadAfter() > 0.9 && without.notAlive() > 0, "control run did not collapse: " + without);

        assertTrue(healthy.loadBefore() < 0.4, healthy.toString());
        assertTrue(healthy.loadAfter() < healthy.loadBefore() * 1.2, "back to its load before the pause: " + healthy);
        assertEquals(0, healthy.notAlive(), healthy.toString());
        assertEquals(0, healthy.changesAtTheEnd(), healthy.toString());
        assertEquals(1, healthy.multiplierAtTheEnd(), healthy.toString());
    }

    @Test
    void theSameSeedReplaysTheSameRun() {
        assertEquals(runFiveMinutes(7), runFiveMinutes(7));
    }

    private static List<Transition> runFiveMinutes(long seed) {
        SimulatedNetwork net = new SimulatedNetwork(seed);
        net.lossRate(0.3);
        List<Node> nodes = cluster(net, 20);
        net.run(Duration.ofMinutes(2));
        nodes.get(5).crash();
        net.run(Duration.ofMinutes(3));
        List<Transition> changes = nodes.get(0).changes;
        assertTrue(changes.size() > 20, "a lossy run has transitions to compare: " + changes.size());
        return changes;
    }

    @Test
    void aNodeCutOffFromTheMonitorStaysAliveThroughItsPeers() {
        SimulatedNetwork net = new SimulatedNetwork(11);
        List<Node> nodes = cluster(net, 10);
        Node monitor = nodes.get(0);
        Node cutOff = nodes.get(4);
        net.run(Duration.ofSeconds(10));
        net.cut(monitor, cutOff);
        net.run(Duration.ofMinutes(10));

        assertEquals(Liveness.ALIVE, monitor.core.status(cutOff.id).state());
        assertTrue(monitor.changes.stream().noneMatch(c -> c.current() != Liveness.ALIVE), monitor.changes.toString());
        NodeStatus status = monitor.core.status(cutOff.id);
        assertTrue(status.lossRatio() > 0.95, "direct PINGs are all lost: " + status);
    }

    @Test
    void estimatesClockSkewUnderAsymmetricDelay() {
        SimulatedNetwork net = new SimulatedNetwork(3);
        Node monitor = net.addNode(config(1), Duration.ZERO);
        Node skewed = net.addNode(config(2), Duration.ofMillis(250));
        skewed.startResponding();
        monitor.watch(skewed);
        monitor.startProbing();
        net.fixedDelay(monitor, skewed, Duration.ofMillis(5));
        net.fixedDelay(skewed, monitor, Duration.ofMillis(1));
        net.run(Duration.ofSeconds(30));

        NodeStatus status = monitor.core.status(skewed.id);
        // offset = skew + (out - back) / 2 = 250 + 2 ms; bound = delay / 2 = 3 ms
        assertEquals(Duration.ofMillis(252), status.clockOffset());
        assertEquals(Duration.ofMillis(3), status.clockOffsetError());
        assertTrue(status.clockOffset().minus(Duration.ofMillis(250)).abs().compareTo(status.clockOffsetError()) <= 0);
        assertEquals(Duration.ofMillis(6), status.srtt());
    }

    @Test
    void aTargetMovedToAnotherAddressIsProbedThereAndRecoversWithItsHistory() {
        SimulatedNetwork net = new SimulatedNetwork(5);
        Node monitor = net.addNode(config(1), Duration.ZERO);
        Node old = net.addNode(config(2), Duration.ZERO);
        Node moved = net.addNode(config(3), Duration.ZERO);
        Node other = net.addNode(config(4), Duration.ZERO);
        for (Node node : List.of(old, moved, other)) {
            node.startResponding();
        }
        monitor.watch(old);
        monitor.watch(other);
        monitor.startProbing();
        net.run(Duration.ofSeconds(10));
        old.crash(); // the pod is rescheduled: its name resolves to another address
        net.run(Duration.ofSeconds(30));
        assertEquals(Liveness.DEAD, monitor.core.status(old.id).state());

        assertThrows(DuplicateNodeException.class, () -> monitor.core.readdressTarget(old.id, other.address));
        assertEquals(old.address, monitor.core.readdressTarget(old.id, moved.address));
        assertNull(monitor.core.readdressTarget(old.id, moved.address), "already there");
        net.run(Duration.ofSeconds(30));

        NodeStatus status = monitor.core.status(old.id);
        assertEquals(Liveness.ALIVE, status.state());
        assertEquals(
                List.of(Liveness.SUSPECT, Liveness.DEAD, Liveness.ALIVE),
                monitor.changes.stream()
                        .filter(c -> c.node().equals(old.id) && c.previous() != Liveness.PENDING)
                        .map(Transition::current)
                        .toList());
        assertEquals(Liveness.ALIVE, monitor.core.status(other.id).state());
    }
}
