package io.streamrepeater.control.webhooks;

/** The headers of a webhook request, a contract with receivers (README, "Webhooks"). */
public final class WebhookHeaders {
    /** {@code sha256=HEX}: see {@link WebhookSignature}. */
    public static final String SIGNATURE = "X-StreamRepeater-Signature";
    /** The event type as in the server-sent events: {@code input_up}, {@code switch}, … */
    public static final String EVENT = "X-StreamRepeater-Event";
    /** A UUID per delivery, the same on every retry of it: receivers use it to ignore duplicates. */
    public static final String DELIVERY = "X-StreamRepeater-Delivery";
    /** 1 for the first try, then 2, 3, … on retries. */
    public static final String ATTEMPT = "X-StreamRepeater-Attempt";

    private WebhookHeaders() {}
}
