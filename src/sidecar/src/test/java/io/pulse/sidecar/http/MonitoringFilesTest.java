package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.kafka.PublisherStats;
import io.pulse.transport.PulseEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Grafana dashboard and the Prometheus alert rules of src/sidecar/src/main/monitoring/ parse, and use only
 * metric names and label values that a real scrape serves: a renamed metric or label value breaks
 * the build, not an operator's dashboard.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringFilesTest {
    static final Path DASHBOARD = Path.of("src/sidecar/src/main/monitoring/grafana-dashboard.json");
    static final Path ALERTS = Path.of("src/sidecar/src/main/monitoring/prometheus-alerts.yml");
    /** Metric names in PromQL: Pulse's own, and Micrometer's JVM and process meters. */
    private static final Pattern METRIC = Pattern.compile("\\b(?:pulse|jvm|process|system)_[a-z0-9_]+\\b");
    /** Label matchers: {@code state="DEAD"}, {@code reason=~"BAD_MAC|STALE"}. */
    private static final Pattern MATCHER = Pattern.compile("\\b([a-z_]+)\\s*=~?\\s*\"([^\"]*)\"");
    /** Labels that Prometheus adds or Grafana fills in, not the sidecar. */
    private static final Set<String> TARGET_LABELS = Set.of("instance", "job");

    /** Sample names served, e.g. {@code pulse_rtt_seconds_bucket}. */
    private final Set<String> names = new TreeSet<>();
    /** Label pairs served, e.g. {@code reason="BAD_MAC"}. */
    private final Set<String> labels = new TreeSet<>();

    /** One scrape of an engine with a TCP target, a publisher and a token-guarded API: every meter there is (keyring ones aside). */
    @BeforeAll
    void scrape() {
        PulseMetrics metrics = PulseMetrics.create();
        PublisherStats stats = new PublisherStats(1, 1, 0, 0, 0, 0, 0, 1 << 20, 0, 0, 1, 0);
        try (PulseEngine engine = PulseEngine.builder()
                        .bind(new InetSocketAddress("127.0.0.1", 0))
                        .probing(false)
                        .start();
                ApiServer ignored = ApiServer.start(
                        new InetSocketAddress("127.0.0.1", 0),
                        engine,
                        () -> stats,
                        metrics,
                        ApiLimits.defaults().withToken("monitoring-files-test"))) {
            engine.addTcpTarget(
                    io.pulse.transport.probe.TcpProbeSpec.of("127.0.0.1:1"), io.pulse.core.TargetOptions.defaults());
            metrics.publishLatency().accept(java.time.Duration.ofMillis(20));
            Pattern label = Pattern.compile("([a-z_]+)=\"([^\"]*)\"");
            for (String line : metrics.scrape().split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                Matcher name = Pattern.compile("^[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(line);
                assertTrue(name.find(), line);
                names.add(name.group());
                Matcher pair = label.matcher(line);
                while (pair.find()) {
                    labels.add(pair.group(1) + "=\"" + pair.group(2) + "\"");
                }
            }
        }
    }

    @Test
    void theDashboardParsesAndEveryPanelQueriesServedMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        assertEquals("Pulse sidecar", dashboard.get("title").asText());
        assertEquals("pulse-sidecar", dashboard.get("uid").asText());
        Set<Integer> ids = new HashSet<>();
        int queried = 0;
        for (JsonNode panel : dashboard.get("panels")) {
            assertTrue(ids.add(panel.get("id").asInt()), "panel ids are unique: " + panel.get("id"));
            if (panel.get("type").asText().equals("row")) {
                continue;
            }
            String title = panel.get("title").asText();
            assertFalse(panel.get("targets").isEmpty(), title);
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.get("targets")) {
                assertTrue(refIds.add(target.get("refId").asText()), title + ": refIds are unique");
                assertFalse(target.get("expr").asText().isBlank(), title);
                queried++;
            }
        }
        assertTrue(queried >= 20, "queries: " + queried);
        List<String> expressions = new ArrayList<>();
        dashboard.findValues("expr").forEach(node -> expressions.add(node.asText()));
        dashboard.findValues("definition").forEach(node -> expressions.add(node.asText()));
        assertServed(expressions);
    }

    @Test
    void theAlertRulesParseAndUseServedMetrics() throws IOException {
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(ALERTS));
        List<String> alerts = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        String runbooks = Files.readString(Path.of("docs/runbooks.md"));
        for (Object group : (List<?>) file.get("groups")) {
            for (Object item : (List<?>) ((Map<?, ?>) group).get("rules")) {
                Map<?, ?> rule = (Map<?, ?>) item;
                String alert = (String) rule.get("alert");
                alerts.add(alert);
                expressions.add((String) rule.get("expr"));
                assertTrue(Set.of("page", "warning").contains(((Map<?, ?>) rule.get("labels")).get("severity")), alert);
                Map<?, ?> annotations = (Map<?, ?>) rule.get("annotations");
                assertTrue(annotations.get("summary") instanceof String, alert + ": a summary");
                assertTrue(annotations.get("description") instanceof String, alert + ": a description");
                assertEquals(
                        "docs/runbooks.md#" + alert.toLowerCase(java.util.Locale.ROOT), annotations.get("runbook"));
                assertTrue(runbooks.contains("\n## " + alert + "\n"), alert + ": a section in docs/runbooks.md");
            }
        }
        assertEquals(
                List.of(
                        "PulseDown",
                        "PulseHeartbeatStale",
                        "PulseNodeDead",
                        "PulseClusterMemberDead",
                        "PulseClusterNotJoined",
                        "PulseClusterNoMajority",
                        "PulseUnauthenticated",
                        "PulseDatagramsRejectedAuthentication",
                        "PulseAnswersLimited",
                        "PulseOutboxGrowing",
                        "PulsePublishSlow",
                        "PulseOutboxNearlyFull",
                        "PulseEventsDropped",
                        "PulseEventsPoisoned",
                        "PulseOutboxCorrupted",
                        "PulseLocalHealthDegraded"),
                alerts);
        assertServed(expressions);
    }

    /** Every metric name and every label value (each alternative of a regex) in {@code expressions} is served. */
    private void assertServed(List<String> expressions) {
        assertFalse(expressions.isEmpty());
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            boolean any = false;
            while (metric.find()) {
                any = true;
                assertTrue(
                        names.contains(metric.group()),
                        metric.group() + " in `" + expression + "` is not served; served: " + names);
            }
            assertTrue(any, "no metric in `" + expression + "`");
            Matcher matcher = MATCHER.matcher(expression);
            while (matcher.find()) {
                if (TARGET_LABELS.contains(matcher.group(1))) {
                    continue;
                }
                for (String value : matcher.group(2).split("\\|")) {
                    String pair = matcher.group(1) + "=\"" + value + "\"";
                    assertTrue(labels.contains(pair), pair + " in `" + expression + "` is not served");
                }
            }
        }
    }
}
