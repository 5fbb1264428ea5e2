package io.pulse.kafka;

import org.apache.kafka.common.KafkaException;

/**
 * An existing topic is configured in a way that would lose what Pulse publishes; the message
 * names the topic, the setting, its value, the expected value and the command that fixes it.
 *
 * <pre>{@code
 * try {
 *     publisher = PulsePublisher.builder()...build();
 * } catch (TopicConfigException e) {
 *     exit(e.getMessage());  // "topic pulse.status has cleanup.policy=delete (expected: compact): ..."
 * }
 * }</pre>
 */
public final class TopicConfigException extends KafkaException {
    private static final long serialVersionUID = 1L;

    public TopicConfigException(String message) {
        super(message);
    }
}
