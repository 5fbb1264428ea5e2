package io.pulse.transport.health;

/** Lets tests of other packages format a health body exactly as the handler does. */
public final class HealthHandlerAccess {
    private HealthHandlerAccess() {}

    public static String body(boolean ok, long epochNanos) {
        return HealthHandler.body(ok, epochNanos);
    }
}
