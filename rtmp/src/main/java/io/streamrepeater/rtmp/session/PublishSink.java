package io.streamrepeater.rtmp.session;

import io.streamrepeater.media.MediaPacket;

/** Where an accepted publish delivers its media. Called on the ingest connection's event loop. */
public interface PublishSink {
    /** One media packet; ownership passes to the sink, which releases it. */
    void packet(MediaPacket packet);

    /** The publish ended (unpublish, deleteStream, disconnect or error); no packet follows. */
    void end(String reason);
}
