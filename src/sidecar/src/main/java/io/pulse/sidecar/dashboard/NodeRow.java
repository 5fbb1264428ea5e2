package io.pulse.sidecar.dashboard;

import io.pulse.events.FailureMessage;
import io.pulse.events.StatusChange;
import java.util.Map;

/**
 * What the page shows of one node: its latest state and where that came from. A FailureMessage
 * newer than the node's latest status change turns it DEAD at once, whichever topic is read first.
 *
 * @param sinceMillis when the node entered {@code state}
 * @param previous    the state before, or null when a failure set it
 * @param reason      the change's reason, or {@code FAILURE} when a failure set it
 * @param labels      the node's labels (cluster mode: {@code node.labels.*}), empty when none
 */
record NodeRow(
        String id,
        String state,
        long sinceMillis,
        String previous,
        String reason,
        String observer,
        long incarnation,
        String declaredBy,
        int confirmations,
        Map<String, String> labels) {
    NodeRow {
        labels = Map.copyOf(labels);
    }

    static NodeRow of(StatusChange change) {
        return new NodeRow(
                change.getNodeId(),
                change.getCurrent().name(),
                change.getAt().toEpochMilli(),
                change.getPrevious().name(),
                change.getReason().name(),
                change.getObserver(),
                change.getIncarnation(),
                change.getDeclaredBy(),
                change.getConfirmations(),
                change.getLabels());
    }

    static NodeRow of(FailureMessage failure) {
        return new NodeRow(
                failure.getNodeId(),
                failure.getState().name(),
                failure.getDetectedAt().toEpochMilli(),
                null,
                "FAILURE",
                failure.getObserver(),
                failure.getIncarnation(),
                failure.getDeclaredBy(),
                failure.getConfirmations(),
                failure.getLabels());
    }
}
