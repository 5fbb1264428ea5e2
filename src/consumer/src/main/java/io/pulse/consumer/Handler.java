package io.pulse.consumer;

/**
 * Reacts to one event. It may throw: the consumer retries it with backoff, and after the last
 * attempt sends the record to the dead-letter topic.
 *
 * <pre>{@code
 * Handler<FailureMessage> page = failure -> pager.page(failure.getNodeId() + " is down");
 * }</pre>
 */
@FunctionalInterface
public interface Handler<T> {
    void handle(T event) throws Exception;
}
