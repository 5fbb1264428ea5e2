package io.pulse.sidecar.dashboard;

import io.pulse.consumer.TestEvents;
import io.pulse.events.ChangeReason;
import io.pulse.events.FailureMessage;
import io.pulse.events.NodeState;
import io.pulse.events.StatusChange;
import io.pulse.testkit.Machine;
import io.pulse.testkit.TestBroker;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page under load, measured in the browser (Performance API): a real broker, 10,000 nodes on
 * the status topic, then a storm of 1,000 transitions a second for 10 s. Prints first paint (the
 * page's first render with all nodes, and first-contentful-paint) over 5 loads, and the gaps
 * between animation frames during the storm. Not a test: run it by hand (docs/benchmarks.md).
 *
 * <pre>
 * mvn -B -q -Pbench test-compile exec:exec -Dbench.main=io.pulse.sidecar.dashboard.DashboardBenchmark -Dbench.args=
 * </pre>
 */
public final class DashboardBenchmark {
    static final int NODES = 10_000;
    static final int RATE = 1_000;
    static final Duration STORM = Duration.ofSeconds(10);
    static final int LOADS = 5;

    public static void main(String[] args) throws Exception {
        if (!Browser.available()) {
            System.err.println(Browser.MISSING);
            System.exit(2);
        }
        TestBroker broker = TestBroker.inJvm(Map.of());
        broker.start();
        try (TestEvents events = new TestEvents(broker.bootstrapServers(), "bench", 3)) {
            Random random = new Random(7);
            Instant start = Instant.now().minusSeconds(600);
            for (int i = 0; i < NODES; i++) {
                events.send(change(
                        node(i), NodeState.PENDING, NodeState.ALIVE, start.plusMillis(i), ChangeReason.FIRST_CONTACT));
            }
            events.flush();
            Properties consumer = new Properties();
            consumer.put("bootstrap.servers", broker.bootstrapServers());
            try (Dashboard dashboard = Dashboard.start(
                            consumer, "bench", new InetSocketAddress("127.0.0.1", 0), HistoryLimits.defaults());
                    Browser browser = Browser.start()) {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (dashboard.model().counts().getOrDefault("ALIVE", 0) < NODES && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                WebDriver page = browser.driver();
                JavascriptExecutor js = (JavascriptExecutor) page;
                List<Double> firstRender = new ArrayList<>();
                List<Double> firstPaint = new ArrayList<>();
                for (int load = 0; load < LOADS; load++) {
                    page.get(dashboard.url().toString());
                    new WebDriverWait(page, Duration.ofSeconds(30))
                            .until(d -> ((JavascriptExecutor) d)
                                                    .executeScript(
                                                            "return performance.getEntriesByName('pulse-first-render').length")
                                            instanceof Long n
                                    && n > 0);
                    firstRender.add(number(js.executeScript(
                            "return performance.getEntriesByName('pulse-first-render')[0].startTime")));
                    firstPaint.add(
                            number(js.executeScript("const p = performance.getEntriesByName('first-contentful-paint');"
                                    + " return p.length ? p[0].startTime : -1")));
                }
                String shown = page.findElement(By.id("shown")).getText();

                js.executeScript("window.pulseFrames = []; window.pulseRenderMs = []; window.pulseMessageMs = []");
                long stormStart = System.nanoTime();
                int sent = 0;
                NodeState[] states = new NodeState[NODES];
                Arrays.fill(states, NodeState.ALIVE);
                for (int tick = 0; tick < STORM.toMillis() / 100; tick++) {
                    for (int k = 0; k < RATE / 10; k++) {
                        int i = random.nextInt(NODES);
                        NodeState next = switch (states[i]) {
                            case ALIVE -> NodeState.SUSPECT;
                            case SUSPECT -> random.nextInt(4) == 0 ? NodeState.DEAD : NodeState.ALIVE;
                            default -> NodeState.ALIVE;
                        };
                        events.send(change(node(i), states[i], next, Instant.now(), ChangeReason.PROBE_ROUND_FAILED));
                        states[i] = next;
                        sent++;
                    }
                    events.flush();
                    long next = stormStart + (tick + 1) * 100_000_000L;
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                }
                double stormSeconds = (System.nanoTime() - stormStart) / 1e9;
                Thread.sleep(2_000);
                double[] gaps = sorted(js.executeScript("return window.pulseFrames"));
                double[] renders = sorted(js.executeScript("return window.pulseRenderMs"));
                double[] messages = sorted(js.executeScript("return window.pulseMessageMs"));
                long dead =
                        Arrays.stream(states).filter(s -> s == NodeState.DEAD).count();
                String pageDead =
                        page.findElement(By.cssSelector("#count-DEAD .n")).getText();

                FailureMessage failure = failure(node(42));
                events.send(change(
                        node(42), states[42], NodeState.DEAD, failure.getDetectedAt(), ChangeReason.SUSPICION_TIMEOUT));
                events.send(failure);
                events.flush();
                page.findElement(By.id("sort")).sendKeys("Sort by last change");
                new WebDriverWait(page, Duration.ofSeconds(10))
                        .until(d -> !d.findElements(
                                        By.cssSelector(".row[data-id='" + node(42) + "'][data-state='DEAD']"))
                                .isEmpty());
                page.findElement(By.cssSelector(".row[data-id='" + node(42) + "']"))
                        .click();
                new WebDriverWait(page, Duration.ofSeconds(10))
                        .until(d -> !d.findElements(By.cssSelector("#evidence dd[data-field='declaredBy']"))
                                .isEmpty());
                Path shot = browser.screenshot(Path.of("target", "dashboard", "benchmark-10000-nodes.png"));

                System.out.printf(
                        Locale.ROOT,
                        "Machine: %s, %d cores, load %s; %s%n",
                        Machine.cpuModel(),
                        Runtime.getRuntime().availableProcessors(),
                        Machine.loadAverage(),
                        ((org.openqa.selenium.HasCapabilities) page)
                                .getCapabilities()
                                .getBrowserVersion());
                System.out.printf(Locale.ROOT, "%d nodes (page: %s); %d loads%n", NODES, shown, LOADS);
                System.out.printf(
                        Locale.ROOT,
                        "first render with every node (ms after navigation): median %.0f, all %s%n",
                        median(firstRender),
                        firstRender);
                System.out.printf(
                        Locale.ROOT,
                        "first-contentful-paint (ms): median %.0f, all %s%n",
                        median(firstPaint),
                        firstPaint);
                System.out.printf(
                        Locale.ROOT,
                        "storm: %d transitions in %.1f s (%.0f/s)%n",
                        sent,
                        stormSeconds,
                        sent / stormSeconds);
                System.out.printf(
                        Locale.ROOT,
                        "frame gaps during the storm (ms, %d frames): median %.1f, p95 %.1f, p99 %.1f, max %.1f; "
                                + "over 50 ms: %d%n",
                        gaps.length,
                        percentile(gaps, 50),
                        percentile(gaps, 95),
                        percentile(gaps, 99),
                        max(gaps),
                        Arrays.stream(gaps).filter(g -> g > 50).count());
                System.out.printf(
                        Locale.ROOT,
                        "the page's own work during the storm (ms): render (%d) median %.1f, p95 %.1f, "
                                + "max %.1f; batch parsed and applied (%d) median %.1f, p95 %.1f, max %.1f%n",
                        renders.length,
                        percentile(renders, 50),
                        percentile(renders, 95),
                        max(renders),
                        messages.length,
                        percentile(messages, 50),
                        percentile(messages, 95),
                        max(messages));
                System.out.printf(Locale.ROOT, "after the storm: %d DEAD sent, page shows %s DEAD%n", dead, pageDead);
                System.out.println("screenshot: " + shot);
            }
        } finally {
            broker.destroy();
        }
        System.exit(0);
    }

    static String node(int i) {
        return "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256) + ":7946";
    }

    static StatusChange change(String node, NodeState from, NodeState to, Instant at, ChangeReason reason) {
        return StatusChange.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("10.255.0.1:7946")
                .setNodeId(node)
                .setPrevious(from)
                .setCurrent(to)
                .setIncarnation(1)
                .setAt(at)
                .setSrttMicros(800L)
                .setTotalProbes(100)
                .setLostProbes(to == NodeState.ALIVE ? 0 : 3)
                .setReason(reason)
                .build();
    }

    static FailureMessage failure(String node) {
        Instant now = Instant.now();
        return FailureMessage.newBuilder()
                .setEventId(UUID.randomUUID())
                .setObserver("10.255.0.1:7946")
                .setNodeId(node)
                .setState(NodeState.DEAD)
                .setIncarnation(1)
                .setRetryAttempts(2)
                .setIndirectPeers(List.of("10.255.0.2:7946", "10.255.0.3:7946", "10.255.0.4:7946"))
                .setInitialConnect(now.minusSeconds(3600))
                .setLastConnected(now.minusMillis(2400))
                .setDetectedAt(now)
                .setSrttMicros(812L)
                .setClockOffsetMicros(-1_370L)
                .setTotalProbes(3_600)
                .setLostProbes(6)
                .setDeclaredBy("10.255.0.2:7946")
                .setConfirmations(3)
                .build();
    }

    static double[] sorted(Object list) {
        return ((List<?>) list)
                .stream().mapToDouble(DashboardBenchmark::number).sorted().toArray();
    }

    static double max(double[] sorted) {
        return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
    }

    static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    static double median(List<Double> values) {
        return percentile(
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray(), 50);
    }

    static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private DashboardBenchmark() {}
}
