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

    private Termination() {}

    /** Exit code when a second signal cuts the orderly shutdown short. */
    static final int INTERRUPTED_SHUTDOWN = 1;

    /** Handles SIGTERM and SIGINT from now on: the first starts the shutdown, a second ends the process at once. */
    static Termination install() {
        Termination termination = new Termination();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), signal -> {
                if (termination.signalled.getCount() == 0) {
                    System.err.println("pulse: second SIG" + signal.getName() + ", exiting without waiting for Kafka;"
                            + " the outbox keeps what was not sent");
                    Runtime.getRuntime().halt(INTERRUPTED_SHUTDOWN);
                }
                termination.signalled.countDown();
            });
        }
        return termination;
    }

    boolean signalled() {
        return signalled.getCount() == 0;
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
