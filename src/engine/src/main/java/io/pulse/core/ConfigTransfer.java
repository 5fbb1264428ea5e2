package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bringing a member up to date: serving what it asks for (the DECIDED that followed the
 * configuration it holds, if this member remembers it, else its own configuration page by page),
 * and fetching from a member that holds a newer configuration than this one. A fetched
 * configuration is checked against the id it claims before it is used. Each answer echoes the
 * sequence of its request, so none can be slipped in from off the path.
 */
final class ConfigTransfer {
    /** Requests in flight at once while fetching pages. */
    static final int WINDOW = 8;
    /** Decisions remembered, to bring members that are a few changes behind up to date one by one. */
    static final int REMEMBERED = 32;

    /** What it asks of the member. */
    interface Sink {
        void send(InetSocketAddress to, Message message);

        /** The DECIDED that followed the configuration this member holds: apply it. */
        void decided(InetSocketAddress from, Message.Decided decided);

        /** A whole configuration, checked against its id. */
        void fetched(InetSocketAddress from, Configuration configuration);
    }

    private final Sequences sequences;
    private final Sink sink;
    private final boolean signed;
    private final Configurations configurations;
    /** The configuration each remembered decision applied to -> the DECIDED that followed it. */
    private final Map<ConfigRef, Message.Decided> decisions = new LinkedHashMap<>();
    // The fetch under way.
    private InetSocketAddress source;
    private ConfigRef fetching;
    private ConfigRef holding;
    private int pages = -1;
    private List<Message.ConfigPage> received;
    private final Map<Long, Integer> outstanding = new LinkedHashMap<>();
    private long startedNanos;
    private int nextPage;
    private long fetches;
    private long served;

    ConfigTransfer(Sequences sequences, Sink sink, boolean signed, Configurations configurations) {
        this.sequences = sequences;
        this.sink = sink;
        this.signed = signed;
        this.configurations = configurations;
    }

    void remember(ConfigRef before, Message.Decided decided) {
        decisions.put(before, decided);
        while (decisions.size() > REMEMBERED) {
            decisions.remove(decisions.keySet().iterator().next());
        }
    }

    long fetches() {
        return fetches;
    }

    long served() {
        return served;
    }

    // ---- serving ----

    void serve(InetSocketAddress to, Message.ConfigRequest request, Configuration current) {
        if (current == null) {
            return;
        }
        Message.Decided next = decisions.get(request.config());
        if (next != null && request.page() == 0) {
            served++;
            sink.send(to, new Message.Decided(request.sequence(), next.config(), next.value()));
            return;
        }
        int[] starts = current.pageStarts(WireSizes.PAGE_ENTRIES);
        int page = request.page();
        if (page >= starts.length) {
            return;
        }
        int from = starts[page];
        int to_ = page + 1 < starts.length
                ? starts[page + 1]
                : current.size() + current.standings().size();
        List<MemberInfo> members = new ArrayList<>();
        List<Standing> standings = new ArrayList<>();
        List<Standing> all = from < current.size() && to_ <= current.size() ? List.of() : current.standingList();
        for (int i = from; i < to_; i++) {
            if (i < current.size()) {
                members.add(current.member(i));
            } else {
                standings.add(all.get(i - current.size()));
            }
        }
        served++;
        sink.send(
                to, new Message.ConfigPage(request.sequence(), current.ref(), page, starts.length, members, standings));
    }

    // ---- fetching ----

    /** Fetches from {@code from}, which holds {@code theirs}; a fetch already under way for as new a one goes on. */
    void fetch(InetSocketAddress from, ConfigRef theirs, ConfigRef mine, long nowNanos) {
        if (fetching != null && !theirs.newerThan(fetching) && nowNanos - startedNanos < 5_000_000_000L) {
            return;
        }
        fetches++;
        source = from;
        fetching = theirs;
        holding = mine;
        pages = -1;
        received = null;
        outstanding.clear();
        startedNanos = nowNanos;
        nextPage = 1;
        request(0);
    }

    boolean fetching() {
        return fetching != null;
    }

    /** A fetch stalled (answers lost): ask again for what is missing; give up after a while. */
    void tick(long nowNanos) {
        if (fetching == null) {
            return;
        }
        if (nowNanos - startedNanos > 10_000_000_000L) {
            fetching = null; // a later sighting of a newer configuration starts again
            return;
        }
        List<Integer> missing = new ArrayList<>(outstanding.values());
        outstanding.clear();
        if (pages < 0) {
            request(0);
            return;
        }
        for (int page : missing) {
            request(page);
        }
        fill();
    }

    private void request(int page) {
        long sequence = sequences.next();
        outstanding.put(sequence, page);
        int padding = signed ? 0 : WireSizes.MAX_PAGE - WireSizes.CONFIG_REQUEST;
        sink.send(source, new Message.ConfigRequest(sequence, holding, page, padding));
    }

    private void fill() {
        while (outstanding.size() < WINDOW && nextPage < pages) {
            if (received.get(nextPage) == null) {
                request(nextPage);
            }
            nextPage++;
        }
    }

    /** A DECIDED that answers our request: the sink applies it. Returns false if it answers nothing of ours. */
    boolean onDecided(InetSocketAddress from, Message.Decided decided) {
        if (fetching == null || !from.equals(source) || !outstanding.containsKey(decided.sequence())) {
            return false;
        }
        fetching = null;
        outstanding.clear();
        sink.decided(from, decided);
        return true;
    }

    void onPage(InetSocketAddress from, Message.ConfigPage page) {
        Integer asked = outstanding.remove(page.sequence());
        if (asked == null || !from.equals(source) || asked != page.page()) {
            return;
        }
        if (pages < 0) {
            if (page.config().epoch() < fetching.epoch()) {
                fetching = null; // it holds something older than what it showed us: another sighting will do
                return;
            }
            fetching = page.config();
            pages = page.pages();
            received = new ArrayList<>(pages);
            for (int i = 0; i < pages; i++) {
                received.add(null);
            }
        }
        if (!page.config().equals(fetching) || page.pages() != pages) {
            fetching = null; // it moved on meanwhile: start again at the next sighting
            return;
        }
        received.set(page.page(), page);
        fill();
        if (received.stream().allMatch(p -> p != null)) {
            List<MemberInfo> members = new ArrayList<>();
            List<Standing> standings = new ArrayList<>();
            for (Message.ConfigPage p : received) {
                members.addAll(p.members());
                standings.addAll(p.standings());
            }
            ConfigRef wanted = fetching;
            fetching = null;
            Configuration configuration;
            try {
                configuration = Configuration.of(wanted.epoch(), members, standings);
            } catch (IllegalArgumentException e) {
                return; // not a configuration at all
            }
            if (configuration.id() == wanted.id()) {
                sink.fetched(from, configurations.intern(configuration));
            }
        }
    }
}
