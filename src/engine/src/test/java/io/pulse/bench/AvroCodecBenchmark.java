package io.pulse.bench;

import io.pulse.core.Liveness;
import io.pulse.core.NodeFailure;
import io.pulse.core.NodeId;
import io.pulse.core.Transition;
import io.pulse.events.EventCodec;
import io.pulse.events.FailureMessage;
import io.pulse.kafka.EventMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Cost per record of what {@code publish} does before the journal write: map the core event to
 * Avro and single-object encode it; and of a consumer's decode.
 *
 * <pre>
 * mvn -Pbench test-compile exec:exec -Dbench.args="AvroCodecBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s"
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AvroCodecBenchmark {
    private final EventMapper mapper = new EventMapper("10.0.0.1:7946", "prod-eu");
    private NodeFailure failure;
    private Transition change;
    private FailureMessage failureRecord;
    private io.pulse.events.StatusChange changeRecord;
    private byte[] failureBytes;
    private byte[] changeBytes;

    @Setup
    public void setUp() {
        Instant at = Instant.parse("2024-05-01T12:00:00.123Z");
        NodeId node = NodeId.parse("10.0.3.17:7946");
        failure = new NodeFailure(
                node,
                Liveness.DEAD,
                1_714_560_000_000L,
                3,
                List.of(NodeId.parse("10.0.1.2:7946"), NodeId.parse("10.0.2.9:7946"), NodeId.parse("10.0.4.1:7946")),
                at.minusSeconds(86_400),
                at.minusSeconds(6),
                at,
                Duration.ofNanos(1_000L * (412)),
                Duration.ofNanos(1_000L * (-35)),
                86_400,
                12);
        change = new Transition(
                node,
                Liveness.SUSPECT,
                Liveness.DEAD,
                1_714_560_000_000L,
                at,
                Duration.ofNanos(1_000L * (412)),
                Duration.ofNanos(1_000L * (-35)),
                86_400,
                12,
                Transition.Reason.SUSPICION_TIMEOUT);
        failureRecord = mapper.failure(failure);
        changeRecord = mapper.statusChange(change);
        failureBytes = EventCodec.encode(failureRecord);
        changeBytes = EventCodec.encode(changeRecord);
    }

    @Benchmark
    public byte[] encodeFailure() {
        return EventCodec.encode(failureRecord);
    }

    @Benchmark
    public FailureMessage decodeFailure() {
        return EventCodec.decodeFailure(failureBytes);
    }

    @Benchmark
    public byte[] encodeStatusChange() {
        return EventCodec.encode(changeRecord);
    }

    @Benchmark
    public io.pulse.events.StatusChange decodeStatusChange() {
        return EventCodec.decodeStatusChange(changeBytes);
    }

    /** The whole pre-journal step of {@code publish(NodeFailure)}: map (incl. event id) and encode. */
    @Benchmark
    public byte[] mapAndEncodeFailure() {
        return EventCodec.encode(mapper.failure(failure));
    }

    /** Size of the encoded values, for the record. */
    public static void main(String[] args) {
        AvroCodecBenchmark b = new AvroCodecBenchmark();
        b.setUp();
        System.out.println(
                "FailureMessage " + b.failureBytes.length + " bytes, StatusChange " + b.changeBytes.length + " bytes");
    }
}
