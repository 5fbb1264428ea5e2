package io.pulse.sidecar.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.Liveness;
import io.pulse.core.NodeId;
import io.pulse.core.NodeStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The exact JSON of nodes and errors. */
class StatusJsonTest {
    private static final NodeStatus MEASURED = new NodeStatus(
            NodeId.parse("10.0.0.7:7946"),
            Liveness.ALIVE,
            1_767_225_600_000L,
            8,
            2,
            Duration.ofNanos(412_500),
            Duration.ofNanos(50_000),
            Duration.ofMillis(100),
            Duration.ofNanos(-300_000),
            Duration.ofNanos(1_250_000),
            Instant.parse("2026-01-01T00:00:00.123Z"),
            Instant.parse("2026-01-01T00:00:11.000000001Z"),
            NodeStatus.ProbeKind.PULSE,
            null,
            1);
    private static final NodeStatus NEVER_ANSWERED = new NodeStatus(
            NodeId.parse("[::1]:80"),
            Liveness.PENDING,
            0,
            3,
            3,
            null,
            null,
            Duration.ofSeconds(1),
            null,
            null,
            null,
            null,
            NodeStatus.ProbeKind.EXTERNAL,
            "connection refused: \"::1\"",
            2);

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }

    @Test
    void aMeasuredNodeHasFractionalMillisecondsAndRfc3339Instants() {
        assertEquals(
                "{\"id\":\"10.0.0.7:7946\",\"state\":\"ALIVE\",\"kind\":\"PULSE\",\"incarnation\":1767225600000,"
                        + "\"totalProbes\":8,\"lostProbes\":2,\"lossRatio\":0.25,\"srttMs\":0.4125,\"rttVarianceMs\":0.05,"
                        + "\"probeTimeoutMs\":100.0,\"clockOffsetMs\":-0.3,\"clockOffsetErrorMs\":1.25,"
                        + "\"firstContact\":\"2026-01-01T00:00:00.123Z\",\"lastContact\":\"2026-01-01T00:00:11.000000001Z\","
                        + "\"lastError\":null,\"lastRetries\":1}",
                text(StatusJson.one(MEASURED)));
    }

    @Test
    void whatWasNeverMeasuredIsNullAndTextIsEscaped() {
        assertEquals(
                "{\"id\":\"[::1]:80\",\"state\":\"PENDING\",\"kind\":\"EXTERNAL\",\"incarnation\":0,"
                        + "\"totalProbes\":3,\"lostProbes\":3,\"lossRatio\":1.0,\"srttMs\":null,\"rttVarianceMs\":null,"
                        + "\"probeTimeoutMs\":1000.0,\"clockOffsetMs\":null,\"clockOffsetErrorMs\":null,"
                        + "\"firstContact\":null,\"lastContact\":null,\"lastError\":\"connection refused: \\\"::1\\\"\",\"lastRetries\":2}",
                text(StatusJson.one(NEVER_ANSWERED)));
    }

    @Test
    void allNamesThisNodeAndListsTheNodesInTheOrderGiven() {
        String json = text(StatusJson.all(NodeId.parse("127.0.0.1:7946"), 1, List.of(NEVER_ANSWERED, MEASURED)));
        assertEquals(
                "{\"node\":\"127.0.0.1:7946\",\"localHealthMultiplier\":1,\"nodes\":["
                        + text(StatusJson.one(NEVER_ANSWERED)) + "," + text(StatusJson.one(MEASURED)) + "]}",
                json);
        assertEquals(
                "{\"node\":\"127.0.0.1:7946\",\"localHealthMultiplier\":3,\"nodes\":[]}",
                text(StatusJson.all(NodeId.parse("127.0.0.1:7946"), 3, List.of())));
    }

    @Test
    void anErrorIsOneEscapedField() {
        assertEquals(
                "{\"error\":\"node id must be host:port, got \\\"x\\\"\"}",
                text(Json.error("node id must be host:port, got \"x\"")));
    }
}
