package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.events.ChangeReason;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What {@code pulse tail} prints for an agreed change: its epoch and the member's labels. */
class EventPrinterTest {
    @Test
    void anAgreedChangeNamesItsEpochAndTheMembersLabels() {
        StringWriter text = new StringWriter();
        EventPrinter printer = new EventPrinter(new PrintWriter(text), false);
        printer.status(StatusChange.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("10.0.0.9:7946")
                .setNodeId("10.0.0.7:7946")
                .setPrevious(NodeState.ALIVE)
                .setCurrent(NodeState.DEAD)
                .setIncarnation(1)
                .setAt(Instant.parse("2026-12-04T12:00:00Z"))
                .setTotalProbes(3)
                .setLostProbes(3)
                .setReason(ChangeReason.UNREACHABLE)
                .setConfigurationEpoch(4L)
                .setLabels(Map.of("service", "billing"))
                .build());
        assertTrue(
                text.toString().contains("UNREACHABLE (agreed, epoch 4, labels {service=billing}), 3/3 probes lost"),
                text.toString());
    }
}
