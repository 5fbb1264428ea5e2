package io.pulse.sidecar.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;

/** {@code pulse members}: asks a running cluster member's HTTP API and prints the group as it sees it. */
@Command(
        name = "members",
        mixinStandardHelpOptions = true,
        description = "Asks a running sidecar's HTTP API (GET /members) and prints the cluster as that member sees it.")
final class MembersCommand extends ApiCommand {
    private static final String ROW = "%-24s  %-8s  %15s  %-24s  %-24s  %s%n";

    MembersCommand() {
        super("/members", "a members document");
    }

    @Override
    int print(Map<String, Object> body, PrintWriter out) {
        if (!Boolean.TRUE.equals(body.get("clustered"))) {
            parent.err().println("pulse: " + body.get("node") + " is not in cluster mode (cluster.enabled is false)");
            parent.err().flush();
            return PulseCommand.FAILED;
        }
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> members = (List<Map<String, Object>>) body.getOrDefault("members", List.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> configuration = (Map<String, Object>) body.getOrDefault("configuration", Map.of());
        String state = !Boolean.TRUE.equals(body.get("joined"))
                ? ", NOT IN: " + body.get("phase") + " (no configuration holds it yet)"
                : !Boolean.TRUE.equals(body.get("quorum"))
                        ? ", NO MAJORITY: a change has waited " + body.get("undecidedMillis")
                                + " ms; this side decides nothing"
                        : "";
        out.println("pulse " + body.get("node") + ": configuration " + configuration.get("epoch") + "/"
                + configuration.get("id") + ", " + body.get("counts") + state);
        out.printf(Locale.ROOT, ROW, "MEMBER", "STATE", "INCARNATION", "SINCE", "LABELS", "ROLE");
        for (Map<String, Object> member : members) {
            List<String> roles = new java.util.ArrayList<>();
            if (Boolean.TRUE.equals(member.get("self"))) {
                roles.add("self");
            }
            if (Boolean.TRUE.equals(member.get("watched"))) {
                roles.add("watched");
            }
            if (member.get("rank") instanceof Number rank && rank.intValue() == 0) {
                roles.add("coordinator");
            }
            out.printf(
                    Locale.ROOT,
                    ROW,
                    member.get("id"),
                    member.get("state"),
                    member.get("incarnation") instanceof Number n ? String.valueOf(n.longValue()) : "-",
                    member.get("since") == null ? "-" : member.get("since"),
                    member.get("labels") instanceof Map<?, ?> labels && !labels.isEmpty() ? labels : "-",
                    roles.isEmpty() ? "-" : String.join(",", roles));
        }
        return PulseCommand.OK;
    }
}
