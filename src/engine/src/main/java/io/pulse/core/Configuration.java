package io.pulse.core;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One agreed membership of a cluster: its members, what it remembers of members that failed or
 * left ({@link Standing}), and what follows from them for everyone alike: who observes whom on the
 * {@code K} rings, the order in which members coordinate a change, who publishes a change and who
 * backs the publisher up, and who owns a static target. Immutable; members that hold the same
 * configuration share one instance (see {@link Configurations}).
 *
 * <pre>{@code
 * Configuration first = Configuration.founding(me);
 * Configuration next = first.apply(proposal, holdDownMillis, forgetAfterMillis).next();
 * List<Integer> mine = next.subjectsOf(next.indexOf(me.address()), 8);
 * }</pre>
 *
 * <p>Its id is the first 8 bytes of SHA-256 over its epoch, members and standings, so that a
 * configuration fetched page by page can be checked against the id every probe carries.
 *
 * <p>Over 400 lines because every rule that must come out the same on every member is here, next to
 * the data it reads (rings, ranks, publishers, target owners, applying a change, the id): one file
 * to read to check that two members holding the same configuration act alike.
 */
public final class Configuration {
    /** Addresses ordered by their bytes (IPv4 before IPv6), then port: the order of the member indices. */
    static final Comparator<InetSocketAddress> ADDRESS_ORDER = (a, b) -> {
        byte[] x = a.getAddress().getAddress();
        byte[] y = b.getAddress().getAddress();
        int c = Integer.compare(x.length, y.length);
        if (c == 0) {
            c = Arrays.compareUnsigned(x, y);
        }
        return c != 0 ? c : Integer.compare(a.getPort(), b.getPort());
    };

    private final long epoch;
    private final MemberInfo[] members;
    private final SortedMap<InetSocketAddress, Standing> standings;
    private final Map<InetSocketAddress, Integer> indices;
    private final long id;
    /** Member indices ordered by coordinator rank. */
    private final int[] byRank;

    private final int[] rankOf;
    // Derived lazily, once per configuration and ring count, and shared by every member holding it.
    private int ringCount;
    private int[][] rings;
    private int[][] positions;
    private Proposal appliedProposal;
    private Decision applied;
    private int[] pageStarts;

    private Configuration(long epoch, MemberInfo[] members, SortedMap<InetSocketAddress, Standing> standings) {
        if (epoch < 1) {
            throw new IllegalArgumentException("epoch must be >= 1, got " + epoch);
        }
        if (members.length == 0) {
            throw new IllegalArgumentException("a configuration has at least one member");
        }
        if (members.length > Ballot.MAX_RANK + 1) {
            throw new IllegalArgumentException(
                    members.length + " members (expected: at most " + (Ballot.MAX_RANK + 1) + ")");
        }
        this.epoch = epoch;
        this.members = members;
        this.standings = standings;
        this.indices = new HashMap<>(members.length * 2);
        for (int i = 0; i < members.length; i++) {
            if (i > 0 && ADDRESS_ORDER.compare(members[i - 1].address(), members[i].address()) >= 0) {
                throw new IllegalArgumentException("members must be ordered by address without duplicates, got "
                        + members[i - 1].address() + " before " + members[i].address());
            }
            indices.put(members[i].address(), i);
        }
        this.id = digest(epoch, members, standings);
        Integer[] order = new Integer[members.length];
        long[] keys = new long[members.length];
        for (int i = 0; i < members.length; i++) {
            order[i] = i;
            keys[i] = Hashing.address(members[i].address());
        }
        Arrays.sort(order, (a, b) -> {
            int c = Long.compareUnsigned(keys[a], keys[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        this.byRank = new int[members.length];
        this.rankOf = new int[members.length];
        for (int r = 0; r < order.length; r++) {
            byRank[r] = order[r];
            rankOf[order[r]] = r;
        }
    }

    /** The first configuration of a cluster: its founding member alone, epoch 1. */
    public static Configuration founding(MemberInfo founder) {
        return new Configuration(1, new MemberInfo[] {founder}, Collections.emptySortedMap());
    }

    /** A configuration from its parts, for one fetched page by page or bootstrapped from a list. */
    public static Configuration of(long epoch, Collection<MemberInfo> members, Collection<Standing> standings) {
        MemberInfo[] sorted = members.toArray(new MemberInfo[0]);
        Arrays.sort(sorted, (a, b) -> ADDRESS_ORDER.compare(a.address(), b.address()));
        SortedMap<InetSocketAddress, Standing> map = new TreeMap<>(ADDRESS_ORDER);
        for (Standing s : standings) {
            if (map.put(s.address(), s) != null) {
                throw new IllegalArgumentException("two standings of " + s.address());
            }
        }
        return new Configuration(epoch, sorted, Collections.unmodifiableSortedMap(map));
    }

    public long epoch() {
        return epoch;
    }

    public long id() {
        return id;
    }

    public ConfigRef ref() {
        return new ConfigRef(epoch, id);
    }

    public int size() {
        return members.length;
    }

    /** The votes that decide a change: a majority of the members. */
    public int majority() {
        return members.length / 2 + 1;
    }

    public MemberInfo member(int index) {
        return members[index];
    }

    /** The members, ordered by address. */
    public List<MemberInfo> members() {
        return Collections.unmodifiableList(Arrays.asList(members));
    }

    /** The index of the member at {@code address}, or -1. */
    public int indexOf(InetSocketAddress address) {
        Integer i = indices.get(address);
        return i == null ? -1 : i;
    }

    public boolean contains(InetSocketAddress address) {
        return indices.containsKey(address);
    }

    public Standing standing(InetSocketAddress address) {
        return standings.get(address);
    }

    /** What it remembers of members, present or away, ordered by address. */
    public Collection<Standing> standings() {
        return standings.values();
    }

    // ---- coordinators ----

    /** The rank of member {@code index} as a coordinator: 0 coordinates first. */
    public int rankOf(int index) {
        return rankOf[index];
    }

    /** The member index of rank {@code rank}. */
    public int byRank(int rank) {
        return byRank[rank];
    }

    // ---- observers ----

    /**
     * The distinct members that observe member {@code index}: its predecessor on each of {@code k}
     * rings, each ring ordering the members by another hash of their address. Fewer than {@code k}
     * in a small configuration; none if it is alone.
     */
    public int[] observersOf(int index, int k) {
        return neighbours(index, k, -1);
    }

    /** The distinct members that member {@code index} observes: its successor on each of the {@code k} rings. */
    public int[] subjectsOf(int index, int k) {
        return neighbours(index, k, 1);
    }

    private int[] neighbours(int index, int k, int step) {
        int n = members.length;
        if (n == 1) {
            return new int[0];
        }
        int[][] r = rings(k);
        int[] found = new int[k];
        int count = 0;
        for (int ring = 0; ring < k; ring++) {
            int position = positions[ring][index];
            int neighbour = r[ring][Math.floorMod(position + step, n)];
            boolean seen = false;
            for (int j = 0; j < count; j++) {
                seen |= found[j] == neighbour;
            }
            if (!seen) {
                found[count++] = neighbour;
            }
        }
        return Arrays.copyOf(found, count);
    }

    private synchronized int[][] rings(int k) {
        if (rings != null && ringCount == k) {
            return rings;
        }
        int n = members.length;
        int[][] made = new int[k][];
        int[][] where = new int[k][n];
        long[] base = new long[n];
        for (int i = 0; i < n; i++) {
            base[i] = Hashing.address(members[i].address());
        }
        for (int ring = 0; ring < k; ring++) {
            long[] keyed = new long[n];
            for (int i = 0; i < n; i++) {
                // The ring's key in the high 44 bits, the member index in the low 20: one sort, no boxing.
                long key = Hashing.mix(base[i] + (ring + 1) * 0x9E3779B97F4A7C15L);
                keyed[i] = (key & ~0xFFFFFL) | i;
            }
            Arrays.sort(keyed);
            made[ring] = new int[n];
            for (int p = 0; p < n; p++) {
                int member = (int) (keyed[p] & 0xFFFFF);
                made[ring][p] = member;
                where[ring][member] = p;
            }
        }
        positions = where;
        ringCount = k;
        rings = made;
        return made;
    }

    // ---- publishing and ownership ----

    /**
     * The members that publish the change from {@code before} that made this configuration, best
     * first: the first publishes, the second backs it up. Members of both configurations only (a
     * member that joins with the change holds not the configuration it applies to, and cannot tell
     * the change's story), unless none is; rendezvous hashing over this configuration's id, so the
     * duty moves from change to change instead of resting on one member.
     */
    public int[] publishers(Configuration before) {
        boolean[] eligible = new boolean[members.length];
        int count = 0;
        for (int i = 0; i < members.length; i++) {
            int was = before.indexOf(members[i].address());
            eligible[i] = was >= 0 && before.member(was).incarnation() == members[i].incarnation();
            count += eligible[i] ? 1 : 0;
        }
        if (count == 0) {
            java.util.Arrays.fill(eligible, true);
            count = members.length;
        }
        return topByScore(id, Math.min(2, count), eligible);
    }

    /** The {@code count} members that own static target {@code target}, best first (rendezvous hashing). */
    public int[] ownersOf(NodeId target, int count) {
        return topByScore(Hashing.text(target.toString()), Math.min(count, members.length), null);
    }

    private int[] topByScore(long key, int count, boolean[] eligible) {
        int[] best = new int[count];
        long[] scores = new long[count];
        int filled = 0;
        for (int i = 0; i < members.length; i++) {
            if (eligible != null && !eligible[i]) {
                continue;
            }
            long score = Hashing.mix(Hashing.address(members[i].address()) ^ key);
            int at = filled;
            while (at > 0 && Long.compareUnsigned(score, scores[at - 1]) > 0) {
                at--;
            }
            if (at < count) {
                int moved = Math.min(filled, count - 1);
                System.arraycopy(best, at, best, at + 1, moved - at);
                System.arraycopy(scores, at, scores, at + 1, moved - at);
                best[at] = i;
                scores[at] = score;
                filled = Math.min(filled + 1, count);
            }
        }
        return best;
    }

    // ---- transfer ----

    /**
     * Where each page starts when this configuration is sent in pages of at most {@code pageBytes}
     * of entries: members first, then standings, each entry whole; the indices run over members and
     * then standings. Computed once per configuration.
     */
    synchronized int[] pageStarts(int pageBytes) {
        if (pageStarts != null) {
            return pageStarts;
        }
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        int used = 0;
        int entry = 0;
        for (MemberInfo m : members) {
            used = place(starts, used, m.encodedBytes(), pageBytes, entry++);
        }
        for (Standing s : standings.values()) {
            used = place(starts, used, s.encodedBytes(), pageBytes, entry++);
        }
        pageStarts = starts.stream().mapToInt(Integer::intValue).toArray();
        return pageStarts;
    }

    private static int place(List<Integer> starts, int used, int bytes, int pageBytes, int entry) {
        if (used + bytes > pageBytes && used > 0) {
            starts.add(entry);
            return bytes;
        }
        return used + bytes;
    }

    /** The standings, as a list in their order, for paging. */
    List<Standing> standingList() {
        return List.copyOf(standings.values());
    }

    // ---- change ----

    /**
     * The configuration after {@code change}, epoch one higher, and what the change means for each
     * member it touches. Members that hold this instance share the result of the same change.
     *
     * @param holdDownMillis    a second failure within this of the first makes a member FLAPPING, and a
     *                          FLAPPING member is settled after this long without a failure
     * @param forgetAfterMillis a standing of a member away this long is dropped
     * @throws IllegalArgumentException if the change names an index out of range, or makes the configuration empty
     */
    synchronized Decision apply(Proposal change, long holdDownMillis, long forgetAfterMillis) {
        if (change.equals(appliedProposal)) {
            return applied;
        }
        long at = change.atMillis();
        SortedMap<InetSocketAddress, Standing> next = new TreeMap<>(ADDRESS_ORDER);
        for (Standing s : standings.values()) {
            boolean away = !contains(s.address());
            boolean stale = away
                    ? at - s.sinceMillis() > forgetAfterMillis
                    : s.state() == Liveness.ALIVE && at - s.lastFailureMillis() > holdDownMillis;
            if (!stale) {
                next.put(s.address(), s);
            }
        }
        SortedMap<InetSocketAddress, MemberInfo> stay = new TreeMap<>(ADDRESS_ORDER);
        for (MemberInfo m : members) {
            stay.put(m.address(), m);
        }
        List<Verdict> verdicts = new ArrayList<>();
        for (int k = 0; k < change.downCount(); k++) {
            MemberInfo m = member(requireIndex(change.down(k)));
            stay.remove(m.address());
            Standing before = next.get(m.address());
            boolean recent = before != null
                    && before.lastFailureMillis() > 0
                    && at - before.lastFailureMillis() <= holdDownMillis;
            int failures = recent ? Math.min(255, before.failures() + 1) : 1;
            boolean wasFlapping = before != null && before.state() == Liveness.FLAPPING;
            Liveness state = wasFlapping || recent ? Liveness.FLAPPING : Liveness.DEAD;
            next.put(
                    m.address(),
                    new Standing(
                            m.address(),
                            m.incarnation(),
                            state,
                            wasFlapping ? before.sinceMillis() : at,
                            failures,
                            at));
            if (!wasFlapping) {
                verdicts.add(new Verdict(
                        m,
                        Liveness.ALIVE,
                        state,
                        state == Liveness.DEAD ? Verdict.Reason.UNREACHABLE : Verdict.Reason.FLAPPING));
            }
        }
        for (int k = 0; k < change.leftCount(); k++) {
            MemberInfo m = member(requireIndex(change.left(k)));
            stay.remove(m.address());
            Standing before = next.get(m.address());
            boolean flapping = before != null && before.state() == Liveness.FLAPPING;
            next.put(
                    m.address(),
                    new Standing(
                            m.address(),
                            m.incarnation(),
                            flapping ? Liveness.FLAPPING : Liveness.LEFT,
                            flapping ? before.sinceMillis() : at,
                            before == null ? 0 : before.failures(),
                            before == null ? 0 : before.lastFailureMillis()));
            verdicts.add(
                    new Verdict(m, flapping ? Liveness.FLAPPING : Liveness.ALIVE, Liveness.LEFT, Verdict.Reason.LEFT));
        }
        for (MemberInfo joining : change.joined()) {
            MemberInfo replaced = stay.put(joining.address(), joining);
            Standing before = next.get(joining.address());
            Liveness state = before == null ? null : before.state();
            if (replaced != null) { // a restart noticed by nobody: the old process is gone, the new one is here
                if (state != Liveness.FLAPPING) {
                    verdicts.add(new Verdict(joining, Liveness.ALIVE, Liveness.ALIVE, Verdict.Reason.RESTARTED));
                }
                if (before != null) {
                    next.put(joining.address(), before.as(joining.incarnation(), state, before.sinceMillis()));
                }
            } else if (state == null) {
                verdicts.add(new Verdict(joining, Liveness.PENDING, Liveness.ALIVE, Verdict.Reason.JOINED));
            } else if (state == Liveness.LEFT) {
                next.remove(joining.address());
                verdicts.add(new Verdict(joining, Liveness.LEFT, Liveness.ALIVE, Verdict.Reason.JOINED));
            } else if (state == Liveness.DEAD) {
                next.put(joining.address(), before.as(joining.incarnation(), Liveness.ALIVE, at));
                verdicts.add(new Verdict(
                        joining,
                        Liveness.DEAD,
                        Liveness.ALIVE,
                        joining.incarnation() == before.incarnation()
                                ? Verdict.Reason.RECOVERED
                                : Verdict.Reason.RESTARTED));
            } else { // FLAPPING: back again, still flapping; nothing to tell
                next.put(joining.address(), before.as(joining.incarnation(), state, before.sinceMillis()));
            }
        }
        for (InetSocketAddress settled : change.settled()) {
            Standing before = next.get(settled);
            if (before == null || before.state() != Liveness.FLAPPING) {
                continue;
            }
            MemberInfo present = stay.get(settled);
            if (present != null) {
                next.remove(settled);
                verdicts.add(new Verdict(present, Liveness.FLAPPING, Liveness.ALIVE, Verdict.Reason.STABLE));
            } else {
                next.put(settled, before.as(before.incarnation(), Liveness.DEAD, at));
                verdicts.add(new Verdict(
                        new MemberInfo(settled, before.incarnation(), Labels.NONE),
                        Liveness.FLAPPING,
                        Liveness.DEAD,
                        Verdict.Reason.STABLE));
            }
        }
        if (stay.isEmpty()) {
            throw new IllegalArgumentException("the change removes every member of " + ref());
        }
        Configuration result = new Configuration(
                epoch + 1, stay.values().toArray(new MemberInfo[0]), Collections.unmodifiableSortedMap(next));
        appliedProposal = change;
        applied = new Decision(this, change, result, List.copyOf(verdicts));
        return applied;
    }

    /** FLAPPING standings whose last failure is at least {@code holdDownMillis} before {@code nowMillis}: to settle. */
    List<InetSocketAddress> settledBy(long nowMillis, long holdDownMillis) {
        List<InetSocketAddress> due = new ArrayList<>();
        for (Standing s : standings.values()) {
            if (s.state() == Liveness.FLAPPING && nowMillis - s.lastFailureMillis() >= holdDownMillis) {
                due.add(s.address());
            }
        }
        return due;
    }

    /** The earliest time a FLAPPING standing settles, or {@link Long#MAX_VALUE}. */
    long nextSettleMillis(long holdDownMillis) {
        long next = Long.MAX_VALUE;
        for (Standing s : standings.values()) {
            if (s.state() == Liveness.FLAPPING) {
                next = Math.min(next, s.lastFailureMillis() + holdDownMillis);
            }
        }
        return next;
    }

    private int requireIndex(int index) {
        if (index >= members.length) {
            throw new IllegalArgumentException(
                    "member index " + index + " (expected: below " + members.length + " in " + ref() + ")");
        }
        return index;
    }

    private static long digest(long epoch, MemberInfo[] members, SortedMap<InetSocketAddress, Standing> standings) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java platform has SHA-256", e);
        }
        ByteBuffer buf = ByteBuffer.allocate(1024);
        buf.putLong(epoch).putInt(members.length);
        for (MemberInfo m : members) {
            buf = room(sha, buf, 64 + Labels.MAX_ENCODED_BYTES);
            putAddress(buf, m.address());
            buf.putLong(m.incarnation());
            buf.put((byte) m.labels().asMap().size());
            for (Map.Entry<String, String> e : m.labels().asMap().entrySet()) {
                byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = e.getValue().getBytes(StandardCharsets.UTF_8);
                buf.put((byte) key.length).put(key).put((byte) value.length).put(value);
            }
        }
        buf = room(sha, buf, 8);
        buf.putInt(standings.size());
        for (Standing s : standings.values()) {
            buf = room(sha, buf, 64);
            putAddress(buf, s.address());
            buf.putLong(s.incarnation())
                    .put((byte) s.state().ordinal())
                    .putLong(s.sinceMillis())
                    .put((byte) s.failures())
                    .putLong(s.lastFailureMillis());
        }
        buf.flip();
        sha.update(buf);
        return ByteBuffer.wrap(sha.digest()).getLong();
    }

    private static ByteBuffer room(MessageDigest sha, ByteBuffer buf, int bytes) {
        if (buf.remaining() < bytes) {
            buf.flip();
            sha.update(buf);
            buf.clear();
        }
        return buf;
    }

    private static void putAddress(ByteBuffer buf, InetSocketAddress address) {
        byte[] raw = address.getAddress().getAddress();
        buf.put((byte) raw.length).put(raw).putShort((short) address.getPort());
    }

    @Override
    public String toString() {
        return "Configuration[" + ref() + ", " + members.length + " members, " + standings.size() + " standings]";
    }
}
