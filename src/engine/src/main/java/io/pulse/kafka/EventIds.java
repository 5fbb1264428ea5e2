package io.pulse.kafka;

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
     * Cluster mode: the id of a verdict about a member, whoever publishes it, from (cluster, node,
     * incarnation, state) alone. Two members that both declare the same crash (views differ for a
     * moment) publish the same id, and consumers' dedup keeps one.
     */
    static UUID ofVerdict(EventType type, String cluster, String nodeId, long incarnation, String state) {
        String name = String.join(
                "|",
                type.headerValue(),
                "cluster",
                cluster == null ? "" : cluster,
                nodeId,
                Long.toString(incarnation),
                state);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
