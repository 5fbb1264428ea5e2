package io.pulse.core;

/**
 * Which agreed cluster configuration a message speaks of: its epoch (1 for the first, one more per
 * decided change) and its id (a hash of its content, see {@link Configuration#id()}). Every PING
 * and ACK carries the sender's, so that a member that is behind, or was removed, learns it from
 * its first exchange with a member of the current configuration.
 *
 * <pre>{@code
 * if (theirs.newerThan(mine)) fetchConfiguration(from, theirs);
 * }</pre>
 *
 * @param epoch 0 for {@link #NONE} (static mode, or a member still joining), else at least 1
 */
public record ConfigRef(long epoch, long id) {
    /** No configuration: a static monitor, a responder, or a member that has not joined yet. */
    public static final ConfigRef NONE = new ConfigRef(0, 0);

    public ConfigRef {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        if (epoch == 0 && id != 0) {
            throw new IllegalArgumentException("epoch 0 is NONE, whose id is 0; got id " + Long.toHexString(id));
        }
    }

    public boolean isNone() {
        return epoch == 0;
    }

    /** A later epoch than {@code other}'s: decided after it. */
    public boolean newerThan(ConfigRef other) {
        return epoch > other.epoch;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : epoch + "/" + String.format("%016x", id);
    }

    /** The configuration an agreement message (ALERT, ALERT_ACK, the Paxos round, PUBLISHED) belongs to; null for others. */
    static ConfigRef namedBy(Message message) {
        if (message instanceof Message.Alert m) {
            return m.config();
        } else if (message instanceof Message.AlertAck m) {
            return m.config();
        } else if (message instanceof Message.Prepare m) {
            return m.config();
        } else if (message instanceof Message.Promise m) {
            return m.config();
        } else if (message instanceof Message.Accept m) {
            return m.config();
        } else if (message instanceof Message.Accepted m) {
            return m.config();
        } else if (message instanceof Message.Published m) {
            return m.config();
        }
        return null;
    }
}
