package io.pulse.events.serde;

import io.pulse.events.StatusChange;
import org.apache.kafka.common.serialization.Serdes;

/**
 * {@link StatusChangeSerializer} and {@link StatusChangeDeserializer} as one Kafka {@code Serde}.
 *
 * <pre>{@code
 * StatusChangeSerde serde = new StatusChangeSerde();
 * serde.configure(Map.of("bootstrap.servers", "kafka-1:9092"), false);
 * builder.table("pulse.status", Consumed.with(Serdes.String(), serde));
 * }</pre>
 */
public final class StatusChangeSerde extends Serdes.WrapperSerde<StatusChange> {
    public StatusChangeSerde() {
        super(new StatusChangeSerializer(), new StatusChangeDeserializer());
    }
}
