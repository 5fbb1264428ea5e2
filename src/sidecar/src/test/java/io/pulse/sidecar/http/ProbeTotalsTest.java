package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-node counts that rise and fall, into totals that only grow. */
class ProbeTotalsTest {
    private static final NodeId A = NodeId.parse("10.0.0.1:7946");
    private static final NodeId B = NodeId.parse("10.0.0.2:7946");

    private final ProbeTotals totals = new ProbeTotals();

    private static NodeStatus node(NodeId id, long total, long lost) {
        return new NodeStatus(
                id,
                Liveness.ALIVE,
                1,
                total,
                lost,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                NodeStatus.ProbeKind.PULSE,
                null,
                0);
    }

    private void assertTotals(long sent, long lost) {
        assertEquals(List.of(sent, lost), List.of(totals.sent(), totals.lost()));
    }

    @Test
    void addsWhatEachNodeSentSinceTheLastUpdate() {
        totals.update(List.of(node(A, 10, 1), node(B, 5, 0)));
        assertTotals(15, 1);
        totals.update(List.of(node(A, 12, 2), node(B, 9, 0)));
        assertTotals(21, 2);
        totals.update(List.of(node(A, 12, 2), node(B, 9, 0)));
        assertTotals(21, 2);
    }

    @Test
    void aRemovedNodeKeepsWhatItSentInTheTotals() {
        totals.update(List.of(node(A, 10, 1), node(B, 5, 2)));
        totals.update(List.of(node(B, 6, 2)));
        assertTotals(16, 3);
        totals.update(List.of(node(A, 3, 0), node(B, 6, 2))); // added again: new counts
        assertTotals(19, 3);
    }

    @Test
    void aResetNodeCountsAgainFromZero() {
        totals.update(List.of(node(A, 10, 4)));
        totals.update(List.of(node(A, 2, 1)));
        assertTotals(12, 5);
        totals.update(List.of(node(A, 5, 1)));
        assertTotals(15, 5);
    }

    @Test
    void aLossTakenBackByALateAckHoldsTheTotalUntilLaterLossesPassIt() {
        totals.update(List.of(node(A, 10, 3)));
        totals.update(List.of(node(A, 11, 2)));
        assertTotals(11, 3);
        totals.update(List.of(node(A, 12, 3)));
        assertTotals(12, 3);
        totals.update(List.of(node(A, 13, 4)));
        assertTotals(13, 4);
    }
}
