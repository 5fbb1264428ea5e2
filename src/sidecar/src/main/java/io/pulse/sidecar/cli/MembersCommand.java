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
        out.println("pulse " + body.get("node") + ": " + members.size() + " member(s) " + body.get("counts")
                + (Boolean.TRUE.equals(body.get("joined")) ? "" : ", NOT JOINED: no seed has answered yet"));
        out.printf(Locale.ROOT, ROW, "MEMBER", "STATE", "INCARNATION", "SINCE", "DECLARED BY", "ROLE");
        for (Map<String, Object> member : members) {
            String role = Boolean.TRUE.equals(member.get("self"))
                    ? "self"
                    : String.join(
                                    ",",
                                    (Boolean.TRUE.equals(member.get("watched"))
                                            ? List.of("watched")
                                            : List.<String>of()))
                            + (Boolean.TRUE.equals(member.get("reporter"))
                                    ? (Boolean.TRUE.equals(member.get("watched")) ? "," : "") + "reported"
                                    : "");
            out.printf(
                    Locale.ROOT,
                    ROW,
                    member.get("id"),
                    member.get("state"),
                    member.get("incarnation") instanceof Number n ? String.valueOf(n.longValue()) : "-",
                    member.get("since"),
                    member.get("declaredBy"),
                    role.isEmpty() ? "-" : role);
        }
        return PulseCommand.OK;
    }
}
