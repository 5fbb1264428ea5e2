package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Multi-observer cut detection: a test per rule, on configurations of 3 to 100 members. */
class CutDetectorTest {
    static final ClusterConfig CONFIG = ClusterConfig.defaults();
    static final long SECOND = 1_000_000_000L;

    static Configuration members(int n) {
        List<MemberInfo> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add(new MemberInfo(address(i), 1, Labels.NONE));
        }
        return Configuration.of(3, members, List.of());
    }

    static InetSocketAddress address(int i) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, 0, (byte) (i >> 8), (byte) i}), 7946);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** The watermarks scaled to the observers a member really has: K = 8, H = 5, L = 2. */
    @ParameterizedTest
    @CsvSource({"8, 5, 2", "7, 5, 2", "4, 3, 1", "3, 2, 1", "2, 2, 1", "1, 1, 1"})
    void watermarksScaleToTheObserversAMemberHas(int observers, int high, int low) {
        assertEquals(high, CONFIG.highFor(observers));
        assertEquals(low, CONFIG.lowFor(observers));
    }

    @Test
    void aMemberReportedByEnoughObserversIsTheCut() {
        Configuration c = members(100);
        CutDetector cut = new CutDetector(c, CONFIG);
        int subject = 42;
        int[] observers = c.observersOf(subject, CONFIG.observers());
        int high = CONFIG.highFor(observers.length);
        for (int i = 0; i < high - 1; i++) {
            assertTrue(cut.report(subject, observers[i], 0));
        }
        assertArrayEquals(new int[0], cut.stable(0, new int[0]), "below H and at least L: in flux, held back");
        cut.report(subject, observers[high - 1], 0);
        assertArrayEquals(new int[] {subject}, cut.stable(0, new int[0]));
    }

    @Test
    void aReportFromAMemberThatDoesNotObserveTheSubjectCountsForNothing() {
        Configuration c = members(100);
        CutDetector cut = new CutDetector(c, CONFIG);
        int[] observers = c.observersOf(7, CONFIG.observers());
        int stranger = 0;
        while (contains(observers, stranger) || stranger == 7) {
            stranger++;
        }
        assertFalse(cut.report(7, stranger, 0));
        assertEquals(0, cut.reportsAbout(7));
    }

    @Test
    void oneSickObserverCannotRemoveAnyone() {
        Configuration c = members(100);
        CutDetector cut = new CutDetector(c, CONFIG);
        int observer = 3;
        for (int subject : c.subjectsOf(observer, CONFIG.observers())) {
            cut.report(subject, observer, 0);
        }
        assertArrayEquals(new int[0], cut.stable(0, new int[0]));
        assertArrayEquals(new int[0], cut.stable(10 * SECOND, new int[0]));
    }

    @Test
    void aMemberInFluxHoldsBackTheCutUntilItSettlesOrTimesOut() {
        Configuration c = members(100);
        CutDetector cut = new CutDetector(c, CONFIG);
        reportAll(c, cut, 10, 0);
        int[] slow = c.observersOf(20, CONFIG.observers());
        cut.report(20, slow[0], 0);
        cut.report(20, slow[1], 0); // L = 2 reports: in flux
        assertArrayEquals(new int[0], cut.stable(SECOND, new int[0]), "no member is half-reported");
        assertArrayEquals(
                new int[] {10},
                cut.stable(CONFIG.unstableTimeout().toNanos(), new int[0]),
                "past the unstable timeout it no longer holds the cut back");
        for (int i = 2; i < slow.length; i++) {
            cut.report(20, slow[i], SECOND);
        }
        assertArrayEquals(new int[] {10, 20}, cut.stable(SECOND, new int[0]), "both, in one change");
    }

    @Test
    void aWithdrawnReportNoLongerCounts() {
        Configuration c = members(50);
        CutDetector cut = new CutDetector(c, CONFIG);
        reportAll(c, cut, 5, 0);
        assertArrayEquals(new int[] {5}, cut.stable(0, new int[0]));
        for (int o : c.observersOf(5, CONFIG.observers())) {
            cut.withdraw(5, o);
        }
        assertTrue(cut.isEmpty());
        reportAll(c, cut, 6, 0);
        cut.forget(6);
        assertTrue(cut.isEmpty());
    }

    /**
     * Rapid's implicit detection: a cut-off group's members observe each other, and none of them can
     * report; the observers outside report what they can, and observers in flux count for them.
     */
    @Test
    void observersInFluxCountForTheirSubjects() {
        Configuration c = members(60);
        CutDetector cut = new CutDetector(c, CONFIG);
        List<Integer> group = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
        for (int subject : group) {
            for (int o : c.observersOf(subject, CONFIG.observers())) {
                if (!group.contains(o)) {
                    cut.report(subject, o, 0);
                }
            }
        }
        assertArrayEquals(
                group.stream().mapToInt(Integer::intValue).toArray(),
                cut.stable(0, new int[0]),
                "all ten, in one change, though members of the group observe each other");
    }

    @Test
    void aLeavingObserverCountsForItsSubjectsInFlux() {
        Configuration c = members(3);
        CutDetector cut = new CutDetector(c, CONFIG);
        int[] observers = c.observersOf(0, CONFIG.observers());
        assertEquals(2, observers.length, "in 3 members, the other two");
        cut.report(0, observers[0], 0);
        assertArrayEquals(new int[0], cut.stable(0, new int[0]), "H = 2 of 2");
        assertArrayEquals(
                new int[] {0},
                cut.stable(0, new int[] {observers[1]}),
                "the other observer leaves in the same change: its report is implied");
    }

    private static void reportAll(Configuration c, CutDetector cut, int subject, long nowNanos) {
        for (int o : c.observersOf(subject, CONFIG.observers())) {
            cut.report(subject, o, nowNanos);
        }
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }

    @Test
    void theUnstableTimeoutIsWhatTheNextLookWaitsFor() {
        Configuration c = members(40);
        CutDetector cut = new CutDetector(c, CONFIG);
        int[] observers = c.observersOf(3, CONFIG.observers());
        cut.report(3, observers[0], SECOND);
        assertEquals(SECOND + CONFIG.unstableTimeout().toNanos(), cut.nextExpiryNanos(SECOND));
        assertEquals(
                Long.MAX_VALUE,
                cut.nextExpiryNanos(SECOND + Duration.ofMinutes(1).toNanos()));
    }
}
