package io.streamrepeater.control.webhooks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamrepeater.control.config.WebhookConfig;
import io.streamrepeater.status.ChannelEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One webhook of one channel: a bounded queue of its events, delivered one at a time and in order
 * (a receiver sees {@code input_up} before the {@code switch} it caused), each retried on the
 * {@link RetrySchedule} before the next is sent.
 *
 * <p>{@link #offer} never blocks: it is called on a channel's event loop. Overflow drops the new
 * event, counts it and warns at most every {@value #WARNING_INTERVAL_SECONDS} s. Requests go out
 * through the shared {@link HttpClient}; waits and the next delivery run on the dispatcher's timer.
 */
final class WebhookEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookEndpoint.class);
    static final long WARNING_INTERVAL_SECONDS = 10;
    static final String USER_AGENT = "StreamRepeater-Webhook/1";

    private final String channel;
    private final WebhookConfig config;
    private final URI uri;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final RetrySchedule schedule;
    private final Duration requestTimeout;
    private final ObjectMapper json;
    private final DeliveryCounters counters;
    private final int capacity;
    private final ArrayDeque<ChannelEvent> queue;
    private boolean busy;
    private boolean closed;
    private long droppedSinceWarning;
    private long lastWarningNanos;
    private boolean warnedOnce;

    /** A serialized event on its way, with the id all its tries share. */
    private record Delivery(String id, String event, byte[] body) {}

    /**
     * @param capacity events waiting behind the one being delivered, at least 1
     */
    WebhookEndpoint(
            String channel,
            WebhookConfig config,
            HttpClient http,
            ScheduledExecutorService timer,
            RetrySchedule schedule,
            Duration requestTimeout,
            ObjectMapper json,
            DeliveryCounters counters,
            int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("webhook queue capacity " + capacity + " must be at least 1");
        }
        this.channel = channel;
        this.config = config;
        this.uri = URI.create(config.url());
        this.http = http;
        this.timer = timer;
        this.schedule = schedule;
        this.requestTimeout = requestTimeout;
        this.json = json;
        this.counters = counters;
        this.capacity = capacity;
        this.queue = new ArrayDeque<>(Math.min(capacity, 64));
    }

    WebhookConfig config() {
        return config;
    }

    /** Queues an event for delivery; never blocks. A full queue drops the event (counted, warned). */
    void offer(ChannelEvent event) {
        boolean accepted;
        boolean start = false;
        long droppedToReport = 0;
        synchronized (this) {
            if (closed) {
                return;
            }
            accepted = queue.size() < capacity;
            if (accepted) {
                queue.addLast(event);
                start = !busy;
                busy = true;
            } else {
                droppedSinceWarning++;
                long now = System.nanoTime();
                if (lastWarningNanos == 0
                        || now - lastWarningNanos >= TimeUnit.SECONDS.toNanos(WARNING_INTERVAL_SECONDS)) {
                    lastWarningNanos = now == 0 ? 1 : now;
                    droppedToReport = droppedSinceWarning;
                    droppedSinceWarning = 0;
                }
            }
        }
        if (!accepted) {
            counters.count(channel, WebhookOutcome.DROPPED);
            if (droppedToReport > 0) {
                LOG.warn(
                        "event=webhook-queue-full channel={} url={} capacity={} dropped={} (events are dropped while"
                                + " the receiver is slower than the channel's events)",
                        channel,
                        config.maskedUrl(),
                        capacity,
                        droppedToReport);
            }
        }
        if (start) {
            run(this::next);
        }
    }

    /** Stops delivering: what is queued is dropped (counted); a try in flight ends without a retry. */
    void close() {
        int dropped;
        synchronized (this) {
            closed = true;
            dropped = queue.size();
            queue.clear();
        }
        for (int i = 0; i < dropped; i++) {
            counters.count(channel, WebhookOutcome.DROPPED);
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /** Takes the next event, if any, and makes its first try; clears {@code busy} when there is none. */
    private void next() {
        ChannelEvent event;
        synchronized (this) {
            event = closed ? null : queue.pollFirst();
            if (event == null) {
                busy = false;
                return;
            }
        }
        Delivery delivery;
        try {
            delivery = new Delivery(
                    UUID.randomUUID().toString(),
                    event.type().name().toLowerCase(Locale.ROOT),
                    json.writeValueAsBytes(event));
        } catch (JsonProcessingException e) {
            LOG.error(
                    "event=webhook-serialize-error channel={} type={} error=\"{}\"",
                    channel,
                    event.type(),
                    e.toString());
            counters.count(channel, WebhookOutcome.FAILED);
            run(this::next);
            return;
        }
        attempt(delivery, 1);
    }

    private void attempt(Delivery delivery, int attempt) {
        if (isClosed()) {
            finish(WebhookOutcome.DROPPED);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(requestTimeout)
                .header("Content-Type", "application/json")
                .header("User-Agent", USER_AGENT)
                .header(WebhookHeaders.EVENT, delivery.event())
                .header(WebhookHeaders.DELIVERY, delivery.id())
                .header(WebhookHeaders.ATTEMPT, Integer.toString(attempt))
                .header(WebhookHeaders.SIGNATURE, WebhookSignature.of(config.secret(), delivery.body()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(delivery.body()))
                .build();
        try {
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> answered(delivery, attempt, response, error));
        } catch (RuntimeException e) {
            answered(delivery, attempt, null, e);
        }
    }

    private void answered(Delivery delivery, int attempt, HttpResponse<Void> response, Throwable error) {
        ResponseVerdict verdict = error != null ? ResponseVerdict.RETRY : ResponseVerdict.of(response.statusCode());
        String what = error != null ? "error=\"" + describe(error) + "\"" : "status=" + response.statusCode();
        switch (verdict) {
            case DELIVERED -> finish(WebhookOutcome.DELIVERED);
            case GIVE_UP -> {
                LOG.warn(
                        "event=webhook-rejected channel={} url={} type={} delivery={} attempt={} {}",
                        channel,
                        config.maskedUrl(),
                        delivery.event(),
                        delivery.id(),
                        attempt,
                        what);
                finish(WebhookOutcome.REJECTED);
            }
            case RETRY -> {
                Optional<Duration> wait = schedule.delayBefore(attempt + 1);
                if (wait.isEmpty() || isClosed()) {
                    LOG.warn(
                            "event=webhook-failed channel={} url={} type={} delivery={} attempts={} {}",
                            channel,
                            config.maskedUrl(),
                            delivery.event(),
                            delivery.id(),
                            attempt,
                            what);
                    finish(isClosed() ? WebhookOutcome.DROPPED : WebhookOutcome.FAILED);
                } else {
                    LOG.info(
                            "event=webhook-retry channel={} url={} type={} delivery={} attempt={} {} retryInMs={}",
                            channel,
                            config.maskedUrl(),
                            delivery.event(),
                            delivery.id(),
                            attempt,
                            what,
                            wait.get().toMillis());
                    schedule(() -> attempt(delivery, attempt + 1), wait.get());
                }
            }
        }
    }

    private void finish(WebhookOutcome outcome) {
        counters.count(channel, outcome);
        run(this::next);
    }

    private void run(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            stopped();
        }
    }

    private void schedule(Runnable task, Duration delay) {
        try {
            timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            stopped();
        }
    }

    /** The dispatcher is closed: nothing more will be sent. */
    private void stopped() {
        close();
        synchronized (this) {
            busy = false;
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                ? error.getCause()
                : error;
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null ? "" : ": " + message.replace('"', '\''));
    }
}
