package io.pulse.sidecar.dashboard;

import io.pulse.events.FailureMessage;
import io.pulse.events.StatusChange;

/**
 * One event of the timeline: a status change, a failure (with its evidence) or a node's removal.
 * Exactly one of {@code status} and {@code failure} is set, or neither for a removal.
 *
 * @param seq     the model's sequence number, rising by one per event taken
 * @param atMillis when it happened: the change's {@code at}, the failure's {@code detectedAt}, or when
 *                the removal was read
 */
record Entry(long seq, long atMillis, String nodeId, String eventId, StatusChange status, FailureMessage failure) {
    static Entry of(long seq, StatusChange change) {
        return new Entry(
                seq,
                change.getAt().toEpochMilli(),
                change.getNodeId(),
                String.valueOf(change.getEventId()),
                change,
                null);
    }

    static Entry of(long seq, FailureMessage failure) {
        return new Entry(
                seq,
                failure.getDetectedAt().toEpochMilli(),
                failure.getNodeId(),
                String.valueOf(failure.getEventId()),
                null,
                failure);
    }

    static Entry removal(long seq, String nodeId, long atMillis) {
        return new Entry(seq, atMillis, nodeId, null, null, null);
    }

    String kind() {
        return status != null ? "status" : failure != null ? "failure" : "removed";
    }
}
