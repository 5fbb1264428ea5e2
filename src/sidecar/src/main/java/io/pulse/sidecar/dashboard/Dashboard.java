package io.pulse.sidecar.dashboard;

import io.pulse.sidecar.http.ApiLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Objects;
import java.util.Properties;

/**
 * The ops dashboard: a live web page of every node's state, the timeline of the last hour and the
 * evidence of each failure, fed from Kafka alone (read-only: no consumer group, no commits, no
 * topic created) and served from the jar, with Server-Sent Events for live updates.
 *
 * <pre>{@code
 * try (Dashboard dashboard = Dashboard.start(TopicTail.consumerProperties(config), "pulse",
 *         new InetSocketAddress("127.0.0.1", 8080), HistoryLimits.defaults())) {
 *     System.out.println("Dashboard on " + dashboard.url());
 *     ...
 * }
 * }</pre>
 */
public final class Dashboard implements AutoCloseable {
    private final DashboardModel model;
    private final KafkaFeed feed;
    private final DashboardServer server;
    private final boolean https;

    private Dashboard(DashboardModel model, KafkaFeed feed, DashboardServer server, boolean https) {
        this.model = model;
        this.feed = feed;
        this.server = server;
        this.https = https;
    }

    /** {@link #start(Properties, String, InetSocketAddress, HistoryLimits, ApiLimits)} with no token, no TLS. */
    public static Dashboard start(
            Properties consumer, String topicPrefix, InetSocketAddress bind, HistoryLimits limits) {
        return start(consumer, topicPrefix, bind, limits, ApiLimits.defaults());
    }

    /**
     * Binds {@code bind} (port 0 for a free one), then starts reading Kafka.
     *
     * @param consumer Kafka consumer properties (bootstrap servers, TLS, SASL); a group id is not used
     * @param http     the page's connection caps and timeouts; its token (the login page asks for it) and
     *                 TLS, if any
     * @throws IllegalStateException if {@code bind} cannot be bound
     */
    public static Dashboard start(
            Properties consumer, String topicPrefix, InetSocketAddress bind, HistoryLimits limits, ApiLimits http) {
        Objects.requireNonNull(consumer, "consumer");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(http, "http");
        if (bind == null || bind.isUnresolved()) {
            throw new IllegalArgumentException("bind must be a resolved address, got " + bind);
        }
        Clock clock = Clock.systemUTC();
        DashboardModel model = new DashboardModel(limits, clock);
        DashboardServer server = DashboardServer.start(bind, model, http, clock);
        KafkaFeed feed;
        try {
            feed = new KafkaFeed(consumer, topicPrefix, model, clock);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        feed.start();
        return new Dashboard(model, feed, server, http.tls().isPresent());
    }

    /** The page's address, e.g. {@code http://127.0.0.1:8080/} ({@code https} with TLS). */
    public URI url() {
        InetSocketAddress address = server.localAddress();
        String host = address.getAddress().getHostAddress();
        return URI.create((https ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + address.getPort() + "/");
    }

    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** What the page shows, for tests and for a program that embeds the dashboard. */
    public DashboardModel model() {
        return model;
    }

    /** Stops serving, then stops reading Kafka. */
    @Override
    public void close() {
        server.close();
        feed.close();
    }
}
