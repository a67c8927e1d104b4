package io.streamrepeater.relay;

import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationMode;
import io.streamrepeater.status.platform.Platform;
import java.util.Objects;

/**
 * What the relay needs to know of one destination.
 *
 * @param name unique within the channel
 * @param url the primary address
 * @param backupUrl the platform's backup ingest address, or null
 * @param mode how the backup is used; ignored without one
 * @param enabled false adds it disabled (configured, not connected)
 * @param platform whose rules apply; null: recognised from the URL's host
 */
public record DestinationSpec(
        String name, RtmpUrl url, RtmpUrl backupUrl, DestinationMode mode, boolean enabled, Platform platform) {
    public DestinationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mode, "mode");
    }

    /** A destination whose platform is recognised from its URL. */
    public DestinationSpec(String name, RtmpUrl url, RtmpUrl backupUrl, DestinationMode mode, boolean enabled) {
        this(name, url, backupUrl, mode, enabled, null);
    }

    /**
     * What this destination's platform takes: the Enhanced RTMP video codecs announced in {@code connect} (none to a
     * platform that takes H.264 only, so it never sees a codec list it would not honour), and the codecs it is sent.
     */
    CodecPolicy codecPolicy() {
        return CodecPolicy.of(platform != null ? platform : Platform.recognise(url.tcUrl()));
    }

    /** An enabled destination without a backup address. */
    public static DestinationSpec of(String name, RtmpUrl url) {
        return new DestinationSpec(name, url, null, DestinationMode.BOTH, true);
    }
}
