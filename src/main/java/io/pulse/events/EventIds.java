package io.pulse.events;

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

    private EventIds() {
    }

    static UUID of(EventType type, String observer, String nodeId, long incarnation, Instant at, String detail) {
        String name = String.join("|", type.headerValue(), observer, nodeId, Long.toString(incarnation),
                at.toString(), detail);
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
