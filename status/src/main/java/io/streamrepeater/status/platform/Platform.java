package io.streamrepeater.status.platform;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform a destination publishes to, recognised from its URL's host or set in its configuration
 * ({@code platform:}). Recognition is by ingest host only: Twitch's regional {@code *.contribute.live-video.net} hosts
 * are shared with every other Amazon IVS customer, Kick included, so only Kick's own host label (twelve hexadecimal
 * digits on {@code global-contribute.live-video.net}) says Kick; set {@code platform:} where the URL cannot tell.
 */
public enum Platform {
    YOUTUBE("youtube"),
    TWITCH("twitch"),
    FACEBOOK("facebook"),
    KICK("kick"),
    CUSTOM("custom");

    private static final Pattern YOUTUBE_HOST = Pattern.compile("[ab]\\.rtmps?\\.youtube\\.com");
    private static final Pattern KICK_HOST = Pattern.compile("[0-9a-f]{12}\\.global-contribute\\.live-video\\.net");
    private static final Pattern TWITCH_REGIONAL_HOST =
            Pattern.compile("[a-z]{3}\\d{2}\\.contribute\\.live-video\\.net");

    private final String yamlName;

    Platform(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The name in the configuration file and the API: {@code youtube}, {@code twitch}, ... */
    public String yamlName() {
        return yamlName;
    }

    /** The platform named {@code name} (as {@link #yamlName()}), if any. */
    public static Optional<Platform> named(String name) {
        for (Platform p : values()) {
            if (p.yamlName.equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The accepted names, for error messages. */
    public static String names() {
        StringBuilder s = new StringBuilder();
        for (Platform p : values()) {
            s.append(s.length() == 0 ? "" : ", ").append(p.yamlName);
        }
        return s.toString();
    }

    /** The platform {@code explicit} names, else the one {@code url}'s host says, else {@link #CUSTOM}. */
    public static Platform of(Platform explicit, String url) {
        return explicit != null ? explicit : recognise(url);
    }

    /** The platform of an ingest URL by its host; {@link #CUSTOM} when the host is no platform's known ingest. */
    public static Platform recognise(String url) {
        String host;
        try {
            host = URI.create(url).getHost();
        } catch (IllegalArgumentException notAUri) {
            return CUSTOM;
        }
        if (host == null) {
            return CUSTOM;
        }
        host = host.toLowerCase(Locale.ROOT);
        // YouTube: a.rtmp.youtube.com / b.rtmp.youtube.com (backup), and the rtmps spellings
        if (YOUTUBE_HOST.matcher(host).matches()) {
            return YOUTUBE;
        }
        // Facebook: the Live Video API's RTMPS hosts (OBS's preset and the URLs the API hands out)
        if (host.equals("live-api-s.facebook.com") || host.equals("rtmp-api.facebook.com")) {
            return FACEBOOK;
        }
        // Kick: an IVS channel host, twelve hex digits on the global contribute name
        if (KICK_HOST.matcher(host).matches()) {
            return KICK;
        }
        // Twitch: ingest.global-contribute.live-video.net, regional <airport>NN.contribute.live-video.net, and the
        // legacy live-<airport>.twitch.tv / live.twitch.tv hosts
        if (host.equals("ingest.global-contribute.live-video.net")
                || TWITCH_REGIONAL_HOST.matcher(host).matches()
                || host.endsWith(".twitch.tv")) {
            return TWITCH;
        }
        return CUSTOM;
    }
}
