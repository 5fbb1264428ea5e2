package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode on the simulated network: join, one verdict per crash, a clean leave, refutation,
 * loss without false DEAD, and a partition that heals. Deterministic: each test has its seed.
 */
class ClusterSimulationTest {

    static final ClusterConfig CLUSTER =
            ClusterConfig.builder().reapAfter(Duration.ofHours(2)).build();

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

    static long countEverywhere(List<SimulatedNetwork.Node> nodes, Liveness state, SimulatedNetwork.Node about) {
        return nodes.stream()
                .filter(n -> !n.crashed() && n != about && n.viewOf(about) == state)
                .count();
    }

    static long failures(List<SimulatedNetwork.Node> nodes) {
        return nodes.stream().mapToLong(n -> n.failures.size()).sum();
    }

    @Test
    void membersJoinThroughOneSeedAndAllSeeEveryone() {
        SimulatedNetwork net = new SimulatedNetwork(1);
        List<SimulatedNetwork.Node> nodes = cluster(net, 30, 100);
        net.run(Duration.ofSeconds(10));
        for (SimulatedNetwork.Node node : nodes) {
            assertEquals(30, node.core.members().size(), node.id + " knows every member");
            assertEquals(30, node.core.clusterStats().alive(), node.id + " sees every member ALIVE");
            assertTrue(node.core.clusterStats().joined());
        }
        assertEquals(0, failures(nodes));
    }

    @Test
    void joinsOneAfterAnotherAreEachReportedOnce() {
        SimulatedNetwork net = new SimulatedNetwork(7);
        List<SimulatedNetwork.Node> nodes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            SimulatedNetwork.Node node =
                    net.addNode(DetectorConfig.builder().randomSeed(700 + i).build(), Duration.ZERO);
            if (i == 0) {
                node.join(CLUSTER);
            } else {
                node.join(CLUSTER, nodes.get(random(i)));
            }
            nodes.add(node);
            net.run(Duration.ofSeconds(2));
        }
        net.run(Duration.ofSeconds(5));
        List<Transition> joins = nodes.stream()
                .flatMap(n -> n.changes.stream())
                .filter(c -> c.reason() == Transition.Reason.JOINED)
                .toList();
        assertEquals(19, joins.size(), "one JOINED per joiner (the founder joined nobody): " + joins);
        assertEquals(19, joins.stream().map(Transition::node).distinct().count());
        for (Transition join : joins) {
            assertEquals(Liveness.PENDING, join.previous());
            assertEquals(join.node(), join.declaredBy(), "a join is the joiner's own word");
        }
    }

    /**
     * Joins at the same moment through one seed, as in {@code pulse demo}: the seed may learn a
     * joiner's ring successor before the joiner, and that successor, itself still joining, learns the
     * joiner only from the seed's view. Each join must still be reported, whatever the order.
     */
    @Test
    void simultaneousJoinsThroughOneSeedAreEachReported() {
        for (long seed = 0; seed < 400; seed++) {
            int size = 3 + (int) (seed % 6);
            SimulatedNetwork net = new SimulatedNetwork(seed);
            List<SimulatedNetwork.Node> nodes = cluster(net, size, 1000 + seed * 10);
            net.run(Duration.ofSeconds(10));
            List<Transition> joins = nodes.stream()
                    .flatMap(n -> n.changes.stream())
                    .filter(c -> c.reason() == Transition.Reason.JOINED)
                    .toList();
            for (SimulatedNetwork.Node joiner : nodes.subList(1, nodes.size())) {
                assertEquals(
                        1,
                        joins.stream().filter(c -> c.node().equals(joiner.id)).count(),
                        "seed " + seed + ": the join of " + joiner.id + " is reported once: " + joins);
            }
            assertEquals(nodes.size() - 1, joins.size(), "the founder joined nobody: " + joins);
        }
    }

    /** Any earlier member as the seed: not always the founder. */
    private static int random(int below) {
        return (below * 7 + 3) % below;
    }

    @Test
    void aCrashIsOneFailureMessageAndEveryMemberLearnsIt() {
        SimulatedNetwork net = new SimulatedNetwork(2);
        List<SimulatedNetwork.Node> nodes = cluster(net, 40, 200);
        net.run(Duration.ofSeconds(20));
        SimulatedNetwork.Node victim = nodes.get(17);
        victim.crash();
        net.run(Duration.ofSeconds(10));
        assertEquals(1, failures(nodes), "one FailureMessage for one crash");
        NodeFailure failure =
                nodes.stream().flatMap(n -> n.failures.stream()).findFirst().orElseThrow();
        assertEquals(victim.id, failure.node());
        assertTrue(failure.clusterVerdict());
        assertTrue(failure.confirmations() >= 1, "confirmations " + failure.confirmations());
        assertEquals(39, countEverywhere(nodes, Liveness.DEAD, victim), "every member's view is DEAD");
        long deadTransitions = nodes.stream()
                .flatMap(n -> n.changes.stream())
                .filter(c -> c.node().equals(victim.id) && c.current() == Liveness.DEAD)
                .count();
        assertEquals(1, deadTransitions, "one transition to DEAD in the status events");
    }

    @Test
    void aCleanLeaveIsLeftNotAFailure() {
        SimulatedNetwork net = new SimulatedNetwork(3);
        List<SimulatedNetwork.Node> nodes = cluster(net, 20, 300);
        net.run(Duration.ofSeconds(10));
        SimulatedNetwork.Node leaver = nodes.get(5);
        leaver.leave();
        net.run(Duration.ofMillis(500));
        assertTrue(leaver.core.leaveDisseminated());
        leaver.crash(); // the process exits
        net.run(Duration.ofSeconds(20));
        assertEquals(0, failures(nodes));
        assertEquals(19, countEverywhere(nodes, Liveness.LEFT, leaver));
        List<Transition> left = nodes.stream()
                .flatMap(n -> n.changes.stream())
                .filter(c -> c.node().equals(leaver.id))
                .filter(c -> c.current() == Liveness.LEFT)
                .toList();
        assertEquals(1, left.size());
        assertEquals(Liveness.ALIVE, left.get(0).previous());
        assertEquals(Transition.Reason.LEFT, left.get(0).reason());
    }

    @Test
    void aPausedMemberRefutesWhenItComesBackInTime() {
        SimulatedNetwork net = new SimulatedNetwork(4);
        List<SimulatedNetwork.Node> nodes = cluster(net, 10, 400);
        net.run(Duration.ofSeconds(10));
        SimulatedNetwork.Node paused = nodes.get(3);
        long before = paused.core.incarnation();
        paused.crash();
        net.run(Duration.ofMillis(1500)); // suspected, not yet dead
        paused.resume();
        net.run(Duration.ofSeconds(10));
        assertEquals(0, failures(nodes));
        assertTrue(paused.core.incarnation() > before, "refuted by raising its incarnation");
        assertEquals(9, countEverywhere(nodes, Liveness.ALIVE, paused));
    }

    @Test
    void tenPercentLossForTenMinutesDeclaresNobodyDead() {
        SimulatedNetwork net = new SimulatedNetwork(5);
        List<SimulatedNetwork.Node> nodes = cluster(net, 50, 500);
        net.run(Duration.ofSeconds(10));
        net.lossRate(0.10);
        net.run(Duration.ofMinutes(10));
        assertEquals(0, failures(nodes));
        for (SimulatedNetwork.Node node : nodes) {
            assertEquals(0, node.core.clusterStats().dead(), node.id + " holds nobody DEAD");
        }
    }

    @Test
    void aPartitionHealsWithoutHelp() {
        SimulatedNetwork net = new SimulatedNetwork(6);
        List<SimulatedNetwork.Node> nodes = cluster(net, 30, 600);
        net.run(Duration.ofSeconds(10));
        List<SimulatedNetwork.Node> minority = nodes.subList(0, 3);
        for (SimulatedNetwork.Node a : minority) {
            for (SimulatedNetwork.Node b : nodes.subList(3, 30)) {
                net.cut(a, b);
            }
        }
        net.run(Duration.ofSeconds(30));
        assertTrue(countEverywhere(nodes, Liveness.DEAD, minority.get(0)) >= 27, "the majority saw the minority die");
        net.healAll();
        net.run(Duration.ofMinutes(3));
        for (SimulatedNetwork.Node node : nodes) {
            assertEquals(30, node.core.clusterStats().alive(), node.id + " sees all 30 ALIVE again");
        }
    }

    @Test
    void aStaticTargetIsProbedByAFewOwnersAndItsFailureIsPublishedOnce() {
        SimulatedNetwork net = new SimulatedNetwork(8);
        List<SimulatedNetwork.Node> nodes = cluster(net, 12, 800);
        net.run(Duration.ofSeconds(10)); // every member knows every other: they agree on the owners
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
        assertEquals(CLUSTER.observers(), probing, "probed by its owners only");
        assertEquals(
                1,
                nodes.stream()
                        .flatMap(n -> n.changes.stream())
                        .filter(c -> c.node().equals(target.id) && c.current() == Liveness.ALIVE)
                        .count(),
                "one first contact");

        // Its first owner crashes: the next owner takes over, and the target's events go on from it.
        SimulatedNetwork.Node primary = nodes.stream()
                .filter(n -> n.changes.stream().anyMatch(c -> c.node().equals(target.id)))
                .findFirst()
                .orElseThrow();
        primary.crash();
        net.run(Duration.ofSeconds(10));
        target.crash();
        net.run(Duration.ofSeconds(10));
        List<NodeFailure> failures = nodes.stream()
                .flatMap(n -> n.failures.stream())
                .filter(f -> f.node().equals(target.id))
                .toList();
        assertEquals(1, failures.size(), "one FailureMessage for the target: " + failures);
        assertTrue(primary.failures.stream().noneMatch(f -> f.node().equals(target.id)));
    }

    @Test
    void aMemberCutOffFromAllDeclaresNobodyDeadAndIsDeclaredDeadOnce() {
        SimulatedNetwork net = new SimulatedNetwork(9);
        List<SimulatedNetwork.Node> nodes = cluster(net, 20, 900);
        net.run(Duration.ofSeconds(10));
        SimulatedNetwork.Node isolated = nodes.get(7);
        for (SimulatedNetwork.Node other : nodes) {
            if (other != isolated) {
                net.cut(isolated, other);
            }
        }
        net.run(Duration.ofSeconds(30));
        assertEquals(List.of(), isolated.failures, "alone, its suspicions have no confirmation: it evicts nobody");
        assertEquals(0, isolated.core.clusterStats().dead());
        assertEquals(1, failures(nodes), "the others declare the isolated member DEAD, once");
        assertEquals(
                isolated.id,
                nodes.stream()
                        .flatMap(n -> n.failures.stream())
                        .findFirst()
                        .orElseThrow()
                        .node());
    }
}
