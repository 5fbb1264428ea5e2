package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ClusterConfig;
import io.pulse.core.Liveness;
import io.pulse.core.MemberStatus;
import io.pulse.core.NodeFailure;
import io.pulse.core.Transition;
import io.pulse.testkit.Eventually;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Cluster mode on real UDP sockets on 127.0.0.1: join, one verdict per crash, a clean leave. */
class ClusterEngineIT {
    static final Duration LIMIT = Duration.ofSeconds(20);
    private final List<PulseEngine> engines = new ArrayList<>();
    private final List<NodeFailure> failures = new CopyOnWriteArrayList<>();
    private final List<Transition> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        engines.forEach(PulseEngine::close);
    }

    private PulseEngine member(List<String> seeds) {
        PulseEngine engine = PulseEngine.builder()
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .config(PulseEngineIT.FAST)
                .start();
        engine.onFailure(failures::add);
        engine.onStatusChange(changes::add);
        engine.startCluster(ClusterConfig.defaults(), null, seeds);
        engines.add(engine);
        return engine;
    }

    private List<PulseEngine> cluster(int n) throws InterruptedException {
        PulseEngine seed = member(List.of());
        for (int i = 1; i < n; i++) {
            member(List.of(seed.localId().toString()));
        }
        for (PulseEngine engine : engines) {
            Eventually.await(
                    engine.localId() + " holds " + n + " members",
                    () -> engine.clusterStats().joined() ? engine.clusterStats().members() : 0,
                    members -> members == n,
                    LIMIT);
        }
        return List.copyOf(engines);
    }

    private static Liveness viewOf(PulseEngine engine, PulseEngine other) {
        return engine.members().stream()
                .filter(m -> m.id().equals(other.localId()))
                .map(MemberStatus::state)
                .findFirst()
                .orElse(null);
    }

    @Test
    void aCrashIsOneFailureWhoeverObservedIt() throws InterruptedException {
        List<PulseEngine> members = cluster(5);
        PulseEngine victim = members.get(2);
        victim.close(); // a crash: no LEFT announced
        for (PulseEngine engine : members) {
            if (engine != victim) {
                Eventually.await(
                        engine.localId() + " holds the victim DEAD",
                        () -> viewOf(engine, victim),
                        state -> state == Liveness.DEAD,
                        LIMIT);
            }
        }
        Eventually.await("the failure event", () -> failures.size(), n -> n >= 1, LIMIT);
        Thread.sleep(500); // a second verdict, if any, would come within a round trip or two
        assertEquals(1, failures.size(), "one FailureMessage for one crash: " + failures);
        assertEquals(victim.localId(), failures.get(0).node());
        assertTrue(failures.get(0).clusterVerdict());
        assertEquals(
                1,
                changes.stream()
                        .filter(c -> c.node().equals(victim.localId()) && c.current() == Liveness.DEAD)
                        .count());
    }

    @Test
    void aCleanLeaveIsLeftAndNoFailure() throws InterruptedException {
        List<PulseEngine> members = cluster(4);
        PulseEngine leaver = members.get(1);
        assertTrue(leaver.leave(Duration.ofSeconds(2)), "LEFT went out within the timeout");
        leaver.close();
        for (PulseEngine engine : members) {
            if (engine != leaver) {
                Eventually.await(
                        engine.localId() + " sees LEFT",
                        () -> viewOf(engine, leaver),
                        state -> state == Liveness.LEFT,
                        LIMIT);
            }
        }
        Eventually.await(
                "the LEFT event",
                () -> changes.stream().filter(c -> c.current() == Liveness.LEFT).count(),
                n -> n >= 1,
                LIMIT);
        Thread.sleep(3000); // longer than detection: a false failure would have shown
        assertEquals(List.of(), failures);
        assertEquals(
                1, changes.stream().filter(c -> c.current() == Liveness.LEFT).count());
    }

    @Test
    void aMemberThatCannotReachItsSeedKeepsTrying() throws InterruptedException {
        PulseEngine lonely = member(List.of("127.0.0.1:9")); // discard port: nobody answers
        Eventually.await("join attempts", () -> lonely.clusterStats().joinAttempts(), n -> n >= 2, LIMIT);
        assertEquals(false, lonely.clusterStats().joined());
    }

    @Test
    void aSeedThatDoesNotResolveYetNeitherFailsTheStartNorFoundsACluster() throws InterruptedException {
        PulseEngine waiting = member(List.of("pulse-seed.invalid:7946"));
        Eventually.await("join attempts", () -> waiting.clusterStats().joinAttempts(), n -> n >= 2, LIMIT);
        assertEquals(false, waiting.clusterStats().joined(), "still looking for its cluster, not founding one");
    }
}
