/**
 * The failure detector, and cluster mode's membership protocol, as state machines with no I/O
 * and no threads. {@link io.pulse.core.PulseCore} takes inputs (a decoded message, the result
 * of an HTTP or TCP probe, {@code tick()} when {@code nextDeadlineNanos()} is due) and asks its
 * {@link io.pulse.core.PulseCore.Output} to send messages, probe external targets and report
 * transitions and failures. Time comes from an injected {@link io.pulse.core.Clock}: the Netty
 * transport ({@code io.pulse.transport}) drives the core on the system clock, the tests' simulated
 * network on a {@link io.pulse.core.ManualClock}, so that a seed reproduces a run.
 *
 * <pre>{@code
 * PulseCore core = new PulseCore(DetectorConfig.defaults(), clock, PulseCore.defaultIncarnation(clock), output);
 * core.addTarget(NodeId.parse("10.0.0.7:7946"), address, TargetOptions.defaults());
 * core.startProbing();
 * core.onMessage(sender, message);  // every datagram, decoded by io.pulse.protocol
 * core.tick();                      // whenever core.nextDeadlineNanos() has passed
 * }</pre>
 *
 * <h2>How detection works</h2>
 * Each target is probed once per {@code probeInterval} (the first probes spread at random over
 * one interval, later ones with &plusmn;10 % jitter):
 * <ol>
 *   <li><b>PING</b>, and wait for the probe timeout: the RFC 6298 RTO of that target
 *       (SRTT + max(1 ms, 4&middot;RTTVAR)), clamped to {@code [probeTimeoutMin, probeTimeoutMax]}.
 *   <li>No ACK: <b>PING_REQ</b> to {@code indirectProbes} random ALIVE peers, which probe the
 *       target and relay its ACK (or a NACK), and up to {@code maxRetries} direct retries,
 *       spread over the indirect window of two more probe timeouts.
 *   <li>Any ACK, direct or relayed, ends the round: the node is ALIVE. No ACK at all:
 *       <b>SUSPECT</b>. A suspect is probed round after round; if none is answered within
 *       {@code suspicionTimeout} (the round in flight when it expires is waited for), it is
 *       <b>DEAD</b> and a {@link io.pulse.core.NodeFailure} is emitted.
 *   <li>DEAD nodes are probed every {@code deadProbeInterval}; an answer is a <b>DEAD -&gt; ALIVE</b>
 *       change ({@code RECOVERED}). An ACK with a higher incarnation than before is a restart
 *       ({@code ALIVE -> ALIVE}, {@code RESTARTED}), seen even if the node came back before anyone
 *       noticed.
 * </ol>
 * Every change is a {@link io.pulse.core.Transition} with its {@link io.pulse.core.Transition.Reason};
 * the states are those of {@link io.pulse.core.Liveness}.
 *
 * <p>RTTs come from direct probes only (a relayed answer gives none) and are measured on the
 * clock, not on ticks. Every ACK carries the responder's receive and send timestamps, so the clock
 * offset is estimated NTP-style from the minimum-delay sample of the last 8, with its error bound
 * (half that sample's delay). HTTP and TCP targets go through the same rounds, retries, SUSPECT,
 * DEAD and recovery; they have no indirect probes (nobody else can relay an HTTP GET for us).
 *
 * <table class="striped">
 *   <caption>{@link io.pulse.core.DetectorConfig}: parameters, defaults and meanings</caption>
 *   <thead><tr><th>parameter</th><th>default</th><th>meaning</th></tr></thead>
 *   <tbody>
 *     <tr><td>{@code probeInterval}</td><td>1 s</td><td>time between the starts of two probe rounds of one target</td></tr>
 *     <tr><td>{@code probeTimeoutMin}</td><td>200 ms</td><td>floor of the adaptive probe timeout</td></tr>
 *     <tr><td>{@code probeTimeoutMax}</td><td>500 ms</td><td>ceiling of the adaptive probe timeout (also before any RTT sample)</td></tr>
 *     <tr><td>{@code maxRetries}</td><td>2</td><td>direct PING retries per round</td></tr>
 *     <tr><td>{@code indirectProbes}</td><td>3</td><td>peers asked to probe through PING_REQ (k)</td></tr>
 *     <tr><td>{@code suspicionTimeout}</td><td>1 s</td><td>how long a SUSPECT has to answer before it is DEAD</td></tr>
 *     <tr><td>{@code deadProbeInterval}</td><td>5 s</td><td>probe interval of DEAD nodes</td></tr>
 *     <tr><td>{@code jitterRatio}</td><td>0.1</td><td>&plusmn; share of the interval added at random to each round</td></tr>
 *     <tr><td>{@code localHealthMaxMultiplier}</td><td>8</td><td>the most local health stretches timeouts and intervals; 1 turns it off</td></tr>
 *   </tbody>
 * </table>
 * {@link io.pulse.core.TargetOptions} overrides the interval, the retries and the timeout ceiling
 * per target.
 *
 * <p>With the defaults, a node that crashes is declared DEAD at most
 * {@link io.pulse.core.DetectorConfig#worstCaseDetection()} = 5.1 s later (next round, a failed
 * round, the suspicion timeout, the round in flight); on a LAN, where the probe timeout sits at
 * its 200 ms floor, rounds last 600 ms and it is about 3.3 s at worst.
 *
 * <h2>Local health</h2>
 * After <a href="https://arxiv.org/abs/1707.00788">Lifeguard</a> (Dadgar, Phillips and Currey,
 * 2018): a round whose PING_REQ peers all stayed
 * silent, not even a NACK, says more about the monitor (its network, its CPU, a host it shares
 * with the peers) than about the target. Such rounds raise a score, rounds answered in time lower
 * it (weighted so that it rises while more than one round in ten ends that way), and the
 * multiplier, 1 when healthy and at most {@code localHealthMaxMultiplier}, stretches the probe
 * timeouts, {@code probeInterval} and {@code deadProbeInterval}. An overloaded monitor thus sends
 * fewer probes and waits longer, instead of multiplying its load with retries and PING_REQs until
 * it never catches up; it shrinks back as rounds are answered. The bounds above hold at multiplier
 * 1; {@link io.pulse.core.PulseCore#localHealthMultiplier()} reads it.
 *
 * <h2>Answering</h2>
 * The responder half ACKs every PING with this node's incarnation (the wall clock in epoch
 * milliseconds at start, so it grows across restarts) and relays PING_REQs: it probes the target
 * itself and passes the ACK back, or a NACK when the target stays silent. Sequence numbers are
 * random 64-bit nonces, so an answer proves it answers a request this node sent. A PING_REQ is
 * relayed for watched nodes, members and authenticated peers, for other requesters as the
 * driver's relay policy allows, and only to targets that policy allows
 * ({@link io.pulse.core.RelayPolicy#targets}: never multicast, broadcast or unspecified addresses,
 * loopback only from a node on loopback); no requester holds more than a bounded share of the
 * relay table. Answers to requests this node did not make are rate-limited per source and in all;
 * the ACKs to its own probes never are, so a flood costs answers, not detection.
 *
 * <h2>Cluster mode</h2>
 * With {@link io.pulse.core.PulseCore#startCluster}, this node is a member of a group that agrees on
 * its membership (see {@link io.pulse.core.ClusterConfig} for the parameters, docs/cluster.md for
 * the whole story). The group holds one {@link io.pulse.core.Configuration} at a time, the same at
 * every member; it orders the members on K rings, and each member observes its successors with the
 * probe rounds above ({@code Membership} runs a private detector for them). An observer that finds
 * a subject down alerts the coordinators ({@code AlertOutbox}); the coordinator counts reports per
 * member ({@code CutDetector}, Rapid's multi-observer cut detection with its H and L watermarks) and,
 * when the cut is stable, gets the change decided by a majority of the configuration
 * ({@code Agreement}, Paxos with both phases every ballot). Joins (proven by a cookie, or a MAC),
 * leaves and restarts are changes too. Every member applies a decided change the same way
 * ({@link io.pulse.core.Configuration}'s {@code apply}, which also keeps what the configuration
 * remembers of members away, and who is flapping), and the change's publisher raises its events,
 * with a backup ready when it does not confirm them ({@code Publication}). The configuration rides
 * on every PING and ACK; a member behind, or removed, catches up from the first member that shows a
 * newer one ({@code ConfigTransfer}) and joins again if it is out. A side without a majority decides
 * nothing.
 *
 * <p>Nulls: parameters and results are non-null unless their javadoc says otherwise.
 */
package io.pulse.core;
