package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One member's merge rules, driven message by message: what it believes, refutes and sends. */
class MembershipTest {
    private final ManualClock clock = new ManualClock();
    private final List<Message> sent = new ArrayList<>();
    private final List<Transition> changes = new ArrayList<>();
    private final InetSocketAddress self = address(1);
    private final InetSocketAddress peer = address(2);
    private final PulseCore core =
            new PulseCore(DetectorConfig.builder().randomSeed(1).build(), clock, 1000, new PulseCore.Output() {
                @Override
                public void send(InetSocketAddress to, Message message) {
                    sent.add(message);
                }

                @Override
                public void statusChanged(Transition change) {
                    changes.add(change);
                }
            });

    static InetSocketAddress address(int last) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, 0, (byte) last}), 7946);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    private void founded() {
        core.startResponding();
        core.startCluster(ClusterConfig.defaults(), self, List.of());
    }

    private void gossip(MemberUpdate... updates) {
        core.onMessage(peer, new Message.Gossip(1, List.of(updates)));
    }

    private MemberStatus member(InetSocketAddress address) {
        return core.members().stream()
                .filter(m -> m.id().toString().equals(address.getAddress().getHostAddress() + ":7946"))
                .findFirst()
                .orElse(null);
    }

    @Test
    void anAnswerToAnUnauthenticatedPingPiggybacksNoMoreThanThePingCarried() {
        founded();
        gossip(
                new MemberUpdate(peer, Liveness.ALIVE, 5, peer),
                new MemberUpdate(address(3), Liveness.ALIVE, 5, address(3)),
                new MemberUpdate(address(4), Liveness.ALIVE, 5, address(4)));
        sent.clear();
        core.onMessage(peer, new Message.Ping(7, 1)); // forged from a member's address, say: no news on the ACK
        assertInstanceOf(Message.Ack.class, sent.get(0));
        MemberUpdate one = new MemberUpdate(address(5), Liveness.ALIVE, 5, address(5));
        core.onMessage(peer, new Message.Piggybacked(new Message.Ping(8, 1), List.of(one)));
        Message.Piggybacked answer = assertInstanceOf(Message.Piggybacked.class, sent.get(1));
        assertTrue(MemberUpdate.wireBytes(answer.updates()) <= MemberUpdate.wireBytes(List.of(one)), answer.toString());
        core.onMessage(peer, new Message.Ping(9, 1), true); // authenticated: the full budget
        assertTrue(
                ((Message.Piggybacked) sent.get(2)).updates().size() >= 2,
                sent.get(2).toString());
    }

    @Test
    void anIncarnationFarBeyondTheWallClockIsNotBelieved() {
        founded();
        long tomorrowAndMore =
                clock.epochNanos() / 1_000_000 + Duration.ofDays(2).toMillis();
        gossip(new MemberUpdate(peer, Liveness.ALIVE, tomorrowAndMore, peer));
        assertEquals(null, member(peer));
        assertEquals(1, core.clusterStats().implausibleIncarnations());
        gossip(new MemberUpdate(self, Liveness.SUSPECT, Long.MAX_VALUE, peer));
        assertEquals(1000, core.incarnation(), "no refutation of a suspicion nobody can hold");
    }

    @Test
    void aSuspicionOfThisMemberIsRefutedWithAHigherIncarnation() {
        founded();
        gossip(new MemberUpdate(peer, Liveness.ALIVE, 5, peer));
        sent.clear();
        gossip(new MemberUpdate(self, Liveness.SUSPECT, 1000, peer));
        assertEquals(1001, core.incarnation());
        assertEquals(1, core.clusterStats().refutations());
        clock.advance(ClusterConfig.DEFAULT_GOSSIP_INTERVAL);
        core.tick();
        MemberUpdate refutation = sent.stream()
                .filter(m -> m instanceof Message.Gossip)
                .map(m -> (Message.Gossip) m)
                .flatMap(g -> g.updates().stream())
                .filter(u -> u.member().equals(self))
                .findFirst()
                .orElseThrow();
        assertEquals(new MemberUpdate(self, Liveness.ALIVE, 1001, self), refutation);
        // An older suspicion, of the incarnation just left behind, changes nothing.
        gossip(new MemberUpdate(self, Liveness.SUSPECT, 1000, peer));
        assertEquals(1001, core.incarnation());
    }

    @Test
    void stateOrderFollowsIncarnations() {
        founded();
        gossip(new MemberUpdate(peer, Liveness.ALIVE, 5, peer));
        gossip(new MemberUpdate(peer, Liveness.SUSPECT, 4, address(3)));
        assertEquals(Liveness.ALIVE, member(peer).state(), "a suspicion of an older incarnation is stale");
        gossip(new MemberUpdate(peer, Liveness.SUSPECT, 5, address(3)));
        assertEquals(Liveness.SUSPECT, member(peer).state());
        gossip(new MemberUpdate(peer, Liveness.ALIVE, 5, peer));
        assertEquals(Liveness.SUSPECT, member(peer).state(), "ALIVE must carry a higher incarnation to refute");
        gossip(new MemberUpdate(peer, Liveness.ALIVE, 6, peer));
        assertEquals(Liveness.ALIVE, member(peer).state());
        gossip(new MemberUpdate(peer, Liveness.LEFT, 6, peer));
        assertEquals(Liveness.LEFT, member(peer).state());
        gossip(new MemberUpdate(peer, Liveness.DEAD, 6, address(3)));
        assertEquals(Liveness.LEFT, member(peer).state(), "a member that left does not die");
        gossip(new MemberUpdate(address(9), Liveness.DEAD, 3, peer));
        assertEquals(null, member(address(9)), "news of the end of a member never known here");
    }

    @Test
    void aStaticMonitorCountsClusterMessagesItCannotUse() {
        core.startResponding();
        gossip(new MemberUpdate(peer, Liveness.ALIVE, 5, peer));
        core.onMessage(
                peer,
                new Message.Piggybacked(
                        new Message.Ping(7, 1), List.of(new MemberUpdate(peer, Liveness.ALIVE, 5, peer))));
        assertEquals(2, core.counters().unexpectedClusterMessages());
        assertInstanceOf(Message.Ack.class, sent.get(0), "the PING under the news is answered all the same");
        assertThrows(IllegalStateException.class, core::members);
    }

    @Test
    void theFirstMemberFoundsAndAJoinerIsAnsweredWithItsView() {
        founded();
        core.onMessage(peer, new Message.Sync(9, true, 0, 1, List.of(new MemberUpdate(peer, Liveness.ALIVE, 5, peer))));
        assertEquals(Liveness.ALIVE, member(peer).state());
        Message.Sync reply = sent.stream()
                .filter(m -> m instanceof Message.Sync)
                .map(m -> (Message.Sync) m)
                .findFirst()
                .orElseThrow();
        assertEquals(false, reply.replyWanted());
        assertTrue(reply.members().contains(new MemberUpdate(self, Liveness.ALIVE, 1000, self)), reply.toString());
        assertTrue(core.clusterStats().joined());
        assertEquals(List.of(), changes, "the joiner reports its own join, not the member that admits it");
    }

    private void joinThroughPeer() {
        core.startResponding();
        core.startCluster(ClusterConfig.defaults(), self, List.of(peer));
        assertTrue(
                sent.stream().anyMatch(m -> m instanceof Message.Sync s && s.replyWanted()), "asks the seed: " + sent);
    }

    @Test
    void aNewMemberReportsItsOwnJoinOnceItsViewArrived() {
        joinThroughPeer();
        assertEquals(List.of(), changes, "not before the view came");
        core.onMessage(
                peer, new Message.Sync(9, false, 0, 1, List.of(new MemberUpdate(peer, Liveness.ALIVE, 5, peer))));
        core.onMessage(
                peer, new Message.Sync(10, false, 0, 1, List.of(new MemberUpdate(peer, Liveness.ALIVE, 5, peer))));
        assertEquals(1, changes.size(), "one JOINED, whatever else the view brought: " + changes);
        Transition joined = changes.get(0);
        assertEquals(NodeId.of("10.0.0.1", 7946), joined.node());
        assertEquals(Transition.Reason.JOINED, joined.reason());
        assertEquals(Liveness.PENDING, joined.previous());
        assertEquals(Liveness.ALIVE, joined.current());
        assertEquals(joined.node(), joined.declaredBy(), "a join is the joiner's own word");
        assertEquals(core.incarnation(), joined.incarnation());
    }

    @Test
    void aMemberTheClusterHeldLeftComesBackWithoutANewJoin() {
        joinThroughPeer();
        core.onMessage(
                peer,
                new Message.Sync(
                        9,
                        false,
                        0,
                        1,
                        List.of(
                                new MemberUpdate(peer, Liveness.ALIVE, 5, peer),
                                new MemberUpdate(self, Liveness.LEFT, core.incarnation() - 500, self))));
        assertTrue(core.clusterStats().joined());
        assertEquals(
                List.of(),
                changes,
                "its reporter publishes LEFT -> ALIVE; a PENDING -> ALIVE here would be a second record");
    }
}
