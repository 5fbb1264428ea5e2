package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a member has to tell the coordinators of its configuration (its DOWN and UP reports as an
 * observer, the joins it vouches for, its own leave), until they have it: sent to the first-ranked
 * coordinators at once and again every retry interval, and to the next-ranked ones while those do
 * not answer, so that news reaches a coordinator on the member's side of a partition. A coordinator
 * answers each ALERT with an ALERT_ACK that echoes its sequence. News to this member itself, when
 * it is one of the coordinators, is handed over without a datagram.
 */
final class AlertOutbox {
    /** What it asks of the member. */
    interface Sink {
        void send(InetSocketAddress to, Message message);

        /** This member is a coordinator: take the entries as if {@code from} (this member) sent them. */
        void deliverLocally(List<Message.AlertEntry> entries);
    }

    private final ClusterConfig config;
    private final Sequences sequences;
    private final Sink sink;
    private Configuration configuration;
    private int self = -1;
    /** Entry key -> entry; a later entry about the same member and kind replaces it. */
    private final Map<String, Message.AlertEntry> entries = new LinkedHashMap<>();
    /** How many of the ranks are tried now (more when they do not answer). */
    private int tried;
    /** Per coordinator rank: the version of the entries it acknowledged, and since when it is tried. */
    private long[] ackedVersion = new long[0];

    private long[] triedSinceNanos = new long[0];
    /** Per rank: datagrams of the latest send not yet acknowledged. */
    private int[] pendingChunks = new int[0];

    private long version;
    /** The sequence of each ALERT sent and not answered -> {rank, version}. */
    private final Map<Long, long[]> outstanding = new LinkedHashMap<>();

    private long sent;

    AlertOutbox(ClusterConfig config, Sequences sequences, Sink sink) {
        this.config = config;
        this.sequences = sequences;
        this.sink = sink;
    }

    /** A new configuration: what was said about the old one is void. */
    void reset(Configuration configuration, int self) {
        this.configuration = configuration;
        this.self = self;
        entries.clear();
        outstanding.clear();
        tried = 0;
        ackedVersion = new long[configuration.size()];
        triedSinceNanos = new long[configuration.size()];
        pendingChunks = new int[configuration.size()];
        version = 0;
    }

    void add(Message.AlertEntry entry) {
        if (configuration == null) {
            return;
        }
        String key = entry.kind() + " " + entry.member().address();
        String opposite = (entry.kind() == Message.AlertEntry.Kind.DOWN
                        ? Message.AlertEntry.Kind.UP
                        : entry.kind() == Message.AlertEntry.Kind.UP ? Message.AlertEntry.Kind.DOWN : null)
                + " " + entry.member().address();
        entries.remove(opposite);
        Message.AlertEntry previous = entries.put(key, entry);
        if (!entry.equals(previous)) {
            version++;
        }
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    long sent() {
        return sent;
    }

    /** Sends what a coordinator tried lacks; tries the next rank for each tried one silent for too long. */
    void tick(long nowNanos) {
        if (configuration == null || entries.isEmpty()) {
            return;
        }
        int n = configuration.size();
        int wanted = Math.min(config.coordinators(), n);
        if (tried == 0) {
            tried = wanted;
            for (int r = 0; r < tried; r++) {
                triedSinceNanos[r] = nowNanos;
            }
        }
        long escalate = 3 * config.alertRetryInterval().toNanos();
        int answering = 0;
        for (int r = 0; r < tried; r++) {
            boolean silent = ackedVersion[r] < version && nowNanos - triedSinceNanos[r] >= escalate;
            answering += silent ? 0 : 1;
        }
        while (answering < wanted && tried < n) {
            triedSinceNanos[tried++] = nowNanos;
            answering++;
        }
        List<Message.AlertEntry> all = new ArrayList<>(entries.values());
        List<List<Message.AlertEntry>> chunks = null;
        for (int r = 0; r < tried; r++) {
            if (ackedVersion[r] >= version) {
                continue;
            }
            int index = configuration.byRank(r);
            if (index == self) {
                sink.deliverLocally(all);
                ackedVersion[r] = version;
                continue;
            }
            if (chunks == null) {
                chunks = chunks(all);
            }
            InetSocketAddress to = configuration.member(index).address();
            pendingChunks[r] = chunks.size();
            for (List<Message.AlertEntry> chunk : chunks) {
                long sequence = sequences.next();
                outstanding.put(sequence, new long[] {r, version});
                if (outstanding.size() > 4096) {
                    outstanding.remove(outstanding.keySet().iterator().next());
                }
                sink.send(to, new Message.Alert(sequence, configuration.ref(), chunk));
                sent++;
            }
        }
    }

    /** Entries in datagrams of at most what a datagram holds. */
    private static List<List<Message.AlertEntry>> chunks(List<Message.AlertEntry> all) {
        List<List<Message.AlertEntry>> chunks = new ArrayList<>();
        List<Message.AlertEntry> chunk = new ArrayList<>();
        int budget = WireSizes.DATAGRAM - WireSizes.MAX_TRAILER - WireSizes.HEADER - WireSizes.CONFIG_REF - 1;
        int used = 0;
        for (Message.AlertEntry entry : all) {
            int bytes = 1
                    + MemberInfo.addressBytes(entry.member().address())
                    + 8
                    + (entry.kind() == Message.AlertEntry.Kind.JOIN
                            ? entry.member().labels().encodedBytes()
                            : 0);
            if (!chunk.isEmpty() && (used + bytes > budget || chunk.size() == Message.Alert.MAX_ENTRIES)) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                used = 0;
            }
            chunk.add(entry);
            used += bytes;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return chunks;
    }

    /** A coordinator has the ALERT with this sequence; once it has every datagram of the latest entries, it is done. */
    void onAck(Message.AlertAck ack) {
        long[] sentAs = outstanding.remove(ack.sequence());
        if (sentAs == null
                || configuration == null
                || !ack.config().equals(configuration.ref())
                || sentAs[1] != version) {
            return;
        }
        int rank = (int) sentAs[0];
        if (--pendingChunks[rank] <= 0) {
            ackedVersion[rank] = version;
        }
    }
}
