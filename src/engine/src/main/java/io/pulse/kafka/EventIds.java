package io.pulse.kafka;

import io.pulse.core.ConfigRef;
import io.pulse.events.EventType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Event ids derived from what identifies the event (name-based UUIDs, RFC 4122 version 3), so
 * the same decision published twice, for instance again after a crash, carries the same id and
 * a consumer drops the copy. Two different decisions never share the inputs: they differ in
 * node, states, incarnation or time.
 */
final class EventIds {

    private EventIds() {}

    static UUID of(EventType type, String observer, String nodeId, long incarnation, Instant at, String detail) {
        String name = String.join(
                "|", type.headerValue(), observer, nodeId, Long.toString(incarnation), at.toString(), detail);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Cluster mode: the id of an agreed verdict about a member, whoever publishes it, from (cluster,
     * the agreed configuration the change made, node, state) alone: the change's publisher and its
     * backup publish the same id, and consumers' dedup keeps one.
     */
    static UUID ofVerdict(EventType type, String cluster, ConfigRef change, String nodeId, String state) {
        String name = String.join(
                "|", type.headerValue(), "cluster", cluster == null ? "" : cluster, change.toString(), nodeId, state);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
