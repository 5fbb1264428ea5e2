package io.pulse.core;

/**
 * Where this member stands in the cluster, and what it did so far.
 *
 * <pre>{@code
 * ClusterStats s = engine.clusterStats();
 * if (!s.quorum()) log.warn("no majority for {} ms: the cluster decides nothing", s.undecidedMillis());
 * }</pre>
 *
 * @param configuration   the agreed configuration this member holds ({@link ConfigRef#NONE} before its first)
 * @param members         its size
 * @param alive           its members that are not FLAPPING
 * @param flapping        its members, and those away, held FLAPPING
 * @param dead            members it remembers DEAD (away)
 * @param left            members it remembers LEFT
 * @param joined          this member is in it
 * @param phase           JOINING, MEMBER, LEAVING or LEFT
 * @param quorum          false while a change has been under way here, undecided, for more than three
 *                        consensus timeouts: this member's side has no majority (a partition, or too
 *                        many members down), and decides nothing
 * @param undecidedMillis how long that change has been under way, or 0
 * @param ignored         cluster messages about another configuration than this member's, or invalid
 */
public record ClusterStats(
        ConfigRef configuration,
        int members,
        int alive,
        int flapping,
        int dead,
        int left,
        boolean joined,
        String phase,
        boolean quorum,
        long undecidedMillis,
        long joinAttempts,
        long decisions,
        long proposals,
        long alertsSent,
        long alertsReceived,
        long configFetches,
        long configServed,
        long challenges,
        long published,
        long publishedAsBackup,
        long ignored) {}
