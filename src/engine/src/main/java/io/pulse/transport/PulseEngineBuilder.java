package io.pulse.transport;

import io.netty.channel.EventLoopGroup;
import io.pulse.core.Clock;
import io.pulse.core.DetectorConfig;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.Keyring;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link PulseEngine}. Each setter checks its own value; {@link #start()}
 * hands the engine a snapshot of them, so reusing the builder afterwards changes no running engine.
 *
 * <pre>{@code
 * PulseEngine engine = PulseEngine.builder().bind(new InetSocketAddress("127.0.0.1", 0)).start();
 * }</pre>
 */
public final class PulseEngineBuilder {
    public static final int DEFAULT_PORT = 7946;
    public static final int DEFAULT_SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;
    public static final Duration DEFAULT_TARGET_LOOKUP_INTERVAL = Duration.ofSeconds(10);

    private InetSocketAddress bind = new InetSocketAddress("0.0.0.0", DEFAULT_PORT);
    private DetectorConfig config = DetectorConfig.defaults();
    private Clock clock = Clock.system();
    private long incarnation;
    private boolean responding = true;
    private boolean probing = true;
    private int socketBufferBytes = DEFAULT_SOCKET_BUFFER_BYTES;
    private EventLoopGroup group;
    private DatagramFilter filter;
    private Keyring keyring;
    private DatagramAuth.Mode authMode = DatagramAuth.Mode.REQUIRED;
    private List<Cidr> relayFrom = Cidr.PRIVATE;
    private int answersPerSource = 200;
    private int answersInAll = 50_000;
    private Duration targetLookupInterval = DEFAULT_TARGET_LOOKUP_INTERVAL;

    PulseEngineBuilder() {}

    /** The UDP address to bind; port 0 asks the OS for a free one. Default 0.0.0.0:7946. */
    public PulseEngineBuilder bind(InetSocketAddress address) {
        if (address == null || address.isUnresolved()) {
            throw new IllegalArgumentException("bind must be a resolved address, got " + address);
        }
        this.bind = address;
        return this;
    }

    public PulseEngineBuilder config(DetectorConfig value) {
        this.config = Objects.requireNonNull(value, "config");
        return this;
    }

    public PulseEngineBuilder clock(Clock value) {
        this.clock = Objects.requireNonNull(value, "clock");
        return this;
    }

    /** This node's incarnation; default: the start time in epoch milliseconds, which grows across restarts. */
    public PulseEngineBuilder incarnation(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("incarnation must be > 0, got " + value);
        }
        this.incarnation = value;
        return this;
    }

    /** Whether to answer PINGs from the start. Default true. */
    public PulseEngineBuilder responding(boolean value) {
        this.responding = value;
        return this;
    }

    /** Whether to probe targets from the start. Default true. */
    public PulseEngineBuilder probing(boolean value) {
        this.probing = value;
        return this;
    }

    /** SO_RCVBUF and SO_SNDBUF. Default 4 MiB, for bursts from thousands of targets. */
    public PulseEngineBuilder socketBufferBytes(int value) {
        if (value < 64 * 1024) {
            throw new IllegalArgumentException("socketBufferBytes must be >= 65536, got " + value);
        }
        this.socketBufferBytes = value;
        return this;
    }

    /** Runs on an existing event loop group (not shut down by {@link PulseEngine#close()}). */
    public PulseEngineBuilder eventLoopGroup(EventLoopGroup value) {
        this.group = Objects.requireNonNull(value, "eventLoopGroup");
        return this;
    }

    /**
     * Passes every datagram in and out through {@code value} first, which may drop it: for tests
     * and benchmarks of loss and silent nodes. Default: none, and no handler in the pipeline.
     */
    public PulseEngineBuilder datagramFilter(DatagramFilter value) {
        this.filter = Objects.requireNonNull(value, "datagramFilter");
        return this;
    }

    /**
     * Signs every datagram with {@code value}'s primary key and checks every one received
     * ({@link DatagramAuth}); {@code mode} says whether unsigned ones are still accepted (the
     * rollout step) or dropped. Rotate later with {@code engine.authentication().keyring(next)}.
     * Default: no keyring, nothing signed, and signed datagrams dropped as UNSUPPORTED_AUTH.
     */
    public PulseEngineBuilder keyring(Keyring value, DatagramAuth.Mode mode) {
        this.keyring = Objects.requireNonNull(value, "keyring");
        this.authMode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Strangers (neither watched, nor members, nor authenticated) whose PING_REQs are relayed.
     * Default {@link Cidr#PRIVATE}; an empty list relays only for peers. Targets are never
     * multicast, broadcast or unspecified, and loopback only when bound to loopback.
     */
    public PulseEngineBuilder relayFrom(List<Cidr> value) {
        this.relayFrom = List.copyOf(value);
        return this;
    }

    /**
     * Answers (ACKs, relayed PINGs) a second to one address, and to all; the excess is dropped
     * and counted. Defaults 200 and 50,000. ACKs to this node's own probes are never capped.
     */
    public PulseEngineBuilder answerLimits(int perSource, int inAll) {
        if (perSource < 1 || inAll < perSource) {
            throw new IllegalArgumentException("answerLimits " + perSource + " per source, " + inAll
                    + " in all (expected: 1 <= per source <= in all)");
        }
        this.answersPerSource = perSource;
        this.answersInAll = inAll;
        return this;
    }

    /**
     * How often the host names of targets given by name are looked up again; a target whose name
     * resolves elsewhere is probed there from then on, its status kept. Default 10 s; zero looks
     * each name up once, when the target is added.
     */
    public PulseEngineBuilder targetLookupInterval(Duration value) {
        if (value == null || value.isNegative() || (!value.isZero() && value.toMillis() < 100)) {
            throw new IllegalArgumentException("targetLookupInterval must be 0 or at least 100 ms, got " + value);
        }
        this.targetLookupInterval = value;
        return this;
    }

    /** Binds the socket and starts probing and answering as configured. */
    public PulseEngine start() {
        return PulseEngine.start(new EngineSettings(
                bind,
                config,
                clock,
                incarnation,
                responding,
                probing,
                socketBufferBytes,
                group,
                filter,
                keyring,
                authMode,
                relayFrom,
                answersPerSource,
                answersInAll,
                targetLookupInterval));
    }
}
