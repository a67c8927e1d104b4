package io.streamrepeater.control.webhooks;

import java.util.Locale;

/** How a webhook delivery ended; the {@code outcome} label of {@code streamrepeater_webhook_deliveries_total}. */
public enum WebhookOutcome {
    /** A 2xx answer. */
    DELIVERED,
    /** The receiver refused it (a 4xx other than 408/429, or a redirect); not retried. */
    REJECTED,
    /** Every try of the {@link RetrySchedule} failed (5xx, 408, 429, timeout, connection error). */
    FAILED,
    /** Never sent: the webhook's queue was full, or the webhook was removed or the server stopped first. */
    DROPPED;

    /** @return the label value, e.g. {@code delivered} */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
