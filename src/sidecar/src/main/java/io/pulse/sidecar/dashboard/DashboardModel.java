package io.pulse.sidecar.dashboard;

import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.StatusChange;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dashboard knows, fed from Kafka and read by the page: every node's latest state, the
 * counts per state, a bounded history of events ({@link HistoryLimits}), the link to Kafka and the
 * records that could not be decoded. Every method is thread-safe; what changed since the last
 * {@link #drainJson()} goes to the browsers in one batch.
 *
 * <pre>{@code
 * DashboardModel model = new DashboardModel(HistoryLimits.defaults(), Clock.systemUTC());
 * model.status(change);                 // from ClusterView's listener
 * model.failure(failureMessage);        // from the failures topic
 * byte[] page = model.snapshotJson();   // what a browser gets first
 * byte[] batch = model.drainJson();     // then, every few hundred ms, what changed (null: nothing)
 * }</pre>
 */
public final class DashboardModel {
    /** Events sent with a snapshot for the timeline's list; the histogram counts all of them. */
    static final int RECENT_EVENTS = 200;
    /** Events of one node in its history. */
    static final int NODE_EVENTS = 500;
    /** Events one batch carries at most; past that the page is told to fetch a new snapshot. */
    static final int MAX_BATCH_EVENTS = 5_000;
    /** Bars of the timeline's histogram across the window. */
    static final int BUCKETS = 60;

    private final HistoryLimits limits;
    private final Clock clock;
    private final History history;
    private final Map<String, NodeRow> nodes = new HashMap<>();
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Set<String> dirty = new LinkedHashSet<>();
    private final List<Entry> fresh = new ArrayList<>();
    private boolean resync;
    private boolean connectionChanged;
    private Connection connection;
    private long seq;
    private long failuresUndecodable;
    private long statusUndecodable;
    private String undecodableSample;
    private Map<String, Heartbeat> heartbeats = Map.of();

    public DashboardModel(HistoryLimits limits, Clock clock) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.history = new History(limits);
        this.connection = Connection.initial(clock.millis());
    }

    public HistoryLimits limits() {
        return limits;
    }

    /** A status change read from the status topic; it sets the node's row unless the row is newer. */
    public synchronized void status(StatusChange change) {
        if (take(Entry.of(seq + 1, change))) {
            NodeRow row = nodes.get(change.getNodeId());
            if (row == null || change.getAt().toEpochMilli() >= row.sinceMillis()) {
                put(NodeRow.of(change));
            }
        }
    }

    /** A FailureMessage read from the failures topic: the node is DEAD from its detection on, unless a newer change came. */
    public synchronized void failure(FailureMessage failure) {
        if (take(Entry.of(seq + 1, failure))) {
            NodeRow row = nodes.get(failure.getNodeId());
            if (row == null || failure.getDetectedAt().toEpochMilli() > row.sinceMillis()) {
                put(NodeRow.of(failure));
            }
        }
    }

    /** A tombstone on the status topic: the node is no longer watched. */
    public synchronized void removed(String nodeId) {
        take(Entry.removal(seq + 1, nodeId, clock.millis()));
        NodeRow row = nodes.remove(nodeId);
        if (row != null) {
            counts.merge(row.state(), -1, Integer::sum);
            dirty.add(nodeId);
        }
    }

    /** A record of the failures topic that is no event. */
    public synchronized void undecodableFailure(String sample) {
        failuresUndecodable++;
        undecodableSample = sample;
        connectionChanged = true;
    }

    /** The status topic's reader's tally of records that are no event, and its latest one (null if none). */
    public synchronized void undecodableStatus(long count, String sample) {
        if (count != statusUndecodable) {
            statusUndecodable = count;
            undecodableSample = sample;
            connectionChanged = true;
        }
    }

    /** Kafka answered; {@code lag} records are on the topics that the dashboard has not read yet. */
    public synchronized void kafkaUp(long lag) {
        connection = connection.up(clock.millis(), lag);
        connectionChanged = true;
    }

    /** Every observer's latest heartbeat, from the heartbeats topic (through ClusterView). */
    public synchronized void heartbeats(Map<String, Heartbeat> latest) {
        heartbeats = new TreeMap<>(latest);
        connectionChanged = true;
    }

    /** {@code live}, {@code silent} or {@code none}: see {@link Observers}. */
    public synchronized String pulseState() {
        return Observers.state(heartbeats.values(), clock.millis());
    }

    /** Kafka did not answer: the page says so and keeps what it shows. */
    public synchronized void kafkaDown(String why) {
        connection = connection.down(clock.millis(), why);
        connectionChanged = true;
    }

    public synchronized long undecodable() {
        return failuresUndecodable + statusUndecodable;
    }

    public synchronized int historySize() {
        return history.size();
    }

    /** Nodes by state; a state no node is in is absent. */
    public synchronized Map<String, Integer> counts() {
        Map<String, Integer> copy = new TreeMap<>(counts);
        copy.values().removeIf(n -> n == 0);
        return copy;
    }

    /** The node's row, or null if it is unknown or removed. */
    synchronized NodeRow node(String nodeId) {
        return nodes.get(nodeId);
    }

    /** Everything a page needs to start: nodes, counts, the latest events, the histogram, the connection. */
    public synchronized byte[] snapshotJson() {
        long now = clock.millis();
        history.prune(now);
        return DashboardJson.snapshot(
                seq,
                now,
                nodes.values(),
                counts(),
                history.latest(RECENT_EVENTS, e -> true),
                histogram(now),
                connectionState());
    }

    /** What changed since the last call, as JSON, or null if nothing did. */
    public synchronized byte[] drainJson() {
        if (!resync && dirty.isEmpty() && fresh.isEmpty() && !connectionChanged) {
            return null;
        }
        long now = clock.millis();
        byte[] json;
        if (resync) {
            json = DashboardJson.resync(seq);
        } else {
            List<NodeRow> changed = new ArrayList<>();
            List<String> gone = new ArrayList<>();
            for (String id : dirty) {
                NodeRow row = nodes.get(id);
                if (row == null) {
                    gone.add(id);
                } else {
                    changed.add(row);
                }
            }
            json = DashboardJson.batch(seq, now, changed, gone, counts(), fresh, connectionState());
        }
        resync = false;
        connectionChanged = false;
        dirty.clear();
        fresh.clear();
        return json;
    }

    /** One node's row, its latest events and the evidence of its latest failure within the window. */
    public synchronized byte[] nodeJson(String nodeId) {
        history.prune(clock.millis());
        List<Entry> events = history.latest(NODE_EVENTS, e -> e.nodeId().equals(nodeId));
        Entry failure = null;
        for (Entry event : events) {
            if (event.failure() != null) {
                failure = event;
            }
        }
        return DashboardJson.node(nodeId, nodes.get(nodeId), events, failure);
    }

    private boolean take(Entry entry) {
        long now = clock.millis();
        connection = connection.read(now, entry.atMillis());
        connectionChanged = true;
        if (!history.add(entry, now)) {
            // older than the window, or read before: the row may still be news (a node's state from a compacted topic)
            return entry.eventId() == null || !seenBefore(entry);
        }
        seq = entry.seq();
        if (fresh.size() < MAX_BATCH_EVENTS) {
            fresh.add(entry);
        } else {
            resync = true;
        }
        return true;
    }

    /** Whether the history holds this event already (rather than it being too old to keep). */
    private boolean seenBefore(Entry entry) {
        return entry.atMillis() >= history.cutoff(clock.millis());
    }

    private void put(NodeRow row) {
        NodeRow before = nodes.put(row.id(), row);
        if (before != null) {
            counts.merge(before.state(), -1, Integer::sum);
        }
        counts.merge(row.state(), 1, Integer::sum);
        dirty.add(row.id());
    }

    private DashboardJson.Link connectionState() {
        return new DashboardJson.Link(
                connection,
                failuresUndecodable + statusUndecodable,
                undecodableSample,
                history.size(),
                limits,
                heartbeats.values(),
                clock.millis());
    }

    /** Events per bar of the window and per kind: the state a change went to, or FAILURE, or REMOVED. */
    private Histogram histogram(long now) {
        long bucketMillis = Math.max(1, limits.window().toMillis() / BUCKETS);
        long end = (now / bucketMillis + 1) * bucketMillis;
        Histogram histogram = new Histogram(end - BUCKETS * bucketMillis, bucketMillis, new TreeMap<>(), BUCKETS);
        for (Entry entry : history.all()) {
            histogram.count(entry);
        }
        return histogram;
    }
}
