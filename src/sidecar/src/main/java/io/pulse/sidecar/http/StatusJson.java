package io.pulse.sidecar.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pulse.core.ClusterStats;
import io.pulse.core.MemberStatus;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The JSON bodies of the API, written with jackson-core's streaming generator. A node:
 * <pre>
 * {"id":"10.0.0.7:7946","state":"ALIVE","kind":"PULSE","incarnation":1767225600000,
 *  "totalProbes":12,"lostProbes":1,"lossRatio":0.0833,"srttMs":0.412,"rttVarianceMs":0.05,
 *  "probeTimeoutMs":100.0,"clockOffsetMs":-0.3,"clockOffsetErrorMs":0.2,
 *  "firstContact":"2026-01-01T00:00:00.123Z","lastContact":"2026-01-01T00:00:11.123Z","lastError":null,"lastRetries":0}
 * </pre>
 * Durations are fractional milliseconds, instants RFC 3339 in UTC, and either is null when absent.
 */
final class StatusJson {
    private static final double NANOS_PER_MS = 1_000_000.0;

    private StatusJson() {}

    /**
     * {@code {"node": local, "localHealthMultiplier": 1, "nodes": [...]}}, the nodes in the order
     * given (the engine's: by id).
     */
    static byte[] all(NodeId local, int localHealthMultiplier, List<NodeStatus> nodes) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("node", local.toString());
            json.writeNumberField("localHealthMultiplier", localHealthMultiplier);
            json.writeArrayFieldStart("nodes");
            for (NodeStatus node : nodes) {
                node(json, node);
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"node": local, "clustered": true, "joined": true, "phase": "MEMBER", "configuration": {"epoch": 7,
     * "id": "..."}, "quorum": true, "undecidedMillis": 0, "counts": {"ALIVE": 3, ...}, "members": [...]}}, each
     * member {@code {"id", "state", "incarnation", "since", "labels", "self", "watched", "rank"}} (rank -1 for one
     * away); outside cluster mode {@code "clustered": false} and no members.
     */
    static byte[] members(NodeId local, ClusterStats stats, List<MemberStatus> members) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("node", local.toString());
            json.writeBooleanField("clustered", stats != null);
            if (stats != null) {
                json.writeBooleanField("joined", stats.joined());
                json.writeStringField("phase", stats.phase());
                json.writeObjectFieldStart("configuration");
                json.writeNumberField("epoch", stats.configuration().epoch());
                json.writeStringField(
                        "id", String.format("%016x", stats.configuration().id()));
                json.writeEndObject();
                json.writeBooleanField("quorum", stats.quorum());
                json.writeNumberField("undecidedMillis", stats.undecidedMillis());
                json.writeObjectFieldStart("counts");
                json.writeNumberField("ALIVE", stats.alive());
                json.writeNumberField("FLAPPING", stats.flapping());
                json.writeNumberField("DEAD", stats.dead());
                json.writeNumberField("LEFT", stats.left());
                json.writeEndObject();
            }
            json.writeArrayFieldStart("members");
            for (MemberStatus member : members) {
                json.writeStartObject();
                json.writeStringField("id", member.id().toString());
                json.writeStringField("state", member.state().name());
                json.writeNumberField("incarnation", member.incarnation());
                instant(json, "since", member.since());
                json.writeObjectFieldStart("labels");
                for (var label : member.labels().asMap().entrySet()) {
                    json.writeStringField(label.getKey(), label.getValue());
                }
                json.writeEndObject();
                json.writeBooleanField("self", member.self());
                json.writeBooleanField("watched", member.watched());
                json.writeNumberField("rank", member.rank());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        });
    }

    /**
     * {@code {"node": local, "authenticating": true, "mode": "REQUIRED", "label": "...", "keys": [1, 2],
     * "primary": 2, "authenticated": n, "unauthenticatedAccepted": n}}: what a rotation step changed,
     * never a key; without a keyring {@code "authenticating": false} and nothing else.
     */
    static byte[] keys(NodeId local, io.pulse.protocol.DatagramAuth auth) {
        return Json.write(json -> {
            json.writeStartObject();
            json.writeStringField("node", local.toString());
            json.writeBooleanField("authenticating", auth != null);
            if (auth != null) {
                io.pulse.protocol.Keyring keyring = auth.keyring();
                json.writeStringField("mode", auth.mode().name());
                json.writeStringField("label", keyring.label());
                json.writeArrayFieldStart("keys");
                for (int id : keyring.ids()) {
                    json.writeNumber(id);
                }
                json.writeEndArray();
                json.writeNumberField("primary", keyring.primary());
                json.writeNumberField("authenticated", auth.authenticated());
                json.writeNumberField("unauthenticatedAccepted", auth.unauthenticatedAccepted());
            }
            json.writeEndObject();
        });
    }

    static byte[] one(NodeStatus node) {
        return Json.write(json -> node(json, node));
    }

    /** {@code {"error": message}}. */
    private static void node(JsonGenerator json, NodeStatus node) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", node.node().toString());
        json.writeStringField("state", node.state().name());
        json.writeStringField("kind", node.kind().name());
        json.writeNumberField("incarnation", node.incarnation());
        json.writeNumberField("totalProbes", node.totalProbes());
        json.writeNumberField("lostProbes", node.lostProbes());
        json.writeNumberField("lossRatio", node.lossRatio());
        millis(json, "srttMs", node.srtt());
        millis(json, "rttVarianceMs", node.rttVariance());
        millis(json, "probeTimeoutMs", node.probeTimeout());
        millis(json, "clockOffsetMs", node.clockOffset());
        millis(json, "clockOffsetErrorMs", node.clockOffsetError());
        instant(json, "firstContact", node.firstContact());
        instant(json, "lastContact", node.lastContact());
        json.writeStringField("lastError", node.lastError());
        json.writeNumberField("lastRetries", node.lastRetries());
        json.writeEndObject();
    }

    private static void millis(JsonGenerator json, String field, Duration value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value.toNanos() / NANOS_PER_MS);
        }
    }

    /** {@link Instant#toString()} is RFC 3339 in UTC ({@code Z}), with as many fraction digits as it needs. */
    private static void instant(JsonGenerator json, String field, Instant value) throws IOException {
        json.writeStringField(field, value == null ? null : value.toString());
    }
}
