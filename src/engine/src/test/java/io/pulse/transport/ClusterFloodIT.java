package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.ClusterConfig;
import io.pulse.core.DetectorConfig;
import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.Transition;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.Keyring;
import io.pulse.protocol.RejectReason;
import io.pulse.testkit.Eventually;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A flood of unsigned PINGs from {@value #SOURCES} source ports at one member of a cluster of 5, at
 * up to {@value #RATE} a second for {@value #FLOOD_MILLIS} ms (bounded: at most 200,000 datagrams):
 * no member is suspected or removed, nothing is published. With keys the flood is dropped before it
 * costs anything but a count; without keys ({@code security.auth.mode: none}) the strangers empty
 * the bucket for all answers (capped at 500 a second here, far below the flood), and the members' own
 * buckets keep their answers going. (In a cluster this small, members are each other's subjects too,
 * so their own probes also vouch for them; ResponderTest shows the answers themselves are kept.)
 */
class ClusterFloodIT {
    static final int SOURCES = 500;
    static final long RATE = 20_000;
    static final long FLOOD_MILLIS = 5_000;
    static final Duration LIMIT = Duration.ofSeconds(20);

    private final List<PulseEngine> engines = new ArrayList<>();
    private final List<NodeFailure> failures = new CopyOnWriteArrayList<>();
    private final List<Transition> changes = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        engines.forEach(PulseEngine::close);
    }

    private List<PulseEngine> cluster(Keyring keyring) throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            // All answers together capped below the flood's rate, so that without keys it empties that bucket.
            PulseEngineBuilder builder = PulseEngine.builder()
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .config(DetectorConfig.defaults())
                    .answerLimits(200, 500);
            if (keyring != null) {
                builder.keyring(keyring, DatagramAuth.Mode.REQUIRED);
            }
            PulseEngine engine = builder.start();
            engine.onFailure(failures::add);
            engine.onStatusChange(changes::add);
            engine.startCluster(
                    ClusterConfig.defaults(),
                    null,
                    i == 0 ? List.of() : List.of(engines.get(0).localId().toString()));
            engines.add(engine);
        }
        for (PulseEngine engine : engines) {
            Eventually.await(
                    engine.localId() + " holds 5 members",
                    () -> engine.clusterStats().joined() ? engine.clusterStats().members() : 0,
                    members -> members == 5,
                    LIMIT);
        }
        changes.clear();
        return List.copyOf(engines);
    }

    private void assertNobodyFailed(long sent) {
        assertEquals(List.of(), failures, "FailureMessages during a flood of " + sent + " PINGs");
        assertEquals(List.of(), changes, "agreed changes during a flood of " + sent + " PINGs");
        for (PulseEngine engine : engines) {
            assertEquals(5, engine.clusterStats().members(), engine.localId() + " still holds all 5");
            assertTrue(
                    engine.members().stream().allMatch(m -> m.state() == Liveness.ALIVE),
                    engine.localId() + " sees: " + engine.members());
        }
    }

    @Test
    void withKeysAFloodOfUnsignedPingsIsDroppedAndCostsNoMemberItsPlace() throws Exception {
        List<PulseEngine> members = cluster(Keyring.parse("1 " + Keyring.generateKey() + " primary", ""));
        PulseEngine victim = members.get(2);
        long sent = FloodIT.flood(victim.localAddress(), SOURCES, RATE, FLOOD_MILLIS, 200_000);
        Thread.sleep(3_000); // past a suspicion: a starved member would be suspected by now
        assertNobodyFailed(sent);
        assertTrue(
                victim.rejects().count(RejectReason.UNAUTHENTICATED) > sent / 2,
                sent + " sent, rejected " + victim.rejects());
    }

    @Test
    void withoutKeysStrangersEmptyTheSharedBucketButMembersAreStillAnswered() throws Exception {
        List<PulseEngine> members = cluster(null);
        PulseEngine victim = members.get(2);
        long sent = FloodIT.flood(victim.localAddress(), SOURCES, RATE, FLOOD_MILLIS, 200_000);
        Thread.sleep(3_000);
        assertNobodyFailed(sent);
        assertTrue(victim.counters().answersLimited() > sent / 2, sent + " sent, " + victim.counters());
    }
}
