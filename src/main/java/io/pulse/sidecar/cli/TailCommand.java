package io.pulse.sidecar.cli;

import io.pulse.consumer.PulseConsumer;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pulse tail}: prints what arrives on the failures and status topics. */
@Command(name = "tail", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Consumes <prefix>.failures and <prefix>.status with the consumer library and prints "
                + "every event, as a table or as JSON lines, until Ctrl-C (or --max-events, --timeout).")
final class TailCommand implements Callable<Integer> {
    /** How often the wait looks at the consumer's health. */
    static final Duration POLL = Duration.ofMillis(200);

    @CommandLine.ParentCommand
    PulseCommand parent;

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT,...", defaultValue = "${env:PULSE_KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka brokers (default: $PULSE_KAFKA_BOOTSTRAP_SERVERS or localhost:9092).")
    String bootstrapServers;

    @Option(names = "--topic-prefix", defaultValue = "${env:PULSE_KAFKA_TOPIC_PREFIX:-pulse}",
            description = "Topic prefix (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    @Option(names = "--json", description = "One JSON object per line instead of a table.")
    boolean json;

    @Option(names = "--group", paramLabel = "ID",
            description = "Consumer group; by default a new one, so that tail starts at the beginning of each topic.")
    String group;

    @Option(names = "--max-events", paramLabel = "N", description = "Exits 0 after N events.")
    long maxEvents = Long.MAX_VALUE;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "Exits after this long: 0, or 1 if --max-events was given and not reached.")
    String timeout;

    @Override
    public Integer call() throws Exception {
        parent.configureLogging("text", "warn");
        if (maxEvents < 1) {
            throw new UsageException("--max-events: got " + maxEvents + " (expected: at least 1)");
        }
        Duration limit = timeout == null ? null : Arguments.duration("--timeout", timeout);
        EventPrinter printer = new EventPrinter(parent.out(), json);
        AtomicLong seen = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        Runnable counted = () -> {
            if (seen.incrementAndGet() >= maxEvents) {
                done.countDown();
            }
        };
        Termination termination = Termination.install();
        Thread waiter = new Thread(() -> {
            termination.await();
            done.countDown();
        }, "pulse-tail-signals");
        waiter.setDaemon(true);
        waiter.start();
        try (PulseConsumer consumer = PulseConsumer.builder()
                .bootstrapServers(bootstrapServers)
                .groupId(group == null ? "pulse-tail-" + UUID.randomUUID() : group)
                .topicPrefix(topicPrefix)
                .offsetReset(PulseConsumer.OffsetReset.EARLIEST) // shows what the topics hold, as before
                .onFailure(f -> {
                    printer.failure(f);
                    counted.run();
                })
                .onStatusChange(c -> {
                    printer.status(c);
                    counted.run();
                })
                .onRemoved(id -> {
                    printer.removed(id);
                    counted.run();
                })
                .build()) {
            consumer.start();
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            while (!done.await(POLL.toMillis(), TimeUnit.MILLISECONDS) && System.nanoTime() < deadline) {
                if (consumer.failure().isPresent()) {
                    throw new IllegalStateException("the consumer stopped: " + consumer.failure().get().getMessage(),
                            consumer.failure().get());
                }
            }
            boolean reached = seen.get() >= maxEvents;
            return reached || maxEvents == Long.MAX_VALUE ? PulseCommand.OK : PulseCommand.FAILED;
        }
    }
}
