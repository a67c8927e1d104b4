package io.streamrepeater.control.config;

/**
 * One place the channel's output is sent to.
 *
 * @param name destination name, {@code [a-z0-9-]+}, unique within its channel
 * @param url {@code rtmp://} or {@code rtmps://} URL including the platform's stream key (a secret)
 * @param enabled false keeps the destination configured but not connected (default true)
 */
public record DestinationConfig(String name, String url, boolean enabled) {
    public static final boolean DEFAULT_ENABLED = true;

    public DestinationConfig {
        ConfigRules.requireName("destination", name);
        ConfigRules.requireDestinationUrl(name, url);
    }

    /** An enabled destination. */
    public DestinationConfig(String name, String url) {
        this(name, url, DEFAULT_ENABLED);
    }

    /** @return the URL with its stream key replaced by {@code ****}, safe to log or show */
    public String maskedUrl() {
        return DestinationUrl.mask(url);
    }

    /** Keeps the stream key out of logs. */
    @Override
    public String toString() {
        return "DestinationConfig[name=" + name + ", url=" + maskedUrl() + ", enabled=" + enabled + "]";
    }
}
