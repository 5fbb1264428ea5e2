package io.pulse.sidecar.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.Topics;
import io.pulse.kafka.PulsePublisher;
import io.pulse.sidecar.http.ApiLimits;
import io.pulse.testkit.KafkaBrokerExtension;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real headless Chromium, against a real broker, fed by the real publisher:
 * the login form of a dashboard with a token, what a person sees when a node dies, what the
 * verdict's evidence says, and the page riding out a Kafka outage (its event stream reconnecting
 * with the session cookie). Screenshots go to {@code target/dashboard/}.
 */
class DashboardIT {
    @RegisterExtension
    static final KafkaBrokerExtension kafka = KafkaBrokerExtension.inJvm();

    static final Path SHOTS = Path.of("target", "dashboard");
    static final String PREFIX = "dash";
    static final NodeId A = NodeId.parse("10.0.0.1:7946");
    static final NodeId B = NodeId.parse("10.0.0.2:7946");
    static final NodeId C = NodeId.parse("10.0.0.3:7946");
    static final NodeId DECLARER = NodeId.parse("10.0.0.5:7946");
    static final Duration STEP = Duration.ofSeconds(20);
    static final String TOKEN = "dashboard-it-0123456789abcdef";

    @TempDir
    Path outbox;

    @Test
    void aPersonSeesANodeDieWhyAndThePageRideOutAKafkaOutage() throws Exception {
        Assumptions.assumeTrue(Browser.available(), Browser.MISSING);
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (PulsePublisher publisher = PulsePublisher.builder()
                        .bootstrapServers(kafka.bootstrapServers())
                        .observer("10.0.0.9:7946")
                        .topicPrefix(PREFIX)
                        .outboxDir(outbox)
                        .build();
                Dashboard dashboard = Dashboard.start(
                        consumer(kafka.bootstrapServers()),
                        PREFIX,
                        new InetSocketAddress("127.0.0.1", 0),
                        HistoryLimits.defaults(),
                        ApiLimits.defaults().withToken(TOKEN));
                Browser browser = Browser.start()) {
            for (NodeId node : List.of(A, B, C)) {
                publisher.publish(change(
                        node, Liveness.PENDING, Liveness.ALIVE, t0.minusSeconds(60), Transition.Reason.FIRST_CONTACT));
            }
            publisher.publish(change(
                    B, Liveness.ALIVE, Liveness.SUSPECT, t0.minusSeconds(2), Transition.Reason.PROBE_ROUND_FAILED));
            assertTrue(publisher.awaitDelivery(STEP));
            WebDriver page = browser.driver();
            page.get(dashboard.url().toString());
            logIn(page, dashboard);
            await(
                    page,
                    STEP,
                    "three nodes, B SUSPECT",
                    d -> state(d, A).equals("ALIVE")
                            && state(d, B).equals("SUSPECT")
                            && count(d, "ALIVE") == 2
                            && count(d, "SUSPECT") == 1);
            await(
                    page,
                    STEP,
                    "Kafka up",
                    d -> d.findElement(By.id("conn-kafka")).getText().equals("Kafka: up"));

            // Labels: shown on each row, searched as key=value, and a grouping by one of them.
            assertEquals(
                    "service=web zone=a",
                    row(page, B).findElement(By.className("labels")).getText());
            assertEquals(List.of(B.toString(), A.toString(), C.toString()), shownRows(page), "by state: SUSPECT first");
            WebElement filter = page.findElement(By.id("filter"));
            filter.sendKeys("service=checkout");
            await(page, STEP, "the checkout nodes only", d -> shownRows(d).equals(List.of(A.toString(), C.toString())));
            assertEquals("2 of 3 node(s)", page.findElement(By.id("shown")).getText());
            filter.sendKeys(
                    org.openqa.selenium.Keys.chord(org.openqa.selenium.Keys.CONTROL, "a"),
                    org.openqa.selenium.Keys.BACK_SPACE);
            new org.openqa.selenium.support.ui.Select(page.findElement(By.id("group"))).selectByValue("service");
            await(
                    page,
                    STEP,
                    "grouped by service: checkout, then web",
                    d -> shownRows(d).equals(List.of(A.toString(), C.toString(), B.toString())));
            browser.screenshot(SHOTS.resolve("0-grouped-by-service.png"));
            new org.openqa.selenium.support.ui.Select(page.findElement(By.id("group"))).selectByValue("");

            // The verdict, as the engine publishes it: SUSPECT -> DEAD and the FailureMessage.
            Instant dead = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            long published = System.nanoTime();
            publisher.publish(new Transition(
                    B,
                    Liveness.SUSPECT,
                    Liveness.DEAD,
                    4,
                    dead,
                    Duration.ofNanos(1_250_000),
                    Duration.ofNanos(-420_000),
                    12,
                    6,
                    Transition.Reason.SUSPICION_TIMEOUT,
                    DECLARER,
                    2));
            publisher.publish(new NodeFailure(
                    B,
                    Liveness.DEAD,
                    4,
                    2,
                    List.of(C, NodeId.parse("10.0.0.4:7946")),
                    t0.minusSeconds(60),
                    t0.minusSeconds(3),
                    dead,
                    Duration.ofNanos(1_250_000),
                    Duration.ofNanos(-420_000),
                    12,
                    6,
                    DECLARER,
                    2));
            await(
                    page,
                    Duration.ofSeconds(2),
                    "B DEAD within 2 s of its FailureMessage",
                    d -> state(d, B).equals("DEAD"));
            double seconds = (System.nanoTime() - published) / 1e9;
            System.out.printf("DashboardIT: B shown DEAD %.2f s after its FailureMessage was published%n", seconds);
            await(
                    page,
                    STEP,
                    "counts 2 ALIVE, 1 DEAD",
                    d -> count(d, "ALIVE") == 2 && count(d, "DEAD") == 1 && count(d, "SUSPECT") == 0);
            String failureLine = "FAILURE " + B + " declared DEAD by " + DECLARER + ", 2 confirmation(s)";
            await(
                    page,
                    STEP,
                    "the timeline's failure entry",
                    d -> d.findElements(By.cssSelector("#timeline li.failure")).stream()
                            .anyMatch(li -> li.getText().contains(failureLine)));
            assertTrue(
                    page.findElement(By.id("timeline")).getText().contains(B + " SUSPECT → DEAD (SUSPICION_TIMEOUT)"),
                    page.findElement(By.id("timeline")).getText());

            row(page, B).click();
            await(
                    page,
                    STEP,
                    "the evidence panel",
                    d -> evidence(d, "declaredBy").equals(DECLARER.toString()));
            assertEquals(
                    Map.of(
                            "declaredBy", DECLARER.toString(),
                            "confirmations", "2",
                            "retries", "2",
                            "indirectPeers", "2: " + C + ", 10.0.0.4:7946",
                            "lastContact", t0.minusSeconds(3).toString(),
                            "srtt", "1.25 ms",
                            "clockOffset", "-0.42 ms",
                            "probes", "6 of 12",
                            "incarnation", "4",
                            "observer", "10.0.0.9:7946"),
                    evidenceFields(page));
            assertTrue(
                    page.findElement(By.id("detail-history")).getText().contains("ALIVE → SUSPECT"),
                    page.findElement(By.id("detail-history")).getText());
            browser.screenshot(SHOTS.resolve("1-node-dead-with-evidence.png"));

            // A record that is no event: counted and shown, the page goes on.
            try (KafkaProducer<byte[], byte[]> raw = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()),
                    new ByteArraySerializer(),
                    new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(
                                Topics.failures(PREFIX), B.toString().getBytes(), new byte[] {1, 2, 3}))
                        .get();
            }
            await(
                    page,
                    STEP,
                    "the undecodable record",
                    d -> d.findElement(By.id("conn-undecodable")).getText().equals("1 undecodable record(s)"));
            assertTrue(
                    page.findElement(By.id("conn-undecodable"))
                            .getAttribute("title")
                            .contains("got 3 bytes"),
                    page.findElement(By.id("conn-undecodable")).getAttribute("title"));

            // Kafka goes away: a banner, the last known state kept; back: the banner goes and news flows again.
            kafka.broker().stop();
            await(page, STEP, "the Kafka-down banner", d -> banner(d).startsWith("Kafka unreachable since "));
            assertTrue(
                    banner(page).contains("Showing the last known state; this page recovers by itself."), banner(page));
            assertEquals("DEAD", state(page, B));
            assertEquals(2, count(page, "ALIVE"));
            browser.screenshot(SHOTS.resolve("2-kafka-down.png"));
            publisher.publish(change(B, Liveness.DEAD, Liveness.ALIVE, Instant.now(), Transition.Reason.RECOVERED));
            kafka.broker().start();
            await(
                    page,
                    Duration.ofSeconds(40),
                    "the banner gone",
                    d -> banner(d).isEmpty());
            await(
                    page,
                    Duration.ofSeconds(40),
                    "B ALIVE again",
                    d -> state(d, B).equals("ALIVE") && count(d, "ALIVE") == 3);
            browser.screenshot(SHOTS.resolve("3-kafka-back.png"));
        }
    }

    /** The page sends a stranger to the form; a wrong token is refused there, the right one leads back to the page. */
    static void logIn(WebDriver page, Dashboard dashboard) {
        await(page, STEP, "the login form", d -> d.getCurrentUrl().equals(dashboard.url() + "login"));
        page.findElement(By.id("token")).sendKeys("not-the-token");
        page.findElement(By.id("login")).click();
        await(
                page,
                STEP,
                "the refusal",
                d -> d.findElement(By.id("login-error")).getText().equals("That is not the token."));
        page.findElement(By.id("token")).sendKeys(TOKEN);
        page.findElement(By.id("login")).click();
        await(
                page,
                STEP,
                "the page after the login",
                d -> d.getCurrentUrl().equals(dashboard.url().toString()));
        assertTrue(page.manage().getCookieNamed(DashboardLogin.COOKIE).isHttpOnly(), "the session cookie is HttpOnly");
    }

    static Properties consumer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrapServers);
        return properties;
    }

    /** A change as a cluster member publishes it: with the node's labels (A and C checkout, B web). */
    static Transition change(NodeId node, Liveness from, Liveness to, Instant at, Transition.Reason reason) {
        return new Transition(
                node,
                from,
                to,
                4,
                at,
                Duration.ofMillis(1),
                null,
                10,
                0,
                reason,
                null,
                0,
                io.pulse.core.ConfigRef.NONE,
                io.pulse.core.Labels.of(Map.of("service", node.equals(B) ? "web" : "checkout", "zone", "a")));
    }

    /** The ids of the rows shown, top to bottom. */
    static List<String> shownRows(WebDriver page) {
        return page.findElements(By.cssSelector("#nodes .row")).stream()
                .filter(WebElement::isDisplayed)
                .sorted(java.util.Comparator.comparingInt(r -> r.getLocation().getY()))
                .map(r -> r.getAttribute("data-id"))
                .toList();
    }

    static void await(
            WebDriver page, Duration limit, String what, java.util.function.Function<WebDriver, Boolean> condition) {
        new WebDriverWait(page, limit, Duration.ofMillis(25))
                .withMessage(what)
                .ignoring(RuntimeException.class)
                .until(condition::apply);
    }

    static WebElement row(WebDriver page, NodeId node) {
        return page.findElement(By.cssSelector(".row[data-id='" + node + "']"));
    }

    static String state(WebDriver page, NodeId node) {
        List<WebElement> rows = page.findElements(By.cssSelector(".row[data-id='" + node + "']"));
        return rows.isEmpty()
                ? "absent"
                : rows.get(0).findElement(By.className("state")).getText();
    }

    static int count(WebDriver page, String state) {
        return Integer.parseInt(
                page.findElement(By.cssSelector("#count-" + state + " .n")).getText());
    }

    static String evidence(WebDriver page, String field) {
        List<WebElement> found = page.findElements(By.cssSelector("#evidence dd[data-field='" + field + "']"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    static Map<String, String> evidenceFields(WebDriver page) {
        Map<String, String> fields = new java.util.TreeMap<>();
        for (WebElement dd : page.findElements(By.cssSelector("#evidence dd[data-field]"))) {
            fields.put(dd.getAttribute("data-field"), dd.getText());
        }
        fields.remove("detectedAt");
        return fields;
    }

    static String banner(WebDriver page) {
        WebElement banner = page.findElement(By.id("banner"));
        return banner.isDisplayed() ? banner.getText() : "";
    }
}
