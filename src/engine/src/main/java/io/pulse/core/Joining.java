package io.pulse.core;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Both sides of the join handshake. The joiner sends JOIN to its seeds (and to the members that
 * told it it is out) every {@code cluster.join.retry.interval}, answers a CHALLENGE with the cookie
 * it carried, and founds the cluster itself when every seed says it is joining too and its address
 * is the lowest. The member asked {@linkplain #admitted admits} a JOIN that is signed or carries a
 * good cookie, so that a forged source address gets one small datagram back and no state.
 */
final class Joining {
    private final ClusterConfig config;
    private final Clock clock;
    private final Sequences sequences;
    private final PulseCore.Output output;
    private final MemberInfo self;
    private final Cookies cookies = new Cookies();
    private List<InetSocketAddress> seeds = List.of();
    private final Map<InetSocketAddress, Long> cookiesGiven = new LinkedHashMap<>();
    /** Members (or seeds) that told this one it is out, or answered while joining themselves. */
    private final Set<InetSocketAddress> via = new LinkedHashSet<>();
    /** Peers seen joining while this member was joining too: the lowest address founds the cluster. */
    private final Set<InetSocketAddress> joiningPeers = new LinkedHashSet<>();

    private long nextJoinNanos;
    private long attempts;
    private long challenges;

    Joining(ClusterConfig config, Clock clock, Sequences sequences, PulseCore.Output output, MemberInfo self) {
        this.config = config;
        this.clock = clock;
        this.sequences = sequences;
        this.output = output;
        this.self = self;
    }

    // ---- the joiner ----

    void addSeeds(List<InetSocketAddress> more) {
        List<InetSocketAddress> all = new ArrayList<>(seeds);
        for (InetSocketAddress seed : more) {
            if (!seed.equals(self.address()) && !all.contains(seed)) {
                all.add(seed);
            }
        }
        seeds = List.copyOf(all);
    }

    boolean isSeed(InetSocketAddress address) {
        return seeds.contains(address);
    }

    /**
     * Sends JOIN to every target if the retry interval has passed; true when this member should found
     * the cluster instead ({@code holdsNone}: it holds no configuration): every seed answered that it
     * is joining too, after a few attempts, and this member's address is the lowest.
     */
    boolean tick(boolean holdsNone) {
        long now = clock.monotonicNanos();
        if (now < nextJoinNanos) {
            return false;
        }
        nextJoinNanos = now + config.joinRetryInterval().toNanos();
        attempts++;
        for (InetSocketAddress to : targets()) {
            send(to);
        }
        return holdsNone
                && attempts > 3
                && !seeds.isEmpty()
                && joiningPeers.containsAll(seeds)
                && seeds.stream().allMatch(s -> Configuration.ADDRESS_ORDER.compare(self.address(), s) < 0);
    }

    private List<InetSocketAddress> targets() {
        List<InetSocketAddress> targets = new ArrayList<>(via);
        for (InetSocketAddress seed : seeds) {
            if (!targets.contains(seed)) {
                targets.add(seed);
            }
        }
        return targets;
    }

    private void send(InetSocketAddress to) {
        long cookie = cookiesGiven.getOrDefault(to, 0L);
        output.send(to, new Message.Join(sequences.next(), self.incarnation(), cookie, self.labels()));
    }

    /** A CHALLENGE from a seed or a member this one is joining through: JOIN again with its cookie. */
    void onChallenge(InetSocketAddress from, Message.Challenge challenge) {
        if (seeds.contains(from) || via.contains(from)) {
            cookiesGiven.put(from, challenge.cookie());
            send(from);
        }
    }

    /** {@code peer} is joining too (it sent a JOIN, or a PING without a configuration). */
    void peerJoining(InetSocketAddress peer) {
        joiningPeers.add(peer);
    }

    /**
     * This member is out of {@code configuration} (removed, or it restarted): join again at once,
     * through {@code from} (who said so, may be null) and the configuration's first coordinators.
     */
    void rejoin(InetSocketAddress from, Configuration configuration) {
        if (from != null) {
            via.add(from);
        }
        for (int rank = 0; rank < Math.min(config.coordinators(), configuration.size()); rank++) {
            via.add(configuration.member(configuration.byRank(rank)).address());
        }
        via.remove(self.address());
        nextJoinNanos = 0;
    }

    /** In: what the handshake remembered is not needed any more. */
    void joined() {
        via.clear();
        cookiesGiven.clear();
    }

    long attempts() {
        return attempts;
    }

    // ---- the member asked ----

    /** Whether {@code join} may go on to the coordinators; if not, its sender is challenged. */
    boolean admitted(InetSocketAddress from, Message.Join join, boolean authenticated) {
        long now = clock.monotonicNanos();
        if (authenticated || cookies.valid(from, join.cookie(), now)) {
            return true;
        }
        challenges++;
        output.send(from, new Message.Challenge(join.sequence(), cookies.make(from, now)));
        return false;
    }

    long challenges() {
        return challenges;
    }
}
