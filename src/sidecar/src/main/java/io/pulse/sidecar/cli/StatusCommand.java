package io.pulse.sidecar.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code pulse status}: asks a running sidecar's HTTP API and prints its nodes. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Asks a running sidecar's HTTP API (GET /status) and prints every node it watches.")
final class StatusCommand extends ApiCommand {
    private static final String ROW = "%-24s  %-8s  %-8s  %10s  %8s  %12s  %s%n";

    StatusCommand() {
        super("/status", "a status document");
    }

    @Override
    int print(Map<String, Object> body, PrintWriter out) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> nodes = (List<Map<String, Object>>) body.getOrDefault("nodes", List.of());
        out.println("pulse " + body.get("node") + ": " + nodes.size() + " node(s)");
        out.printf(Locale.ROOT, ROW, "NODE", "STATE", "KIND", "SRTT ms", "LOSS", "OFFSET ms", "LAST CONTACT");
        for (Map<String, Object> node : nodes) {
            out.printf(
                    Locale.ROOT,
                    ROW,
                    node.get("id"),
                    node.get("state"),
                    node.get("kind"),
                    number(node.get("srttMs"), "%.3f"),
                    number(node.get("lossRatio") instanceof Number n ? n.doubleValue() * 100 : null, "%.1f%%"),
                    number(node.get("clockOffsetMs"), "%+.3f"),
                    node.get("lastContact") == null ? "never" : node.get("lastContact"));
        }
        return PulseCommand.OK;
    }

    private static String number(Object value, String format) {
        return value instanceof Number n ? String.format(Locale.ROOT, format, n.doubleValue()) : "-";
    }
}
