package io.pulse.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pulse.core.NodeId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A seed's name stands for every address it resolves to, as a headless Service's name does for its pods. */
class SeedResolverTest {
    @Test
    void aNameIsEveryAddressItResolvesTo() throws Exception {
        List<InetSocketAddress> localhost = Arrays.stream(InetAddress.getAllByName("localhost"))
                .map(address -> new InetSocketAddress(address, 7946))
                .distinct()
                .toList();
        SeedResolver.Split split =
                SeedResolver.split(List.of(NodeId.parse("localhost:7946"), NodeId.parse("127.0.0.1:7946")));
        List<InetSocketAddress> expected = new java.util.ArrayList<>(localhost);
        InetSocketAddress literal = new InetSocketAddress("127.0.0.1", 7946);
        if (!expected.contains(literal)) {
            expected.add(literal);
        }
        assertEquals(expected, split.resolved());
        assertEquals(List.of(), split.unresolved()); // a name that does not resolve: ClusterEngineIT
    }
}
