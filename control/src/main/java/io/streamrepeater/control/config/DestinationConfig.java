package io.streamrepeater.control.config;

import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.platform.Platform;

/**
 * One place the channel's output is sent to.
 *
 * @param name destination name, {@code [a-z0-9-]+}, unique within its channel
 * @param url {@code rtmp://} or {@code rtmps://} URL including the platform's stream key (a secret)
 * @param enabled false keeps the destination configured but not connected (default true)
 * @param backupUrl the platform's backup ingest URL (a secret as well), or null
 * @param mode how the backup is used; {@link DestinationMode#BOTH} when a backup is given without a
 *     mode, null without a backup
 * @param platform the platform whose rules apply, as configured ({@code platform:}); null: recognised from the URL's
 *     host ({@link #effectivePlatform()})
 */
public record DestinationConfig(
        String name, String url, boolean enabled, String backupUrl, DestinationMode mode, Platform platform) {
    public static final boolean DEFAULT_ENABLED = true;
    public static final DestinationMode DEFAULT_MODE = DestinationMode.BOTH;

    public DestinationConfig {
        ConfigRules.requireName("destination", name);
        ConfigRules.requireDestinationUrl(name, url);
        if (backupUrl != null) {
            ConfigRules.requireDestinationUrl(name, backupUrl, "backupUrl");
            if (mode == null) {
                mode = DEFAULT_MODE;
            }
        } else if (mode != null) {
            throw new IllegalArgumentException("mode of destination '" + name + "' needs a backupUrl");
        }
    }

    /** A destination whose platform is recognised from its URL. */
    public DestinationConfig(String name, String url, boolean enabled, String backupUrl, DestinationMode mode) {
        this(name, url, enabled, backupUrl, mode, null);
    }

    /** A destination without a backup address. */
    public DestinationConfig(String name, String url, boolean enabled) {
        this(name, url, enabled, null, null);
    }

    /** An enabled destination without a backup address. */
    public DestinationConfig(String name, String url) {
        this(name, url, DEFAULT_ENABLED);
    }

    /** The platform whose rules apply: the configured one, else the one the URL's host says, else custom. */
    public Platform effectivePlatform() {
        return Platform.of(platform, url);
    }

    /** @return the URL with its stream key replaced by {@code ****}, safe to log or show */
    public String maskedUrl() {
        return DestinationUrl.mask(url);
    }

    /** @return the backup URL masked like {@link #maskedUrl()}, or null without one */
    public String maskedBackupUrl() {
        return backupUrl == null ? null : DestinationUrl.mask(backupUrl);
    }

    /** Keeps the stream keys out of logs. */
    @Override
    public String toString() {
        return "DestinationConfig[name=" + name + ", url=" + maskedUrl() + ", enabled=" + enabled
                + (backupUrl == null ? "" : ", backupUrl=" + maskedBackupUrl() + ", mode=" + mode.yamlName())
                + (platform == null ? "" : ", platform=" + platform.yamlName()) + "]";
    }
}
