package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlivePeersTest {
    private static Target target(int n) {
        return new Target(
                NodeId.of("127.0.0.1", n), new InetSocketAddress("127.0.0.1", n), 1_000_000_000L, 3, 500_000_000L);
    }

    @Test
    void picksKDistinctAlivePeersNeverTheTargetItself() {
        AlivePeers alive = new AlivePeers();
        List<Target> targets = List.of(target(1), target(2), target(3), target(4), target(5));
        targets.forEach(alive::add);
        SplittableRandom random = new SplittableRandom(7);

        for (int round = 0; round < 1_000; round++) {
            Target subject = targets.get(round % targets.size());
            List<Detector.Peer> peers = alive.pick(subject, 3, random);
            Set<NodeId> ids = new HashSet<>();
            peers.forEach(p -> ids.add(p.id()));
            assertEquals(3, ids.size(), "distinct: " + peers);
            assertFalse(ids.contains(subject.id), "not the target: " + peers);
        }
    }

    @Test
    void everyCandidateIsDrawnAboutEquallyOften() {
        AlivePeers alive = new AlivePeers();
        List<Target> targets = List.of(target(1), target(2), target(3), target(4), target(5));
        targets.forEach(alive::add);
        SplittableRandom random = new SplittableRandom(11);
        Map<NodeId, Integer> counts = new HashMap<>();

        for (int round = 0; round < 40_000; round++) {
            for (Detector.Peer peer : alive.pick(targets.get(0), 2, random)) {
                counts.merge(peer.id(), 1, Integer::sum);
            }
        }

        assertEquals(4, counts.size(), counts.toString());
        for (int count : counts.values()) {
            assertTrue(Math.abs(count - 20_000) < 1_000, "2 of 4 candidates in 40,000 draws: " + counts);
        }
    }

    @Test
    void fewerCandidatesThanKGiveThemAllAndRemovedOnesAreNeverPicked() {
        AlivePeers alive = new AlivePeers();
        Target a = target(1);
        Target b = target(2);
        Target c = target(3);
        alive.add(a);
        alive.add(b);
        alive.add(c);
        alive.remove(a);
        alive.remove(a); // twice: nothing

        List<Detector.Peer> peers = alive.pick(b, 3, new SplittableRandom(1));

        assertEquals(List.of(new Detector.Peer(c.id, c.address)), peers);
        assertEquals(-1, a.aliveIndex);
        assertEquals(
                List.of(new Detector.Peer(b.id, b.address), new Detector.Peer(c.id, c.address)),
                alive.pick(target(9), 3, new SplittableRandom(1)).stream()
                        .sorted((x, y) -> x.id().compareTo(y.id()))
                        .toList(),
                "for a node outside the index, every ALIVE one");
    }

    @Test
    void externalTargetsNeverRelay() {
        AlivePeers alive = new AlivePeers();
        Target web = new Target(NodeId.parse("web:80"), null, 1_000_000_000L, 3, 500_000_000L);
        alive.add(web);

        assertEquals(-1, web.aliveIndex);
        assertEquals(List.of(), alive.pick(target(1), 3, new SplittableRandom(1)));
    }
}
