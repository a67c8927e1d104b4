package io.streamrepeater.control.webhooks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.ChannelEvent;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each channel's events to the channel's webhooks: a POST of the event as JSON (the same JSON
 * as the server-sent events), signed ({@link WebhookSignature}), retried on the {@link RetrySchedule}.
 *
 * <p>{@link #publish} is what a channel's event listener calls, on the channel's event loop: it only
 * appends to each webhook's bounded queue and never blocks or does I/O. Delivery runs on one timer
 * thread and the HTTP client's own threads. Each webhook gets its channel's events in order, one
 * request at a time.
 */
public final class WebhookDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    /** Events waiting per webhook: minutes of a busy channel's events while a receiver is down. */
    public static final int DEFAULT_QUEUE_CAPACITY = 256;

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final RetrySchedule schedule;
    private final int queueCapacity;
    private final Duration requestTimeout;
    /**
     * Built with the first webhook: the JDK's client starts a selector thread that wakes every few seconds for as long
     * as the client lives, which a server without webhooks should not pay for. Guarded by this.
     */
    private HttpClient http;

    private final ScheduledExecutorService timer;
    private final ObjectMapper json = new ObjectMapper();
    private final DeliveryCounters counters = new DeliveryCounters();
    private final Map<String, List<WebhookEndpoint>> endpoints = new ConcurrentHashMap<>();

    /** A dispatcher with the default schedule (5 tries over about a minute), queue and timeout. */
    public WebhookDispatcher() {
        this(RetrySchedule.defaults(), DEFAULT_QUEUE_CAPACITY, DEFAULT_REQUEST_TIMEOUT);
    }

    /**
     * @param schedule when failed deliveries are tried again
     * @param queueCapacity events that may wait per webhook, at least 1; more are dropped and counted
     * @param requestTimeout how long one try may take, connection included, positive
     */
    public WebhookDispatcher(RetrySchedule schedule, int queueCapacity, Duration requestTimeout) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("webhook queueCapacity " + queueCapacity + " must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("webhook requestTimeout " + requestTimeout + " must be positive");
        }
        this.queueCapacity = queueCapacity;
        this.requestTimeout = requestTimeout;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "webhook-dispatcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(
                            requestTimeout.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? requestTimeout : MAX_CONNECT_TIMEOUT)
                    .build();
        }
        return http;
    }

    /** Whether the HTTP client (and its selector thread) has been built: not before the first webhook (tests). */
    synchronized boolean httpClientBuilt() {
        return http != null;
    }

    /**
     * Sets a channel's webhooks. A webhook whose URL and secret are unchanged keeps its queue and the
     * delivery in progress; a removed or changed one stops (its waiting events are dropped and counted).
     *
     * @param webhooks the channel's webhooks; empty removes them all
     */
    public synchronized void configure(String channel, List<WebhookConfig> webhooks) {
        List<WebhookEndpoint> before = endpoints.getOrDefault(channel, List.of());
        List<WebhookEndpoint> after = new ArrayList<>();
        for (WebhookConfig config : webhooks) {
            WebhookEndpoint kept = before.stream()
                    .filter(e -> e.config().equals(config))
                    .findFirst()
                    .orElse(null);
            after.add(
                    kept != null
                            ? kept
                            : new WebhookEndpoint(
                                    channel,
                                    config,
                                    http(),
                                    timer,
                                    schedule,
                                    requestTimeout,
                                    json,
                                    counters,
                                    queueCapacity));
        }
        for (WebhookEndpoint old : before) {
            if (!after.contains(old)) {
                old.close();
            }
        }
        if (after.isEmpty()) {
            endpoints.remove(channel);
        } else {
            counters.register(channel);
            endpoints.put(channel, List.copyOf(after));
        }
        if (!before.isEmpty() || !after.isEmpty()) {
            LOG.info(
                    "event=webhooks-configured channel={} webhooks={}",
                    channel,
                    after.stream().map(e -> e.config().maskedUrl()).toList());
        }
    }

    /** Stops a deleted channel's webhooks. */
    public void remove(String channel) {
        configure(channel, List.of());
    }

    /**
     * Hands an event to its channel's webhooks. Never blocks: safe on a channel's event loop.
     *
     * @param event an event of any channel; one without webhooks is ignored
     */
    public void publish(ChannelEvent event) {
        List<WebhookEndpoint> targets = endpoints.get(event.channel());
        if (targets == null) {
            return;
        }
        for (WebhookEndpoint target : targets) {
            target.offer(event);
        }
    }

    /** @return outcomes per channel since start, for the metrics */
    public List<DeliveryCount> deliveryCounts() {
        return counters.snapshot();
    }

    /** Stops every delivery; waiting events are dropped (counted). */
    @Override
    public synchronized void close() {
        endpoints.values().forEach(list -> list.forEach(WebhookEndpoint::close));
        endpoints.clear();
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
