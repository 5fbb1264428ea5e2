package io.pulse.kafka;

import org.apache.kafka.common.KafkaException;

/** An existing topic is configured in a way that would lose or misorder what Pulse publishes. */
public final class TopicConfigException extends KafkaException {
    private static final long serialVersionUID = 1L;

    public TopicConfigException(String message) {
        super(message);
    }
}
