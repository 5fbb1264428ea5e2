package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode on the simulated network, as a consumer of the events sees it: joins, one verdict
 * per crash whoever publishes it, a clean leave, stalls shorter than detection, loss without false
 * DEAD, partitions (the majority decides, the minority and a 50/50 split decide nothing, and the
 * cut-off members come back by themselves), flapping, restarts, and static targets. Deterministic:
 * each test has its seed.
 */
class ClusterSimulationTest {

    static final ClusterConfig CLUSTER = ClusterConfig.defaults();

    static List<SimulatedNetwork.Node> cluster(SimulatedNetwork net, int n, long seed) {
        List<SimulatedNetwork.Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SimulatedNetwork.Node node =
                    net.addNode(DetectorConfig.builder().randomSeed(seed + i).build(), Duration.ZERO);
            nodes.add(node);
            if (i == 0) {
                node.join(CLUSTER);
            } else {
                node.join(CLUSTER, nodes.get(0));
            }
        }
        return nodes;
    }

    /** Every event any member raised, about {@code about}, in order of raising per member. */
    static List<Transition> changes(List<SimulatedNetwork.Node> nodes, SimulatedNetwork.Node about) {
        return nodes.stream()
                .flatMap(n -> n.changes.stream())
                .filter(c -> c.node().equals(about.id))
                .toList();
    }

    /** FailureMessages as a consumer that drops duplicate event ids counts them: one per (node, change). */
    static long failures(List<SimulatedNetwork.Node> nodes) {
        return nodes.stream()
                .flatMap(n -> n.failures.stream())
                .map(f -> f.node() + "@" + f.change())
                .distinct()
                .count();
    }

    static long failuresAbout(List<SimulatedNetwork.Node> nodes, SimulatedNetwork.Node about) {
        return nodes.stream()
                .flatMap(n -> n.failures.stream())
                .filter(f -> f.node().equals(about.id))
                .map(f -> f.change())
                .distinct()
                .count();
    }

    static void assertAllHoldTheSame(List<SimulatedNetwork.Node> live, int size) {
        Set<ConfigRef> refs =
                live.stream().map(n -> n.core.clusterStats().configuration()).collect(Collectors.toSet());
        assertEquals(1, refs.size(), "one configuration: " + refs);
        for (SimulatedNetwork.Node node : live) {
            assertEquals(size, node.configuration().size(), node.id + " holds " + size + " members");
            assertTrue(node.core.clusterStats().joined(), node.id + " is in");
        }
    }

    @Test
    void membersJoinThroughOneSeedAndAllHoldTheSameConfiguration() {
        SimulatedNetwork net = new SimulatedNetwork(1);
        List<SimulatedNetwork.Node> nodes = cluster(net, 30, 100);
        net.run(Duration.ofSeconds(15));
        assertAllHoldTheSame(nodes, 30);
        assertEquals(0, failures(nodes));
        for (SimulatedNetwork.Node joiner : nodes.subList(1, 30)) {
            List<Transition> joined = changes(nodes, joiner).stream()
                    .filter(c -> c.reason() == Transition.Reason.JOINED)
                    .toList();
            assertEquals(
                    1,
                    joined.stream().map(Transition::change).distinct().count(),
                    joiner.id + "'s join is one event: " + joined);
            assertEquals(Liveness.PENDING, joined.get(0).previous());
        }
    }

    /** Joins at the same moment through one seed, as in {@code pulse demo}: each is one JOINED, whatever the order. */
    @Test
    void simultaneousJoinsThroughOneSeedAreEachReportedOnce() {
        for (long seed = 0; seed < 60; seed++) {
            int size = 3 + (int) (seed % 6);
            SimulatedNetwork net = new SimulatedNetwork(seed);
            List<SimulatedNetwork.Node> nodes = cluster(net, size, 1000 + seed * 10);
            net.run(Duration.ofSeconds(15));
            assertAllHoldTheSame(nodes, size);
            for (SimulatedNetwork.Node joiner : nodes.subList(1, nodes.size())) {
                long joins = changes(nodes, joiner).stream()
                        .filter(c -> c.reason() == Transition.Reason.JOINED)
                        .map(Transition::change)
                        .distinct()
                        .count();
                assertEquals(1, joins, "seed " + seed + ": the join of " + joiner.id + " is reported once");
            }
        }
    }

    @Test
    void aCrashIsOneFailureMessageAndEveryMemberAgrees() {
        SimulatedNetwork net = new SimulatedNetwork(2);
        List<SimulatedNetwork.Node> nodes = cluster(net, 40, 200);
        net.run(Duration.ofSeconds(20));
        SimulatedNetwork.Node victim = nodes.get(17);
        long crashedAtMillis = net.clock().epochNanos() / 1_000_000;
        victim.crash();
        net.run(Duration.ofSeconds(10));
        assertEquals(1, failures(nodes), "one FailureMessage for one crash");
        NodeFailure failure =
                nodes.stream().flatMap(n -> n.failures.stream()).findFirst().orElseThrow();
        assertEquals(victim.id, failure.node());
        assertTrue(failure.clusterVerdict());
        List<SimulatedNetwork.Node> live =
                nodes.stream().filter(n -> n != victim).toList();
        assertAllHoldTheSame(live, 39);
        List<Transition> dead = changes(nodes, victim).stream()
                .filter(c -> c.current() == Liveness.DEAD)
                .toList();
        assertEquals(1, dead.stream().map(Transition::change).distinct().count());
        assertEquals(Transition.Reason.UNREACHABLE, dead.get(0).reason());
        long detectedMillis = dead.get(0).at().toEpochMilli() - crashedAtMillis;
        assertTrue(detectedMillis < 4000, "decided " + detectedMillis + " ms after the crash");
    }

    @Test
    void twoCrashesOneSecondApartAreOneFailureMessageEach() {
        for (long seed = 0; seed < 8; seed++) {
            SimulatedNetwork net = new SimulatedNetwork(20 + seed);
            List<SimulatedNetwork.Node> nodes = cluster(net, 12, 2000 + seed * 20);
            net.run(Duration.ofSeconds(15));
            SimulatedNetwork.Node first = nodes.get(3);
            SimulatedNetwork.Node second = nodes.get(8);
            first.crash();
            net.run(Duration.ofSeconds(1));
            second.crash();
            net.run(Duration.ofSeconds(15));
            assertEquals(1, failuresAbout(nodes, first), "seed " + seed);
            assertEquals(1, failuresAbout(nodes, second), "seed " + seed);
            assertEquals(2, failures(nodes), "seed " + seed);
            assertAllHoldTheSame(nodes.stream().filter(n -> !n.crashed()).toList(), 10);
        }
    }

    /**
     * The change's publisher crashes before its events are confirmed published: its backup publishes
     * the same events (the same change, so the same event ids), and a consumer sees one FailureMessage.
     */
    @Test
    void aVerdictOutlivesItsPublisher() {
        SimulatedNetwork net = new SimulatedNetwork(11);
        List<SimulatedNetwork.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            SimulatedNetwork.Node node =
                    net.addNode(DetectorConfig.builder().randomSeed(1100 + i).build(), Duration.ZERO);
            node.core.confirmPublications(true); // nothing confirms: every publisher "crashes" before Kafka acks
            nodes.add(node);
            if (i == 0) {
                node.join(CLUSTER);
            } else {
                node.join(CLUSTER, nodes.get(0));
            }
        }
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node victim = nodes.get(4);
        victim.crash();
        net.run(Duration.ofSeconds(5));
        SimulatedNetwork.Node publisher = nodes.stream()
                .filter(n -> n.failures.stream().anyMatch(f -> f.node().equals(victim.id)))
                .findFirst()
                .orElseThrow();
        publisher.crash(); // its outbox is lost with its host
        net.run(CLUSTER.publishTimeout().plusSeconds(5));
        List<NodeFailure> told = nodes.stream()
                .filter(n -> n != publisher)
                .flatMap(n -> n.failures.stream())
                .filter(f -> f.node().equals(victim.id))
                .toList();
        assertEquals(1, told.size(), "the backup published it: " + told);
        assertEquals(
                publisher.failures.stream()
                        .filter(f -> f.node().equals(victim.id))
                        .findFirst()
                        .orElseThrow()
                        .change(),
                told.get(0).change(),
                "the same change, so the same event ids");
    }

    @Test
    void aCleanLeaveIsLeftNotAFailure() {
        SimulatedNetwork net = new SimulatedNetwork(3);
        List<SimulatedNetwork.Node> nodes = cluster(net, 20, 300);
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node leaver = nodes.get(5);
        leaver.leave();
        net.run(Duration.ofSeconds(2));
        assertTrue(leaver.core.leaveDisseminated());
        leaver.crash(); // the process exits
        net.run(Duration.ofSeconds(20));
        assertEquals(0, failures(nodes));
        List<Transition> left = changes(nodes, leaver);
        assertEquals(
                1,
                left.stream()
                        .filter(c -> c.current() == Liveness.LEFT)
                        .map(Transition::change)
                        .distinct()
                        .count());
        Transition first = left.stream()
                .filter(c -> c.current() == Liveness.LEFT)
                .findFirst()
                .orElseThrow();
        assertEquals(Liveness.ALIVE, first.previous());
        assertEquals(Transition.Reason.LEFT, first.reason());
        assertAllHoldTheSame(nodes.stream().filter(n -> n != leaver).toList(), 19);
    }

    @Test
    void aStallShorterThanDetectionIsNoVerdict() {
        SimulatedNetwork net = new SimulatedNetwork(4);
        List<SimulatedNetwork.Node> nodes = cluster(net, 10, 400);
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node paused = nodes.get(3);
        for (int i = 0; i < 10; i++) {
            paused.crash();
            net.run(Duration.ofSeconds(1));
            paused.resume();
            net.run(Duration.ofSeconds(29));
        }
        assertEquals(0, failures(nodes));
        assertTrue(changes(nodes, paused).stream().noneMatch(c -> c.current() != Liveness.ALIVE));
        assertAllHoldTheSame(nodes, 10);
    }

    /** A member that stalls past detection again and again pages once, then is held FLAPPING. */
    @Test
    void aFlappingMemberPagesOnceAndIsHeldFlapping() {
        SimulatedNetwork net = new SimulatedNetwork(12);
        List<SimulatedNetwork.Node> nodes = cluster(net, 10, 1200);
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node flapper = nodes.get(6);
        for (int i = 0; i < 6; i++) {
            flapper.crash();
            net.run(Duration.ofSeconds(6));
            flapper.resume();
            net.run(Duration.ofSeconds(24));
        }
        assertEquals(1, failuresAbout(nodes, flapper), "paged once");
        List<Transition> told = changes(nodes, flapper);
        assertTrue(told.stream().anyMatch(c -> c.current() == Liveness.FLAPPING), "held FLAPPING: " + told);
        net.run(CLUSTER.holdDown().plusMinutes(1));
        Transition last = told.isEmpty()
                ? null
                : changes(nodes, flapper).get(changes(nodes, flapper).size() - 1);
        assertNotNull(last);
        assertEquals(Liveness.ALIVE, last.current(), "stable for the hold-down window: ALIVE again");
        assertEquals(Transition.Reason.STABLE, last.reason());
        assertEquals(1, failuresAbout(nodes, flapper));
    }

    @Test
    void tenPercentLossForTenMinutesRemovesNobody() {
        SimulatedNetwork net = new SimulatedNetwork(5);
        List<SimulatedNetwork.Node> nodes = cluster(net, 50, 500);
        net.run(Duration.ofSeconds(20));
        net.lossRate(0.10);
        net.run(Duration.ofMinutes(10));
        net.lossRate(0);
        net.run(Duration.ofSeconds(10));
        assertEquals(0, failures(nodes));
        assertAllHoldTheSame(nodes, 50);
    }

    /**
     * 30 % cut off for 30 s: the majority removes each of them once and no one else; the minority
     * decides nothing and says so; after the heal the cut-off members learn it at once and join again.
     */
    @Test
    void aPartitionIsDecidedByTheMajorityAndHealsBySelf() {
        SimulatedNetwork net = new SimulatedNetwork(6);
        List<SimulatedNetwork.Node> nodes = cluster(net, 20, 600);
        net.run(Duration.ofSeconds(20));
        List<SimulatedNetwork.Node> minority = nodes.subList(0, 6);
        List<SimulatedNetwork.Node> majority = nodes.subList(6, 20);
        for (SimulatedNetwork.Node a : minority) {
            for (SimulatedNetwork.Node b : majority) {
                net.cut(a, b);
            }
        }
        net.run(Duration.ofSeconds(30));
        for (SimulatedNetwork.Node m : minority) {
            assertEquals(1, failuresAbout(nodes, m), m.id + " removed once");
            assertFalse(m.core.clusterStats().quorum(), m.id + " knows it has no majority");
        }
        for (SimulatedNetwork.Node m : majority) {
            assertEquals(0, failuresAbout(nodes, m), m.id + " is healthy");
        }
        assertAllHoldTheSame(majority, 14);
        net.healAll();
        long healedAt = net.clock().monotonicNanos();
        net.run(Duration.ofSeconds(15));
        assertAllHoldTheSame(nodes, 20);
        assertEquals(6, failures(nodes));
        for (SimulatedNetwork.Node m : minority) {
            List<Transition> back = changes(nodes, m).stream()
                    .filter(c -> c.previous() == Liveness.DEAD && c.current() == Liveness.ALIVE)
                    .toList();
            assertEquals(Transition.Reason.RECOVERED, back.get(0).reason(), m.id + ": " + back);
        }
        assertTrue(net.clock().monotonicNanos() - healedAt
                <= Duration.ofSeconds(15).toNanos());
    }

    @Test
    void aSplitWithoutMajorityDecidesNothing() {
        SimulatedNetwork net = new SimulatedNetwork(13);
        List<SimulatedNetwork.Node> nodes = cluster(net, 10, 1300);
        net.run(Duration.ofSeconds(15));
        ConfigRef before = nodes.get(0).core.clusterStats().configuration();
        List<SimulatedNetwork.Node> left = nodes.subList(0, 5);
        List<SimulatedNetwork.Node> right = nodes.subList(5, 10);
        for (SimulatedNetwork.Node a : left) {
            for (SimulatedNetwork.Node b : right) {
                net.cut(a, b);
            }
        }
        net.run(Duration.ofSeconds(30));
        assertEquals(0, failures(nodes));
        for (SimulatedNetwork.Node node : nodes) {
            assertEquals(before, node.core.clusterStats().configuration(), node.id + " decided nothing");
        }
        assertTrue(nodes.stream().anyMatch(n -> !n.core.clusterStats().quorum()), "someone says so");
        net.healAll();
        net.run(Duration.ofSeconds(30));
        assertEquals(0, failures(nodes), "nothing after the heal either");
        assertAllHoldTheSame(nodes, 10);
    }

    @Test
    void aRestartIsOneEventAndNoFailure() {
        SimulatedNetwork net = new SimulatedNetwork(14);
        List<SimulatedNetwork.Node> nodes = cluster(net, 8, 1400);
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node restarted = nodes.get(5);
        restarted.restart(CLUSTER, nodes.get(0)); // back at once, before anyone could miss it
        net.run(Duration.ofSeconds(15));
        assertEquals(0, failures(nodes));
        List<Transition> told = changes(nodes, restarted);
        assertEquals(Transition.Reason.RESTARTED, told.get(told.size() - 1).reason(), told.toString());
        assertAllHoldTheSame(nodes, 8);
    }

    @Test
    void aStaticTargetIsProbedByItsOwnersAndItsFailureIsPublishedOnce() {
        SimulatedNetwork net = new SimulatedNetwork(8);
        List<SimulatedNetwork.Node> nodes = cluster(net, 12, 800);
        net.run(Duration.ofSeconds(15));
        SimulatedNetwork.Node target = net.addNode(DetectorConfig.defaults(), Duration.ZERO);
        target.startResponding(); // a `pulse respond` node: not a member
        for (SimulatedNetwork.Node node : nodes) {
            node.watch(target);
            node.startProbing();
        }
        net.run(Duration.ofSeconds(20));
        long probing = nodes.stream()
                .filter(n -> n.core.status(target.id).totalProbes() > 0)
                .count();
        assertEquals(CLUSTER.targetOwners(), probing, "probed by its owners only");
        assertEquals(
                1,
                changes(nodes, target).stream()
                        .filter(c -> c.current() == Liveness.ALIVE)
                        .count(),
                "one first contact");
        target.crash();
        net.run(Duration.ofSeconds(10));
        List<NodeFailure> failures = nodes.stream()
                .flatMap(n -> n.failures.stream())
                .filter(f -> f.node().equals(target.id))
                .toList();
        assertEquals(1, failures.size(), "one FailureMessage for the target: " + failures);
    }
}
