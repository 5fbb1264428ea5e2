package io.pulse.sidecar.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.pulse.events.FailureMessage;
import io.pulse.events.Heartbeat;
import io.pulse.events.StatusChange;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Prints the events a consumer receives: as a table a person reads, or as JSON lines (one object
 * per event, every schema field by name, timestamps in RFC 3339) for a program.
 */
final class EventPrinter {
    private static final String ROW = "%-24s  %-7s  %-22s  %-26s  %-22s  %s%n";
    private static final JsonFactory JSON = new JsonFactory();

    private final PrintWriter out;
    private final boolean json;
    private boolean headerPrinted;

    EventPrinter(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    synchronized void failure(FailureMessage f) {
        if (json) {
            line("failure", f);
            return;
        }
        String evidence = f.getConfigurationEpoch() != null
                ? "cluster verdict: agreed in configuration epoch " + f.getConfigurationEpoch()
                        + (f.getLabels().isEmpty() ? "" : ", labels " + f.getLabels()) + ", "
                : f.getDeclaredBy() != null
                        ? "cluster verdict: declared by " + f.getDeclaredBy() + ", "
                        : "after " + f.getRetryAttempts() + " retries, indirect probes via " + f.getIndirectPeers()
                                + ", ";
        row(
                f.getDetectedAt(),
                "FAILURE",
                f.getNodeId(),
                "declared " + f.getState(),
                f.getObserver(),
                evidence + "last contact " + (f.getLastConnected() == null ? "never" : f.getLastConnected()));
    }

    synchronized void status(StatusChange c) {
        if (json) {
            line("status", c);
            return;
        }
        row(
                c.getAt(),
                "STATUS",
                c.getNodeId(),
                c.getPrevious() + " -> " + c.getCurrent(),
                c.getObserver(),
                c.getReason()
                        + (c.getConfigurationEpoch() != null
                                ? " (agreed, epoch " + c.getConfigurationEpoch()
                                        + (c.getLabels().isEmpty() ? "" : ", labels " + c.getLabels()) + ")"
                                : c.getDeclaredBy() == null || c.getDeclaredBy().equals(c.getNodeId())
                                        ? ""
                                        : " (by " + c.getDeclaredBy() + ")")
                        + (c.getSrttMicros() == null
                                ? ""
                                : String.format(Locale.ROOT, ", srtt %.2f ms", c.getSrttMicros() / 1000.0))
                        + ", " + c.getLostProbes() + "/" + c.getTotalProbes() + " probes lost");
    }

    /** @param at when the removal was published (the tombstone's timestamp) */
    synchronized void removed(String nodeId, Instant at) {
        if (json) {
            write(generator -> {
                generator.writeStringField("event", "removed");
                generator.writeStringField("nodeId", nodeId);
            });
            return;
        }
        row(at, "REMOVED", nodeId, "no longer watched", "", "tombstone on the status topic");
    }

    synchronized void heartbeat(Heartbeat h) {
        if (json) {
            line("heartbeat", h);
            return;
        }
        row(
                h.getSentAt(),
                "BEAT",
                h.getObserver(),
                "alive, watching " + h.getWatchedNodes(),
                h.getObserver(),
                "#" + h.getSequence() + " since " + h.getStartedAt() + ", every " + h.getIntervalMillis() + " ms"
                        + (h.getConfigurationEpoch() == null
                                ? ""
                                : ", configuration epoch " + h.getConfigurationEpoch())
                        + (h.getVersion() == null ? "" : ", version " + h.getVersion()));
    }

    /** @param at when the observer said so (the tombstone's timestamp) */
    synchronized void stopped(String observer, Instant at) {
        if (json) {
            write(generator -> {
                generator.writeStringField("event", "stopped");
                generator.writeStringField("observer", observer);
            });
            return;
        }
        row(at, "STOPPED", observer, "stopped cleanly", observer, "tombstone on the heartbeats topic");
    }

    private void row(Instant at, String event, String node, String change, String observer, String detail) {
        if (!headerPrinted) {
            out.printf(Locale.ROOT, ROW, "TIME", "EVENT", "NODE", "CHANGE", "OBSERVER", "DETAIL");
            headerPrinted = true;
        }
        out.printf(Locale.ROOT, ROW, at, event, node, change, observer, detail);
        out.flush();
    }

    private void line(String event, SpecificRecordBase record) {
        write(generator -> {
            generator.writeStringField("event", event);
            for (Schema.Field field : record.getSchema().getFields()) {
                generator.writeFieldName(field.name());
                value(generator, record.get(field.pos()));
            }
        });
    }

    private interface Body {
        void write(JsonGenerator generator) throws IOException;
    }

    private void write(Body body) {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = JSON.createGenerator(text)) {
            generator.writeStartObject();
            body.write(generator);
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println(text);
        out.flush();
    }

    private static void value(JsonGenerator generator, Object value) throws IOException {
        if (value == null) {
            generator.writeNull();
        } else if (value instanceof Long number) {
            generator.writeNumber(number);
        } else if (value instanceof Integer number) {
            generator.writeNumber(number);
        } else if (value instanceof Double number) {
            generator.writeNumber(number);
        } else if (value instanceof Boolean flag) {
            generator.writeBoolean(flag);
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                value(generator, item);
            }
            generator.writeEndArray();
        } else {
            generator.writeString(value.toString()); // strings, enums, Instant (RFC 3339)
        }
    }
}
