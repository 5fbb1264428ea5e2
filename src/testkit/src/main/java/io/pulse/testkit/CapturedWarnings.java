package io.pulse.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects the WARN and ERROR messages one class logs while it is open, for a test that must
 * prove something went quietly right (or loudly wrong).
 *
 * <pre>{@code
 * try (CapturedWarnings warnings = new CapturedWarnings(PulseConsumer.class)) {
 *     ...
 *     assertEquals(List.of(), warnings.messages());
 * }
 * }</pre>
 */
public final class CapturedWarnings implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig config;
    private final AbstractAppender appender;

    public CapturedWarnings(Class<?> source) {
        String loggerName = source.getName();
        this.appender =
                new AbstractAppender(
                        "captured-" + loggerName + "-" + System.identityHashCode(this),
                        null,
                        null,
                        true,
                        Property.EMPTY_ARRAY) {
                    @Override
                    public void append(LogEvent event) {
                        if (loggerName.equals(event.getLoggerName())) {
                            messages.add(
                                    event.getLevel() + " " + event.getMessage().getFormattedMessage());
                        }
                    }
                };
        appender.start();
        this.config = context.getConfiguration().getLoggerConfig(loggerName);
        config.addAppender(appender, Level.WARN, null);
        context.updateLoggers();
    }

    /** "LEVEL message", in the order they were logged. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
