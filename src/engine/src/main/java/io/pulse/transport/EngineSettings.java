package io.pulse.transport;

import io.netty.channel.EventLoopGroup;
import io.pulse.core.Clock;
import io.pulse.core.DetectorConfig;
import io.pulse.protocol.DatagramAuth;
import io.pulse.protocol.Keyring;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * What a {@link PulseEngineBuilder} hands to the engine it starts: a snapshot, so that the builder,
 * changed or reused after {@code start()}, cannot change a running engine. Checked by the builder's
 * setters; see them for each value's meaning and default.
 *
 * @param incarnation 0: the engine picks its own from the clock
 * @param group null: the engine makes (and shuts down) its own
 * @param filter null: no filter in the pipeline
 * @param keyring null: nothing signed
 * @param targetLookupInterval zero: targets given by name are looked up once
 */
record EngineSettings(
        InetSocketAddress bind,
        DetectorConfig config,
        Clock clock,
        long incarnation,
        boolean responding,
        boolean probing,
        int socketBufferBytes,
        EventLoopGroup group,
        DatagramFilter filter,
        Keyring keyring,
        DatagramAuth.Mode authMode,
        List<Cidr> relayFrom,
        int answersPerSource,
        int answersInAll,
        Duration targetLookupInterval) {}
