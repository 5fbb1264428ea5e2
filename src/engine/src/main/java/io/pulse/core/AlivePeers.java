package io.pulse.core;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The ALIVE pulse targets of a {@link Detector}, the only ones that can relay a PING_REQ about
 * another target when no cluster picks the relays: an index kept in step with every transition
 * (each target knows its place, {@link Target#aliveIndex}), so that k relays are drawn in O(k)
 * however many targets there are and however few of them are ALIVE.
 *
 * <pre>{@code
 * AlivePeers alive = new AlivePeers();
 * alive.add(target);                                   // on -> ALIVE
 * List<Detector.Peer> relays = alive.pick(other, 3, random);
 * }</pre>
 */
final class AlivePeers {
    private final List<Target> alive = new ArrayList<>();

    /** Adds a pulse target that became ALIVE; an external one, or one already in, is left out. */
    void add(Target target) {
        if (target.aliveIndex < 0 && !target.external()) {
            target.aliveIndex = alive.size();
            alive.add(target);
        }
    }

    /** Takes out a target that is no longer ALIVE (or was removed); nothing if it was not in. */
    void remove(Target target) {
        int index = target.aliveIndex;
        if (index < 0) {
            return;
        }
        Target last = alive.remove(alive.size() - 1);
        if (last != target) {
            alive.set(index, last);
            last.aliveIndex = index;
        }
        target.aliveIndex = -1;
    }

    /**
     * Up to k distinct ALIVE pulse targets other than {@code target}, chosen at random: Floyd's
     * sampling of k of the n candidates in the index, so O(k).
     */
    List<Detector.Peer> pick(Target target, int k, SplittableRandom random) {
        // The candidates are the ALIVE index without the target itself, if it is there.
        int skip = target.aliveIndex;
        int n = alive.size() - (skip >= 0 ? 1 : 0);
        int wanted = Math.min(k, n);
        List<Detector.Peer> chosen = new ArrayList<>(wanted);
        int[] picked = new int[wanted];
        for (int j = n - wanted; j < n; j++) {
            int t = random.nextInt(j + 1);
            int pick = contains(picked, chosen.size(), t) ? j : t;
            picked[chosen.size()] = pick;
            Target peer = alive.get(skip >= 0 && pick >= skip ? pick + 1 : pick);
            chosen.add(new Detector.Peer(peer.id, peer.address));
        }
        return chosen;
    }

    private static boolean contains(int[] values, int count, int value) {
        for (int i = 0; i < count; i++) {
            if (values[i] == value) {
                return true;
            }
        }
        return false;
    }
}
