package io.pulse.transport.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.pulse.core.NodeId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TcpProbeSpecTest {

    @Test
    void connectOnlyByDefault() {
        TcpProbeSpec spec = TcpProbeSpec.of("[::1]:5432");
        assertEquals(NodeId.parse("[::1]:5432"), spec.defaultNodeId());
        assertEquals(0, spec.send().length);
        assertEquals(0, spec.expectPrefix().length);
        assertEquals("TcpProbeSpec[[::1]:5432, timeout=null, send=, expectPrefix=]", spec.toString());
    }

    @Test
    void bytesAreCopiedInAndOutAndCompareByContent() {
        byte[] ping = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
        TcpProbeSpec spec = TcpProbeSpec.builder("10.0.0.9", 6379)
                .send(ping)
                .expectPrefix("+PONG")
                .build();
        ping[0] = 'X';
        spec.send()[1] = 'X';
        assertArrayEquals("PING\r\n".getBytes(StandardCharsets.US_ASCII), spec.send());
        assertEquals(
                spec,
                TcpProbeSpec.builder("10.0.0.9", 6379)
                        .send("PING\r\n")
                        .expectPrefix("+PONG")
                        .build());
        assertEquals(
                spec.hashCode(),
                TcpProbeSpec.builder("10.0.0.9", 6379)
                        .send("PING\r\n")
                        .expectPrefix("+PONG")
                        .build()
                        .hashCode());
        assertNotEquals(
                spec, TcpProbeSpec.builder("10.0.0.9", 6379).send("PING\r\n").build());
    }

    @Test
    void settingsAreChecked() {
        assertEquals(
                "port must be in 1..65535, got 0",
                assertThrows(IllegalArgumentException.class, () -> TcpProbeSpec.builder("x", 0))
                        .getMessage());
        assertEquals(
                "send must be at most 4096 bytes, got 4097",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TcpProbeSpec.builder("x", 1).send(new byte[4097]))
                        .getMessage());
        assertEquals(
                "timeout must be >= 1 ms (or null for the detector's), got 0 ms",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> TcpProbeSpec.builder("x", 1).timeout(Duration.ofNanos(1)))
                        .getMessage());
    }
}
