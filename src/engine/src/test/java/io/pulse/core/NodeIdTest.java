package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class NodeIdTest {

    @ParameterizedTest
    @CsvSource({
        "10.0.0.7:7946, 10.0.0.7, 7946",
        "[::1]:7946, ::1, 7946",
        "[fe80::1:2]:1, fe80::1:2, 1",
        "db-1.internal:65535, db-1.internal, 65535"
    })
    void parsesAndPrintsBack(String text, String host, int port) {
        NodeId id = NodeId.parse(text);
        assertEquals(host, id.host());
        assertEquals(port, id.port());
        assertEquals(text, id.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", ":80", "::1:80", "[::1]80", "[::1]", "host:", "host:x"})
    void rejectsMalformedIds(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeId.parse(text));
        assertEquals(true, e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void namesTheBadPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NodeId.parse("h:70000"));
        assertEquals("port must be in 1..65535, got 70000", e.getMessage());
    }

    @Test
    void ordersByHostThenPort() {
        assertEquals(-1, Integer.signum(NodeId.parse("a:2").compareTo(NodeId.parse("b:1"))));
        assertEquals(-1, Integer.signum(NodeId.parse("a:1").compareTo(NodeId.parse("a:2"))));
    }
}
