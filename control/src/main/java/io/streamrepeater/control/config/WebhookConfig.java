package io.streamrepeater.control.config;

/**
 * One receiver of a channel's events: each event is POSTed to {@code url} as JSON, signed with
 * HMAC-SHA256 keyed by {@code secret}.
 *
 * @param url {@code http://} or {@code https://} URL of the receiver, without user info; unique within
 *     its channel
 * @param secret the key of the signature, shared with the receiver (a secret: masked on display,
 *     never logged); {@value #MIN_SECRET_LENGTH} to {@value #MAX_SECRET_LENGTH} printable ASCII characters
 */
public record WebhookConfig(String url, String secret) {
    /** Shorter shared secrets are guessable enough to forge signatures offline. */
    public static final int MIN_SECRET_LENGTH = 16;

    public static final int MAX_SECRET_LENGTH = 256;

    public WebhookConfig {
        ConfigRules.requireWebhookUrl(url);
        ConfigRules.requireWebhookSecret(url, secret);
    }

    /** @return the URL with any query replaced by {@code ****} (it may carry a token), safe to log or show */
    public String maskedUrl() {
        return WebhookUrl.mask(url);
    }

    /** Keeps the secret out of logs. */
    @Override
    public String toString() {
        return "WebhookConfig[url=" + maskedUrl() + ", secret=" + DestinationUrl.MASK + "]";
    }
}
