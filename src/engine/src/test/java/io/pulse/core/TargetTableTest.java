package io.pulse.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TargetTableTest {
    private static Target target(String id, InetSocketAddress address) {
        return new Target(NodeId.parse(id), address, 1_000_000_000L, 3, 500_000_000L);
    }

    private static InetSocketAddress local(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    @Test
    void findsTargetsByIdAndPulseTargetsByAddress() {
        TargetTable table = new TargetTable();
        Target a = target("a:1", local(1));
        Target web = target("web:80", null); // external: no address
        table.add(a);
        table.add(web);

        assertSame(a, table.require(NodeId.parse("a:1")));
        assertSame(web, table.get(NodeId.parse("web:80")));
        assertTrue(table.containsAddress(local(1)));
        assertFalse(table.containsAddress(local(80)));
        assertEquals(Set.of(NodeId.parse("a:1"), NodeId.parse("web:80")), Set.copyOf(table.ids()));
        assertEquals(2, table.size());
    }

    @Test
    void aSecondIdOrAddressIsRefusedAndNothingChanges() {
        TargetTable table = new TargetTable();
        table.add(target("a:1", local(1)));

        DuplicateNodeException sameId =
                assertThrows(DuplicateNodeException.class, () -> table.add(target("a:1", local(2))));
        assertEquals("node a:1 is already watched", sameId.getMessage());
        DuplicateNodeException sameAddress =
                assertThrows(DuplicateNodeException.class, () -> table.add(target("b:1", local(1))));
        assertEquals("node b:1 has the address " + local(1) + " of a:1", sameAddress.getMessage());
        assertEquals(1, table.size());
        assertFalse(table.containsAddress(local(2)));
    }

    @Test
    void removingMovesTheLastIntoTheGapAndForgetsIdAndAddress() {
        TargetTable table = new TargetTable();
        Target a = target("a:1", local(1));
        Target b = target("b:2", local(2));
        Target c = target("c:3", local(3));
        table.add(a);
        table.add(b);
        table.add(c);

        assertSame(a, table.remove(NodeId.parse("a:1")));

        assertEquals(List.of(c, b), table.all());
        assertEquals(0, c.index);
        assertNull(table.get(NodeId.parse("a:1")));
        assertFalse(table.containsAddress(local(1)));
        UnknownNodeException gone = assertThrows(UnknownNodeException.class, () -> table.remove(NodeId.parse("a:1")));
        assertEquals("node a:1 is not watched", gone.getMessage());
    }
}
