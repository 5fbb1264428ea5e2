package io.pulse.consumer;

import io.pulse.events.NodeState;
import io.pulse.testkit.Machine;
import io.pulse.testkit.TestBroker;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The consumer library's two figures, against a real broker in this JVM:
 * a {@link ClusterView} rebuilt from a status topic of N nodes (target: 100,000 nodes in at most
 * 5 s), and {@link PulseConsumer} dispatch throughput with a no-op handler (target: at least
 * 100,000 events/s). Prints the median of several rounds and the machine.
 *
 * <pre>
 * mvn -Pbench test-compile exec:exec -Dbench.main=io.pulse.bench.ConsumerBenchmark -Dbench.args="100000 500000 3"
 * </pre>
 */
public final class ConsumerBenchmark {
    private ConsumerBenchmark() {}

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int events = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.printf(
                "machine: %s, load average %.2f%n",
                Machine.describe(), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        TestBroker broker = TestBroker.inJvm(Map.of("num.partitions", "3"));
        broker.start();
        try (TestEvents topics = new TestEvents(broker.bootstrapServers(), "bench", 3)) {
            long started = System.nanoTime();
            for (int n = 0; n < nodes; n++) {
                topics.send(TestEvents.change(
                        "10." + (n >> 16 & 255) + "." + (n >> 8 & 255) + "." + (n & 255) + ":7946",
                        n,
                        NodeState.ALIVE,
                        NodeState.SUSPECT));
            }
            for (int i = 0; i < events; i++) {
                topics.send(TestEvents.failure("10.0." + (i >> 8 & 255) + "." + (i & 255) + ":7946", i));
            }
            topics.flush();
            System.out.printf(
                    "wrote %,d status records and %,d failures in %,d ms%n",
                    nodes, events, (System.nanoTime() - started) / 1_000_000);

            List<Long> rebuildMs = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                try (ClusterView view = ClusterView.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .topicPrefix("bench")
                        .build()) {
                    view.start();
                    if (!view.awaitCaughtUp(Duration.ofMinutes(2)) || view.size() != nodes) {
                        throw new IllegalStateException("view holds " + view.size() + " of " + nodes + " nodes");
                    }
                    rebuildMs.add((System.nanoTime() - start) / 1_000_000);
                }
            }
            List<Double> rates = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                PulseConsumer consumer = PulseConsumer.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .groupId("bench-" + round)
                        .topicPrefix("bench")
                        .offsetReset(PulseConsumer.OffsetReset.EARLIEST)
                        .onFailure(f -> {})
                        .build();
                long start = System.nanoTime();
                consumer.start();
                // The status topic is consumed too: wait for both topics' records.
                while (consumer.handled() < (long) events + nodes) {
                    Thread.sleep(5);
                    if (System.nanoTime() - start > Duration.ofMinutes(5).toNanos()) {
                        throw new IllegalStateException("handled " + consumer.handled() + " in 5 min");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                consumer.close();
                rates.add((events + nodes) / seconds);
            }
            System.out.printf(
                    "ClusterView rebuild, %,d nodes: median %,d ms (runs %s); target <= 5,000 ms: %s%n",
                    nodes, median(rebuildMs), rebuildMs, median(rebuildMs) <= 5_000 ? "met" : "NOT met");
            List<Double> sortedRates = new ArrayList<>(rates);
            Collections.sort(sortedRates);
            double medianRate = sortedRates.get(sortedRates.size() / 2);
            System.out.printf(
                    "PulseConsumer dispatch (decode, dedup, no-op handler, commit), %,d records: median %,.0f"
                            + " events/s (runs %s); target >= 100,000/s: %s%n",
                    (long) events + nodes,
                    medianRate,
                    rates.stream().map(r -> String.format("%,.0f", r)).toList(),
                    medianRate >= 100_000 ? "met" : "NOT met");
        } finally {
            broker.destroy();
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
