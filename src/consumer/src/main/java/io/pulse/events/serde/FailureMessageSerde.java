package io.pulse.events.serde;

import io.pulse.events.FailureMessage;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link FailureMessageSerializer} and {@link FailureMessageDeserializer} as one Kafka {@code Serde}.
 *
 * <pre>{@code
 * FailureMessageSerde serde = new FailureMessageSerde();
 * serde.configure(Map.of("bootstrap.servers", "kafka-1:9092"), false);
 * builder.stream("pulse.failures", Consumed.with(Serdes.String(), serde));
 * }</pre>
 */
public final class FailureMessageSerde extends Serdes.WrapperSerde<FailureMessage> {
    public FailureMessageSerde() {
        super(new FailureMessageSerializer(), new FailureMessageDeserializer());
    }
}
