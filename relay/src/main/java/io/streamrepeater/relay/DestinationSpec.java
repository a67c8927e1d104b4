package io.streamrepeater.relay;

import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationMode;
import java.util.Objects;

/**
 * What the relay needs to know of one destination.
 *
 * @param name unique within the channel
 * @param url the primary address
 * @param backupUrl the platform's backup ingest address, or null
 * @param mode how the backup is used; ignored without one
 * @param enabled false adds it disabled (configured, not connected)
 */
public record DestinationSpec(String name, RtmpUrl url, RtmpUrl backupUrl, DestinationMode mode, boolean enabled) {
    public DestinationSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(mode, "mode");
    }

    /** An enabled destination without a backup address. */
    public static DestinationSpec of(String name, RtmpUrl url) {
        return new DestinationSpec(name, url, null, DestinationMode.BOTH, true);
    }
}
