package io.pulse.sidecar.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * Waits for SIGTERM or SIGINT, so that a command can shut down in order (stop probing, flush the
 * outbox, close Kafka) and then exit 0, instead of the JVM's default exit code 143 from shutdown
 * hooks racing each other.
 */
final class Termination {
    private final CountDownLatch signalled = new CountDownLatch(1);

    private Termination() {
    }

    /** Handles SIGTERM and SIGINT from now on. */
    static Termination install() {
        Termination termination = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> termination.signalled.countDown());
        }
        return termination;
    }

    /** Blocks until a signal arrived (or the thread is interrupted). */
    void await() {
        try {
            signalled.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
