package io.pulse.core;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Multi-observer cut detection (after Rapid's MultiNodeCutDetector), on one configuration: the
 * reports of observers that found a member down, and the cut they add up to.
 *
 * <pre>{@code
 * CutDetector cut = new CutDetector(configuration, clusterConfig);
 * cut.report(subject, observer, nowNanos);
 * int[] removed = cut.stable(nowNanos, leaving);   // empty while any member is in flux
 * }</pre>
 *
 * <p>A member with {@code H} reports or more (the high watermark, scaled to its observers, see
 * {@link ClusterConfig#highFor}) is in the cut; one with at least {@code L} but fewer than {@code H}
 * is unstable, and while one is, the cut is held back, so that members failing together leave in
 * one change and no member is half-reported. An observer that is itself in flux (unstable or in
 * the cut) or leaving counts as a report about its subjects in flux (Rapid's implicit detection): a
 * crashed observer cannot report, and must not keep its subjects from being removed. A member
 * unstable for longer than the unstable timeout stops holding the cut back. Pure: no clock, no I/O.
 */
final class CutDetector {
    private final Configuration configuration;
    private final ClusterConfig config;
    private final long unstableTimeoutNanos;
    /** Subject index -> the observer indices that reported it, and when it was first reported. */
    private final TreeMap<Integer, Reports> reports = new TreeMap<>();

    private static final class Reports {
        final int[] observers;
        final boolean[] reported;
        final long firstNanos;

        Reports(int[] observers, long firstNanos) {
            this.observers = observers;
            this.reported = new boolean[observers.length];
            this.firstNanos = firstNanos;
        }

        int count() {
            int n = 0;
            for (boolean r : reported) {
                n += r ? 1 : 0;
            }
            return n;
        }
    }

    CutDetector(Configuration configuration, ClusterConfig config) {
        this.configuration = configuration;
        this.config = config;
        this.unstableTimeoutNanos = config.unstableTimeout().toNanos();
    }

    /**
     * {@code observer} found {@code subject} down. Returns false if it is not one of the subject's
     * observers in this configuration (such a report counts for nothing).
     */
    boolean report(int subject, int observer, long nowNanos) {
        Reports r = reports.get(subject);
        if (r == null) {
            int[] observers = configuration.observersOf(subject, config.observers());
            if (indexOf(observers, observer) < 0) {
                return false;
            }
            r = new Reports(observers, nowNanos);
            reports.put(subject, r);
        }
        int at = indexOf(r.observers, observer);
        if (at < 0) {
            return false;
        }
        r.reported[at] = true;
        return true;
    }

    /** {@code observer} reaches {@code subject} again: its report is withdrawn. */
    void withdraw(int subject, int observer) {
        Reports r = reports.get(subject);
        if (r == null) {
            return;
        }
        int at = indexOf(r.observers, observer);
        if (at >= 0) {
            r.reported[at] = false;
            if (r.count() == 0) {
                reports.remove(subject);
            }
        }
    }

    /** Drops every report about {@code subject}. */
    void forget(int subject) {
        reports.remove(subject);
    }

    boolean isEmpty() {
        return reports.isEmpty();
    }

    /** The reports about {@code subject} so far, implicit ones not counted. */
    int reportsAbout(int subject) {
        Reports r = reports.get(subject);
        return r == null ? 0 : r.count();
    }

    /**
     * The members to remove now, ascending: every member with reports up to the high watermark,
     * provided no other is between the watermarks (not timed out); empty otherwise.
     *
     * @param leaving members leaving in the same change: they count as reports about their subjects in flux
     */
    int[] stable(long nowNanos, int[] leaving) {
        int n = configuration.size();
        boolean[] inFlux = new boolean[n];
        for (int i : leaving) {
            inFlux[i] = true;
        }
        int[] effective = new int[n];
        // Implicit reports can only push more members over L: repeat until nothing changes.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (var e : reports.entrySet()) {
                int subject = e.getKey();
                Reports r = e.getValue();
                int count = 0;
                for (int i = 0; i < r.observers.length; i++) {
                    count += r.reported[i] || inFlux[r.observers[i]] ? 1 : 0;
                }
                effective[subject] = count;
                if (!inFlux[subject] && count >= config.lowFor(r.observers.length)) {
                    inFlux[subject] = true;
                    changed = true;
                }
            }
        }
        List<Integer> cut = new ArrayList<>();
        for (var e : reports.entrySet()) {
            int subject = e.getKey();
            Reports r = e.getValue();
            int count = effective[subject];
            int high = config.highFor(r.observers.length);
            if (count >= high) {
                cut.add(subject);
            } else if (count >= config.lowFor(r.observers.length) && nowNanos - r.firstNanos < unstableTimeoutNanos) {
                return new int[0]; // a member in flux: wait for it
            }
        }
        return cut.stream().mapToInt(Integer::intValue).toArray();
    }

    /** When the next member in flux stops holding the cut back, after {@code nowNanos}, or {@link Long#MAX_VALUE}. */
    long nextExpiryNanos(long nowNanos) {
        long next = Long.MAX_VALUE;
        for (Reports r : reports.values()) {
            long expiry = r.firstNanos + unstableTimeoutNanos;
            if (expiry > nowNanos) {
                next = Math.min(next, expiry);
            }
        }
        return next;
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("CutDetector[");
        reports.forEach((subject, r) -> s.append(subject)
                .append('=')
                .append(r.count())
                .append('/')
                .append(r.observers.length)
                .append(' '));
        return s.append(']').toString();
    }
}
