package io.pulse.consumer;

import io.pulse.events.EventDecoder;
import io.pulse.events.EventDecodingException;
import io.pulse.events.EventHeaders;
import io.pulse.events.FailureMessage;
import io.pulse.events.StatusChange;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one record: decode, drop a duplicate, call the handler with retries, and
 * dead-letter what cannot be handled. Runs on the consumer's thread only; its counters may be read
 * from any thread.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final String failuresTopic;
    private final EventDecoder decoder;
    private final Handler<FailureMessage> onFailure;
    private final Handler<StatusChange> onStatusChange;
    private final Handler<String> onRemoved;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final RecentIds recentIds;
    private final DeadLetters deadLetters;
    private final CountDownLatch closing;
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();

    Dispatcher(ConsumerSettings settings, DeadLetters deadLetters, CountDownLatch closing, EventDecoder decoder) {
        this.decoder = decoder;
        this.failuresTopic = settings.failuresTopic();
        this.onFailure = settings.onFailure();
        this.onStatusChange = settings.onStatusChange();
        this.onRemoved = settings.onRemoved();
        this.maxAttempts = settings.maxAttempts();
        this.initialBackoff = settings.retryBackoff();
        this.maxBackoff = settings.maxRetryBackoff();
        this.recentIds = new RecentIds(settings.dedupCapacity());
        this.deadLetters = deadLetters;
        this.closing = closing;
    }

    /**
     * Handles one record to the end: handled, dropped as a duplicate, or dead-lettered.
     * Returns false only if the consumer is closing mid-retry: the record is then not done, and
     * its offset must not be committed.
     */
    boolean dispatch(ConsumerRecord<String, byte[]> record) throws InterruptedException {
        Runnable call;
        String eventId;
        try {
            if (record.topic().equals(failuresTopic)) {
                FailureMessage failure = decoder.decodeFailure(record.value());
                eventId = failure.getEventId().toString();
                call = () -> invoke(onFailure, failure);
            } else if (record.value() == null) {
                eventId = header(record, EventHeaders.EVENT_ID);
                String node = requireKey(record);
                call = () -> invoke(onRemoved, node);
            } else {
                StatusChange change = decoder.decodeStatusChange(record.value());
                eventId = change.getEventId().toString();
                call = () -> invoke(onStatusChange, change);
            }
        } catch (EventDecodingException e) {
            LOG.warn(
                    "undecodable record {}-{}@{} goes to the dead-letter topic: {}",
                    record.topic(),
                    record.partition(),
                    record.offset(),
                    e.getMessage());
            deadLetters.send(record, e, 0);
            deadLettered.incrementAndGet();
            return true;
        }
        if (eventId != null && !recentIds.firstSighting(eventId)) {
            duplicates.incrementAndGet();
            return true;
        }
        Duration backoff = initialBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                handled.incrementAndGet();
                return true;
            } catch (HandlerFailure failure) {
                Throwable cause = failure.getCause();
                if (attempt >= maxAttempts) {
                    LOG.warn(
                            "handler failed {} times on {}-{}@{}; record goes to the dead-letter topic",
                            attempt,
                            record.topic(),
                            record.partition(),
                            record.offset(),
                            cause);
                    deadLetters.send(record, cause, attempt);
                    deadLettered.incrementAndGet();
                    return true;
                }
                if (closing.await(backoff.toNanos(), TimeUnit.NANOSECONDS)) {
                    return false;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    long handled() {
        return handled.get();
    }

    long duplicates() {
        return duplicates.get();
    }

    long deadLettered() {
        return deadLettered.get();
    }

    private static <T> void invoke(Handler<T> handler, T event) {
        try {
            handler.handle(event);
        } catch (Exception e) {
            throw new HandlerFailure(e);
        }
    }

    private static String requireKey(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            throw new EventDecodingException("tombstone without a key (expected: the removed node's id)", null);
        }
        return record.key();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Carries a handler's exception out of the lambda. */
    private static final class HandlerFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        HandlerFailure(Exception cause) {
            super(cause);
        }
    }
}
