package io.pulse.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The live members (ALIVE and SUSPECT, this node included) ordered by {@link Member#ringKey}:
 * each member is watched by the members that follow it, and its events are published by the
 * first of them. Also a random-access list, for random gossip and relay targets in O(k).
 */
final class Ring {
    private static final Comparator<Member> ORDER =
            Comparator.<Member>comparingLong(m -> m.ringKey).thenComparing(m -> m.id);

    private final TreeSet<Member> sorted = new TreeSet<>(ORDER);
    private final List<Member> live = new ArrayList<>();

    void add(Member member) {
        if (member.liveIndex >= 0) {
            return;
        }
        sorted.add(member);
        member.liveIndex = live.size();
        live.add(member);
    }

    void remove(Member member) {
        int index = member.liveIndex;
        if (index < 0) {
            return;
        }
        sorted.remove(member);
        Member last = live.remove(live.size() - 1);
        if (last != member) {
            live.set(index, last);
            last.liveIndex = index;
        }
        member.liveIndex = -1;
    }

    int size() {
        return live.size();
    }

    /** Every live member, in no particular order. */
    List<Member> all() {
        return new ArrayList<>(live);
    }

    /** Up to {@code k} distinct live members that precede {@code of} on the ring, nearest first; never {@code of}. */
    List<Member> predecessors(Member of, int k) {
        List<Member> found = new ArrayList<>(k);
        Member cursor = of;
        while (found.size() < k) {
            Member next = sorted.lower(cursor);
            if (next == null) {
                next = sorted.isEmpty() ? null : sorted.last();
            }
            if (next == null || next == of || found.contains(next)) {
                break;
            }
            found.add(next);
            cursor = next;
        }
        return found;
    }

    /** The first live member after {@code of}'s place on the ring, other than {@code of}; null if none. */
    Member successor(Member of) {
        Member next = sorted.higher(of);
        if (next == null && !sorted.isEmpty()) {
            next = sorted.first();
        }
        if (next == of) {
            next = sorted.higher(of);
            if (next == null) {
                next = sorted.first();
            }
            return next == of ? null : next;
        }
        return next;
    }

    /** Up to {@code k} distinct random live members, none of them {@code exclude1} or {@code exclude2}. */
    List<Member> sample(SplittableRandom random, int k, Member exclude1, Member exclude2) {
        int n = live.size();
        List<Member> chosen = new ArrayList<>(k);
        if (n <= k + 2) {
            for (Member m : live) {
                if (m != exclude1 && m != exclude2 && chosen.size() < k) {
                    chosen.add(m);
                }
            }
            if (chosen.size() > 1) {
                // A random order, so that the first relay or gossip target is not always the same.
                for (int i = chosen.size() - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    Member t = chosen.get(i);
                    chosen.set(i, chosen.get(j));
                    chosen.set(j, t);
                }
            }
            return chosen;
        }
        // More than k + 2 candidates: rejection sampling ends quickly.
        for (int attempts = 0; chosen.size() < k && attempts < 8 * k + 16; attempts++) {
            Member m = live.get(random.nextInt(n));
            if (m != exclude1 && m != exclude2 && !chosen.contains(m)) {
                chosen.add(m);
            }
        }
        return chosen;
    }
}
