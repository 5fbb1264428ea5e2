package io.pulse.sidecar.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ArgumentsTest {
    @Test
    void aBindAddressIsParsedAndResolvedPortZeroIncluded() {
        InetSocketAddress v4 = Arguments.bindAddress("--bind", "127.0.0.1:0");
        assertEquals("127.0.0.1", v4.getAddress().getHostAddress());
        assertEquals(0, v4.getPort());

        InetSocketAddress v6 = Arguments.bindAddress("--bind", "[::1]:7946");
        assertTrue(v6.getAddress().isLoopbackAddress());
        assertEquals(7946, v6.getPort());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "127.0.0.1",
                "127.0.0.1:",
                ":7946",
                "127.0.0.1:65536",
                "127.0.0.1:-1",
                "127.0.0.1:x",
                "::1:7946",
                "[::1]7946"
            })
    void aBadBindAddressIsAUsageErrorNamingTheOptionAndTheText(String text) {
        UsageException e = assertThrows(UsageException.class, () -> Arguments.bindAddress("--bind", text));
        assertTrue(e.getMessage().startsWith("--bind: got \"" + text + "\" ("), e.getMessage());
    }
}
