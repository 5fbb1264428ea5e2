/**
 * Probes of services that do not speak Pulse's UDP protocol: HTTP(S) and TCP. They run on the
 * engine's event loop (the one its {@link io.pulse.core.PulseCore} runs on), so a result reaches
 * the core with no hand-off and no lock; thousands of targets cost no thread each.
 *
 * <p>{@link io.pulse.transport.probe.HttpProbeSpec} and {@link io.pulse.transport.probe.TcpProbeSpec}
 * say what to probe; {@link io.pulse.transport.PulseEngine#addHttpTarget} and
 * {@link io.pulse.transport.PulseEngine#addTcpTarget} add them; the probe rounds, retries,
 * suspicion and recovery are the core's, the same as for UDP targets.
 *
 * <p>Null policy: parameters and return values are non-null unless their documentation says
 * otherwise.
 */
package io.pulse.transport.probe;
