package io.pulse.events;

/**
 * The schema registry could not be asked, or answered with an error: it is unreachable, it did
 * not answer in time, or it answered an HTTP error with its {@code error_code} and {@code message}.
 *
 * <pre>{@code
 * catch (SerializationException e) {
 *     if (e.getCause() instanceof SchemaRegistryException registry && registry.errorCode() == 40403) ...
 * }
 * }</pre>
 */
public final class SchemaRegistryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** 0: no answer (unreachable, timed out), or one without an {@code error_code}. */
    private final int errorCode;

    SchemaRegistryException(String message, int errorCode, Throwable cause) {
        super(message, cause);
        this.errorCode = errorCode;
    }

    /** The registry's {@code error_code} (40403: schema not found, 40401: subject not found), or 0. */
    public int errorCode() {
        return errorCode;
    }
}
