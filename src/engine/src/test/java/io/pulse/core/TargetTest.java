package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The primitive fields of {@link Target} read back as the objects they replace. */
class TargetTest {

    @Test
    void contactTimesReadBackAsTheClocksInstant() {
        for (long epochNanos : new long[] {0, 1, 1_767_225_600_123_456_789L, -1, -1_000_000_001L}) {
            assertEquals(new ManualClock(0, epochNanos).now(), Target.instant(epochNanos));
        }
        assertNull(Target.instant(Target.NEVER));
    }

    @Test
    void sequencesAreKeptForTheCurrentAndThePreviousRoundOnly() {
        Target target = new Target(NodeId.of("10.0.0.1", 7946), null, 1, 2, 500_000_000L);
        for (long sequence = 1; sequence <= 6; sequence++) { // past the initial capacity
            target.addSequence(sequence);
        }
        List<Long> dropped = new ArrayList<>();
        target.rotateSequences(dropped::add);
        assertEquals(List.of(), dropped);
        target.addSequence(7);

        List<Long> remembered = new ArrayList<>();
        target.forEachSequence(remembered::add);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), remembered);

        target.rotateSequences(dropped::add);
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), dropped);
        remembered.clear();
        target.forEachSequence(remembered::add);
        assertEquals(List.of(7L), remembered);
    }
}
