package io.pulse.kafka;

/**
 * A snapshot of the publisher's counters, for metrics and logs.
 *
 * <pre>{@code
 * PublisherStats stats = publisher.stats();
 * gauge("pulse_outbox_pending_events", stats.pendingEvents());
 * }</pre>
 *
 * @param published      events journaled since start
 * @param acknowledged   events Kafka acknowledged since start (a resent event may count twice)
 * @param dropped        events refused since start because the outbox was full or could not be written
 * @param failedSends    send attempts that failed since start (they are sent again)
 * @param poisoned       journaled events dropped because Kafka refused them for good (larger than the broker
 *                       accepts, for one) or their journal entry could not be read back
 * @param pendingEvents  events in the outbox that Kafka has not acknowledged
 * @param pendingBytes   their size in the outbox
 * @param maxBytes       the outbox bound, {@code pulse.outbox.max.bytes}
 * @param outboxCorruptions outboxes found damaged at start, moved aside to {@code <dir>.corrupt-<time>} and
 *                       replaced by an empty one (their events were not sent): 0 or 1
 * @param lostEvents     events found missing at start from a damaged write-ahead log of the outbox, not sent (an
 *                       upper bound: some may have been sent before the crash)
 * @param heartbeatsSent heartbeats Kafka acknowledged since start ({@code pulse.heartbeat.interval.ms})
 * @param heartbeatsDropped heartbeats not sent since start: Kafka had not taken the previous one yet, or
 *                       refused it (heartbeats are not journaled: the next one replaces a dropped one)
 */
public record PublisherStats(
        long published,
        long acknowledged,
        long dropped,
        long failedSends,
        long poisoned,
        long pendingEvents,
        long pendingBytes,
        long maxBytes,
        long outboxCorruptions,
        long lostEvents,
        long heartbeatsSent,
        long heartbeatsDropped) {}
