package io.pulse.events;

/**
 * No writer schema with this fingerprint could be found: the value was written by a Pulse whose
 * schema this reader neither ships nor found in the schemas topic.
 *
 * <pre>{@code
 * throw new UnknownWriterSchemaException(fingerprint, "not in topic pulse.schemas");
 * }</pre>
 */
public final class UnknownWriterSchemaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long fingerprint;

    public UnknownWriterSchemaException(long fingerprint, String why) {
        super("unknown writer schema " + SchemaTopic.key(fingerprint) + ": " + why);
        this.fingerprint = fingerprint;
    }

    /** The fingerprint as single-object encoding carries it. */
    public long fingerprint() {
        return fingerprint;
    }
}
