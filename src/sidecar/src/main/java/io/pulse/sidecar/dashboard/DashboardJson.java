package io.pulse.sidecar.dashboard;

import com.fasterxml.jackson.core.JsonGenerator;
import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.StatusChange;
import io.pulse.sidecar.http.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JSON the page reads: a snapshot, a batch of changes, a node's history. Times are epoch
 * milliseconds; absent values are null. Written with jackson-core's generator, so every string is
 * escaped (a node id or a sample of a bad record cannot break the page).
 */
final class DashboardJson {
    /** The dashboard's link to Kafka, its bad records and its history, for the page's status bar. */
    record Link(
            Connection connection,
            long undecodable,
            String undecodableSample,
            int historySize,
            HistoryLimits limits,
            Collection<Heartbeat> heartbeats,
            long nowMillis) {}

    private DashboardJson() {}

    static byte[] snapshot(
            long seq,
            long now,
            Collection<NodeRow> nodes,
            Map<String, Integer> counts,
            List<Entry> recent,
            Histogram histogram,
            Link link) {
        return write(json -> {
            head(json, "snapshot", seq, now, nodes, counts, recent);
            json.writeObjectFieldStart("histogram");
            json.writeNumberField("start", histogram.startMillis());
            json.writeNumberField("bucketMillis", histogram.bucketMillis());
            json.writeNumberField("buckets", histogram.buckets());
            json.writeObjectFieldStart("kinds");
            for (Map.Entry<String, long[]> kind : histogram.perKind().entrySet()) {
                json.writeFieldName(kind.getKey());
                json.writeArray(kind.getValue(), 0, kind.getValue().length);
            }
            json.writeEndObject();
            json.writeEndObject();
            link(json, link);
        });
    }

    static byte[] batch(
            long seq,
            long now,
            List<NodeRow> changed,
            List<String> removed,
            Map<String, Integer> counts,
            List<Entry> events,
            Link link) {
        return write(json -> {
            head(json, "batch", seq, now, changed, counts, events);
            json.writeArrayFieldStart("removed");
            for (String id : removed) {
                json.writeString(id);
            }
            json.writeEndArray();
            link(json, link);
        });
    }

    /** Too much changed for one batch: the page fetches a new snapshot. */
    static byte[] resync(long seq) {
        return write(json -> {
            json.writeStringField("type", "resync");
            json.writeNumberField("seq", seq);
        });
    }

    static byte[] node(String nodeId, NodeRow row, List<Entry> events, Entry failure) {
        return write(json -> {
            json.writeStringField("id", nodeId);
            json.writeFieldName("node");
            if (row == null) {
                json.writeNull();
            } else {
                row(json, row);
            }
            events(json, "events", events);
            json.writeFieldName("failure");
            if (failure == null) {
                json.writeNull();
            } else {
                entry(json, failure);
            }
        });
    }

    /** What a snapshot and a batch both start with. */
    private static void head(
            JsonGenerator json,
            String type,
            long seq,
            long now,
            Collection<NodeRow> rows,
            Map<String, Integer> counts,
            List<Entry> events)
            throws IOException {
        json.writeStringField("type", type);
        json.writeNumberField("seq", seq);
        json.writeNumberField("now", now);
        json.writeArrayFieldStart("nodes");
        for (NodeRow row : rows) {
            row(json, row);
        }
        json.writeEndArray();
        counts(json, counts);
        events(json, "events", events);
    }

    private static void row(JsonGenerator json, NodeRow row) throws IOException {
        json.writeStartObject();
        json.writeStringField("id", row.id());
        json.writeStringField("state", row.state());
        json.writeNumberField("since", row.sinceMillis());
        json.writeStringField("previous", row.previous());
        json.writeStringField("reason", row.reason());
        json.writeStringField("observer", row.observer());
        json.writeNumberField("incarnation", row.incarnation());
        json.writeStringField("declaredBy", row.declaredBy());
        json.writeNumberField("confirmations", row.confirmations());
        json.writeObjectFieldStart("labels");
        for (Map.Entry<String, String> label : new java.util.TreeMap<>(row.labels()).entrySet()) {
            json.writeStringField(label.getKey(), label.getValue());
        }
        json.writeEndObject();
        json.writeEndObject();
    }

    private static void counts(JsonGenerator json, Map<String, Integer> counts) throws IOException {
        json.writeObjectFieldStart("counts");
        for (Map.Entry<String, Integer> count : counts.entrySet()) {
            json.writeNumberField(count.getKey(), count.getValue());
        }
        json.writeEndObject();
    }

    private static void events(JsonGenerator json, String field, List<Entry> events) throws IOException {
        json.writeArrayFieldStart(field);
        for (Entry entry : events) {
            entry(json, entry);
        }
        json.writeEndArray();
    }

    private static void entry(JsonGenerator json, Entry entry) throws IOException {
        json.writeStartObject();
        json.writeNumberField("seq", entry.seq());
        json.writeStringField("kind", entry.kind());
        json.writeNumberField("at", entry.atMillis());
        json.writeStringField("node", entry.nodeId());
        json.writeStringField("eventId", entry.eventId());
        StatusChange status = entry.status();
        if (status != null) {
            json.writeStringField("from", status.getPrevious().name());
            json.writeStringField("to", status.getCurrent().name());
            json.writeStringField("reason", status.getReason().name());
            json.writeStringField("observer", status.getObserver());
            json.writeNumberField("incarnation", status.getIncarnation());
            json.writeStringField("declaredBy", status.getDeclaredBy());
            json.writeNumberField("confirmations", status.getConfirmations());
            nullableNumber(json, "srttMicros", status.getSrttMicros());
            nullableNumber(json, "clockOffsetMicros", status.getClockOffsetMicros());
            json.writeNumberField("totalProbes", status.getTotalProbes());
            json.writeNumberField("lostProbes", status.getLostProbes());
        }
        FailureMessage failure = entry.failure();
        if (failure != null) {
            json.writeStringField("to", failure.getState().name());
            json.writeStringField("observer", failure.getObserver());
            json.writeStringField("cluster", failure.getCluster());
            json.writeNumberField("incarnation", failure.getIncarnation());
            json.writeStringField("declaredBy", failure.getDeclaredBy());
            json.writeNumberField("confirmations", failure.getConfirmations());
            json.writeNumberField("retries", failure.getRetryAttempts());
            json.writeArrayFieldStart("indirectPeers");
            for (String peer : failure.getIndirectPeers()) {
                json.writeString(peer);
            }
            json.writeEndArray();
            nullableTime(json, "firstContact", failure.getInitialConnect());
            nullableTime(json, "lastContact", failure.getLastConnected());
            nullableNumber(json, "srttMicros", failure.getSrttMicros());
            nullableNumber(json, "clockOffsetMicros", failure.getClockOffsetMicros());
            json.writeNumberField("totalProbes", failure.getTotalProbes());
            json.writeNumberField("lostProbes", failure.getLostProbes());
        }
        json.writeEndObject();
    }

    private static void link(JsonGenerator json, Link link) throws IOException {
        Connection c = link.connection();
        json.writeObjectFieldStart("connection");
        json.writeStringField("kafka", c.kafka());
        json.writeNumberField("since", c.sinceMillis());
        json.writeStringField("error", c.error());
        nullableNumber(json, "lag", c.lag() < 0 ? null : c.lag());
        nullableNumber(json, "lastRecordAt", c.lastRecordMillis() < 0 ? null : c.lastRecordMillis());
        nullableNumber(json, "lastEventAt", c.lastEventMillis() < 0 ? null : c.lastEventMillis());
        json.writeNumberField("undecodable", link.undecodable());
        json.writeStringField("undecodableSample", link.undecodableSample());
        json.writeNumberField("historyEvents", link.historySize());
        json.writeNumberField("historyMaxEvents", link.limits().maxEvents());
        json.writeNumberField("windowMillis", link.limits().window().toMillis());
        json.writeEndObject();
        pulse(json, link.heartbeats(), link.nowMillis());
    }

    /** Is Pulse watching: {@code live}, {@code silent} or {@code none}, and each observer's latest heartbeat. */
    private static void pulse(JsonGenerator json, Collection<Heartbeat> heartbeats, long now) throws IOException {
        json.writeObjectFieldStart("pulse");
        json.writeStringField("state", Observers.state(heartbeats, now));
        json.writeArrayFieldStart("observers");
        for (Heartbeat h : heartbeats) {
            json.writeStartObject();
            json.writeStringField("observer", h.getObserver());
            json.writeNumberField("sentAt", h.getSentAt().toEpochMilli());
            json.writeNumberField("ageMillis", Math.max(0, now - h.getSentAt().toEpochMilli()));
            json.writeBooleanField("silent", Observers.silent(h, now));
            json.writeNumberField("intervalMillis", h.getIntervalMillis());
            json.writeNumberField("watchedNodes", h.getWatchedNodes());
            nullableNumber(json, "configurationEpoch", h.getConfigurationEpoch());
            json.writeStringField("version", h.getVersion());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    private static void nullableNumber(JsonGenerator json, String field, Long value) throws IOException {
        if (value == null) {
            json.writeNullField(field);
        } else {
            json.writeNumberField(field, value);
        }
    }

    private static void nullableTime(JsonGenerator json, String field, Instant value) throws IOException {
        nullableNumber(json, field, value == null ? null : value.toEpochMilli());
    }

    /** One JSON object: {@code body} writes its fields. */
    private static byte[] write(Json.Body body) {
        return Json.write(json -> {
            json.writeStartObject();
            body.writeTo(json);
            json.writeEndObject();
        });
    }
}
