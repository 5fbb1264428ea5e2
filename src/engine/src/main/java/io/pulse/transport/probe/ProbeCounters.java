package io.pulse.transport.probe;

/**
 * What the HTTP and TCP probers did since the engine started: a snapshot.
 *
 * <pre>{@code
 * ProbeCounters c = engine.probeCounters();
 * if (c.invalidHealthBodies() > 0) log.warn("a target answers 2xx with an unreadable health body");
 * }</pre>
 *
 * @param httpProbes          HTTP attempts started
 * @param tcpProbes           TCP attempts started
 * @param succeeded           attempts reported as successful
 * @param failed              attempts reported as failed, timeouts included
 * @param timeouts            attempts that ran out of time
 * @param invalidHealthBodies 2xx answers whose JSON body could not be read: healthy, but no clock sample
 * @param healthNotOk         2xx answers whose body said {@code "ok": false}: counted as failed
 * @param connectionsOpened   connections opened (HTTP and TCP)
 * @param connectionsReused   HTTP attempts that ran on a kept-alive connection
 * @param staleRetries        HTTP attempts retried on a new connection because a kept-alive one
 *                            had been closed by the server before it answered
 * @param openConnections     connections open now, idle ones included
 * @param probesInFlight      attempts not finished yet
 */
public record ProbeCounters(
        long httpProbes,
        long tcpProbes,
        long succeeded,
        long failed,
        long timeouts,
        long invalidHealthBodies,
        long healthNotOk,
        long connectionsOpened,
        long connectionsReused,
        long staleRetries,
        int openConnections,
        int probesInFlight) {}
