package io.pulse.core;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Who tells the world about a decided change, and that it survives its teller: the change's
 * publisher (first of {@link Configuration#publishers} of the configuration it made) raises the
 * events and, once the driver confirms them published ({@code published}), says so to the backup
 * (the second); the backup raises the same events, with the same change id, when that word has not
 * come within the publish timeout, or at once when the publisher is removed first. Every member
 * derives the same events from the same change, so both tell the same story, and a consumer that
 * drops duplicate event ids sees it once.
 */
final class Publication {
    /** What it asks of the member. */
    interface Sink {
        void send(InetSocketAddress to, Message message);

        void statusChanged(Transition change);

        void failed(NodeFailure failure);

        /** Local evidence about a member this node observes, or null. */
        NodeStatus evidence(NodeId member);

        /** The events of {@code change} are all raised. */
        void changeRaised(ConfigRef change);
    }

    private final ClusterConfig config;
    private final Sequences sequences;
    private final Sink sink;
    private final NodeId self;
    /** Changes this member published and whose confirmation is awaited -> the backup to tell. */
    private final Map<ConfigRef, InetSocketAddress> awaitingConfirmation = new LinkedHashMap<>();
    /** Changes this member backs up -> the decision and the publisher, until the publisher confirms. */
    private final Map<ConfigRef, Duty> backups = new LinkedHashMap<>();

    private long published;
    private long publishedAsBackup;

    private record Duty(Decision decision, InetSocketAddress publisher, TimerQueue.Timer timer) {}

    Publication(ClusterConfig config, Sequences sequences, Sink sink, NodeId self) {
        this.config = config;
        this.sequences = sequences;
        this.sink = sink;
        this.self = self;
    }

    /**
     * A change was decided and applied. Raises its events if this member is its publisher (and says
     * so), takes the backup's duty if it is the backup, and publishes at once what it backs up for a
     * publisher this change removes.
     */
    boolean onDecision(Decision decision, int selfIndex, TimerQueue timers, long nowNanos) {
        Configuration after = decision.after();
        for (var it = backups.entrySet().iterator(); it.hasNext(); ) {
            Duty duty = it.next().getValue();
            if (!after.contains(duty.publisher())) {
                TimerQueue.cancel(duty.timer());
                it.remove();
                raise(duty.decision());
                publishedAsBackup++;
            }
        }
        if (decision.verdicts().isEmpty() || selfIndex < 0) {
            return false;
        }
        int[] publishers = after.publishers(decision.before());
        if (publishers[0] == selfIndex) {
            raise(decision);
            published++;
            if (publishers.length > 1) {
                awaitingConfirmation.put(
                        after.ref(), after.member(publishers[1]).address());
                trim(awaitingConfirmation);
            }
            return true;
        } else if (publishers.length > 1 && publishers[1] == selfIndex) {
            ConfigRef change = after.ref();
            TimerQueue.Timer timer =
                    timers.schedule(nowNanos + config.publishTimeout().toNanos(), () -> {
                        Duty duty = backups.remove(change);
                        if (duty != null) {
                            raise(duty.decision());
                            publishedAsBackup++;
                        }
                    });
            backups.put(change, new Duty(decision, after.member(publishers[0]).address(), timer));
        }
        return false;
    }

    /** The driver has the events of {@code change} published (in Kafka): tell the backup. */
    void confirmed(ConfigRef change) {
        InetSocketAddress backup = awaitingConfirmation.remove(change);
        if (backup != null) {
            sink.send(backup, new Message.Published(sequences.next(), change));
        }
    }

    /** The publisher's word: the backup stands down. */
    void onPublished(InetSocketAddress from, Message.Published published) {
        Duty duty = backups.get(published.config());
        if (duty != null && duty.publisher().equals(from)) {
            TimerQueue.cancel(duty.timer());
            backups.remove(published.config());
        }
    }

    long published() {
        return published;
    }

    long publishedAsBackup() {
        return publishedAsBackup;
    }

    private void raise(Decision decision) {
        ConfigRef change = decision.after().ref();
        Instant at = Instant.ofEpochMilli(decision.change().atMillis());
        for (Verdict v : decision.verdicts()) {
            NodeId node = v.member().id();
            NodeStatus s = sink.evidence(node);
            Transition.Reason reason = reason(v.reason());
            sink.statusChanged(new Transition(
                    node,
                    v.from(),
                    v.to(),
                    v.member().incarnation(),
                    at,
                    s == null ? null : s.srtt(),
                    s == null ? null : s.clockOffset(),
                    s == null ? 0 : s.totalProbes(),
                    s == null ? 0 : s.lostProbes(),
                    reason,
                    self,
                    0,
                    change,
                    v.member().labels()));
            if (v.failure()) {
                sink.failed(new NodeFailure(
                        node,
                        Liveness.DEAD,
                        v.member().incarnation(),
                        s == null ? 0 : s.lastRetries(),
                        List.of(),
                        s == null ? null : s.firstContact(),
                        s == null ? null : s.lastContact(),
                        at,
                        s == null ? null : s.srtt(),
                        s == null ? null : s.clockOffset(),
                        s == null ? 0 : s.totalProbes(),
                        s == null ? 0 : s.lostProbes(),
                        self,
                        0,
                        change,
                        v.member().labels()));
            }
        }
        sink.changeRaised(change);
    }

    private static Transition.Reason reason(Verdict.Reason reason) {
        return switch (reason) {
            case JOINED -> Transition.Reason.JOINED;
            case UNREACHABLE -> Transition.Reason.UNREACHABLE;
            case FLAPPING -> Transition.Reason.FLAPPING;
            case RECOVERED -> Transition.Reason.RECOVERED;
            case RESTARTED -> Transition.Reason.RESTARTED;
            case LEFT -> Transition.Reason.LEFT;
            case STABLE -> Transition.Reason.STABLE;
        };
    }

    private static <K, V> void trim(Map<K, V> map) {
        while (map.size() > 256) {
            map.remove(map.keySet().iterator().next());
        }
    }
}
