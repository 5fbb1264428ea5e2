package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agreed configuration: what every member derives alike from it, and what a change makes of it. */
class ConfigurationTest {
    static final long HOLD_DOWN = 600_000;
    static final long FORGET = 3_600_000;

    private static Proposal change(long at, int[] down, int[] left, List<MemberInfo> joined) {
        return new Proposal(at, down, left, joined, List.of());
    }

    @Test
    void ringsAreMutualAndEveryoneHasObservers() {
        for (int n : new int[] {2, 3, 5, 10, 200}) {
            Configuration c = CutDetectorTest.members(n);
            for (int s = 0; s < n; s++) {
                int[] observers = c.observersOf(s, 8);
                assertTrue(observers.length >= 1 && observers.length <= Math.min(8, n - 1), n + " members");
                for (int o : observers) {
                    assertTrue(contains(c.subjectsOf(o, 8), s), o + " observes " + s + " in " + n + " members");
                    assertNotEquals(s, o);
                }
            }
        }
        assertEquals(
                0,
                Configuration.founding(new MemberInfo(CutDetectorTest.address(1), 1, Labels.NONE))
                        .observersOf(0, 8)
                        .length);
    }

    @Test
    void theIdCoversEveryField() {
        MemberInfo a = new MemberInfo(CutDetectorTest.address(1), 1, Labels.NONE);
        Configuration base = Configuration.of(3, List.of(a), List.of());
        assertEquals(base.id(), Configuration.of(3, List.of(a), List.of()).id());
        assertNotEquals(base.id(), Configuration.of(4, List.of(a), List.of()).id());
        assertNotEquals(
                base.id(),
                Configuration.of(3, List.of(new MemberInfo(a.address(), 2, Labels.NONE)), List.of())
                        .id());
        assertNotEquals(
                base.id(),
                Configuration.of(3, List.of(new MemberInfo(a.address(), 1, Labels.of(Map.of("zone", "a")))), List.of())
                        .id());
        assertNotEquals(
                base.id(),
                Configuration.of(
                                3,
                                List.of(a),
                                List.of(new Standing(CutDetectorTest.address(2), 1, Liveness.LEFT, 0, 0, 0)))
                        .id());
    }

    @Test
    void aChangeMakesTheNextEpochWithAVerdictPerMember() {
        Configuration c = CutDetectorTest.members(5);
        MemberInfo joiner = new MemberInfo(CutDetectorTest.address(9), 7, Labels.of(Map.of("service", "billing")));
        Decision d = c.apply(change(1000, new int[] {1}, new int[] {2}, List.of(joiner)), HOLD_DOWN, FORGET);
        assertEquals(c.epoch() + 1, d.after().epoch());
        assertEquals(4, d.after().size());
        assertEquals(
                List.of(
                        new Verdict(c.member(1), Liveness.ALIVE, Liveness.DEAD, Verdict.Reason.UNREACHABLE),
                        new Verdict(c.member(2), Liveness.ALIVE, Liveness.LEFT, Verdict.Reason.LEFT),
                        new Verdict(joiner, Liveness.PENDING, Liveness.ALIVE, Verdict.Reason.JOINED)),
                d.verdicts());
        assertEquals(Liveness.DEAD, d.after().standing(c.member(1).address()).state());
        assertEquals(Liveness.LEFT, d.after().standing(c.member(2).address()).state());
        assertSame(
                d,
                c.apply(change(1000, new int[] {1}, new int[] {2}, List.of(joiner)), HOLD_DOWN, FORGET),
                "members holding the configuration share the result of the same change");
    }

    @Test
    void returnsAreReturnsAndASecondFailureWithinTheHoldDownFlaps() {
        Configuration c = CutDetectorTest.members(4);
        MemberInfo m = c.member(3);
        Configuration gone = c.apply(change(1000, new int[] {3}, new int[0], List.of()), HOLD_DOWN, FORGET)
                .after();
        Decision back = gone.apply(change(2000, new int[0], new int[0], List.of(m)), HOLD_DOWN, FORGET);
        assertEquals(List.of(new Verdict(m, Liveness.DEAD, Liveness.ALIVE, Verdict.Reason.RECOVERED)), back.verdicts());
        int index = back.after().indexOf(m.address());
        Decision again = back.after().apply(change(3000, new int[] {index}, new int[0], List.of()), HOLD_DOWN, FORGET);
        assertEquals(
                List.of(new Verdict(m, Liveness.ALIVE, Liveness.FLAPPING, Verdict.Reason.FLAPPING)),
                again.verdicts(),
                "no second page");
        Decision returns = again.after().apply(change(4000, new int[0], new int[0], List.of(m)), HOLD_DOWN, FORGET);
        assertEquals(List.of(), returns.verdicts(), "back while flapping: nothing to tell");
        assertEquals(List.of(m.address()), returns.after().settledBy(3000 + HOLD_DOWN, HOLD_DOWN));
        Decision settled = returns.after()
                .apply(
                        new Proposal(3000 + HOLD_DOWN, new int[0], new int[0], List.of(), List.of(m.address())),
                        HOLD_DOWN,
                        FORGET);
        assertEquals(
                List.of(new Verdict(m, Liveness.FLAPPING, Liveness.ALIVE, Verdict.Reason.STABLE)), settled.verdicts());
        assertNull(settled.after().standing(m.address()));
    }

    @Test
    void aFailureOutsideTheHoldDownIsANewFailure() {
        Configuration c = CutDetectorTest.members(4);
        MemberInfo m = c.member(0);
        Configuration gone = c.apply(change(1000, new int[] {0}, new int[0], List.of()), HOLD_DOWN, FORGET)
                .after();
        Configuration back = gone.apply(change(2000, new int[0], new int[0], List.of(m)), HOLD_DOWN, FORGET)
                .after();
        Decision later = back.apply(
                change(2000 + HOLD_DOWN + 1001, new int[] {back.indexOf(m.address())}, new int[0], List.of()),
                HOLD_DOWN,
                FORGET);
        assertEquals(Verdict.Reason.UNREACHABLE, later.verdicts().get(0).reason());
    }

    @Test
    void aRestartInPlaceIsOneVerdictAndANewIncarnation() {
        Configuration c = CutDetectorTest.members(3);
        MemberInfo again = new MemberInfo(c.member(1).address(), 99, Labels.NONE);
        Decision d = c.apply(change(1, new int[0], new int[0], List.of(again)), HOLD_DOWN, FORGET);
        assertEquals(
                List.of(new Verdict(again, Liveness.ALIVE, Liveness.ALIVE, Verdict.Reason.RESTARTED)), d.verdicts());
        assertEquals(99, d.after().member(d.after().indexOf(again.address())).incarnation());
    }

    @Test
    void standingsAreForgottenAfterAWhile() {
        Configuration c = CutDetectorTest.members(3);
        Configuration gone = c.apply(change(0, new int[0], new int[] {2}, List.of()), HOLD_DOWN, FORGET)
                .after();
        assertEquals(1, gone.standings().size());
        Configuration later = gone.apply(
                        change(
                                FORGET + 1,
                                new int[0],
                                new int[0],
                                List.of(new MemberInfo(CutDetectorTest.address(50), 1, Labels.NONE))),
                        HOLD_DOWN,
                        FORGET)
                .after();
        assertTrue(later.standings().isEmpty());
    }

    @Test
    void publishersAreMembersOfBothConfigurations() {
        Configuration c = Configuration.founding(new MemberInfo(CutDetectorTest.address(0), 1, Labels.NONE));
        List<MemberInfo> joiners = new ArrayList<>();
        for (int i = 1; i < 30; i++) {
            joiners.add(new MemberInfo(CutDetectorTest.address(i), 1, Labels.NONE));
        }
        Decision d = c.apply(change(1, new int[0], new int[0], joiners), HOLD_DOWN, FORGET);
        int[] publishers = d.after().publishers(c);
        assertArrayEquals(
                new int[] {d.after().indexOf(CutDetectorTest.address(0))},
                publishers,
                "the founder alone held the configuration the change applied to");
        Configuration next = d.after();
        Decision crash = next.apply(change(2, new int[] {5}, new int[0], List.of()), HOLD_DOWN, FORGET);
        assertEquals(2, crash.after().publishers(next).length, "a publisher and its backup");
    }

    @Test
    void aChangeThatEmptiesTheConfigurationIsRefused() {
        Configuration c = CutDetectorTest.members(2);
        assertThrows(
                IllegalArgumentException.class,
                () -> c.apply(change(1, new int[] {0, 1}, new int[0], List.of()), HOLD_DOWN, FORGET));
        assertThrows(
                IllegalArgumentException.class,
                () -> c.apply(change(1, new int[] {5}, new int[0], List.of()), HOLD_DOWN, FORGET));
    }

    @Test
    void pagesCoverEveryEntryOnce() {
        Configuration c = CutDetectorTest.members(1000);
        int[] starts = c.pageStarts(WireSizes.PAGE_ENTRIES);
        assertEquals(0, starts[0]);
        for (int i = 1; i < starts.length; i++) {
            assertTrue(starts[i] > starts[i - 1]);
        }
        assertTrue(starts.length >= 1000 * 15 / WireSizes.PAGE_ENTRIES, starts.length + " pages");
        assertFalse(starts[starts.length - 1] >= 1000);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
