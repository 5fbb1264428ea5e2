package io.pulse.transport.probe;

/** The probers' counters while they run; confined to the event loop, read as {@link ProbeCounters}. */
final class Tally {
    long httpProbes;
    long tcpProbes;
    long succeeded;
    long failed;
    long timeouts;
    long invalidHealthBodies;
    long healthNotOk;
    long connectionsOpened;
    long connectionsReused;
    long staleRetries;
    int openConnections;
    int probesInFlight;

    ProbeCounters snapshot() {
        return new ProbeCounters(
                httpProbes,
                tcpProbes,
                succeeded,
                failed,
                timeouts,
                invalidHealthBodies,
                healthNotOk,
                connectionsOpened,
                connectionsReused,
                staleRetries,
                openConnections,
                probesInFlight);
    }
}
