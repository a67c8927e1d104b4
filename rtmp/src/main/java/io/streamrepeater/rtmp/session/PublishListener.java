package io.streamrepeater.rtmp.session;

import io.netty.channel.Channel;

/** What an outbound publish session reports to its owner. Called on the connection's event loop. */
public interface PublishListener {
    /** The destination accepted the publish; media goes on {@code messageStreamId}. */
    void live(Channel channel, int messageStreamId);

    /**
     * The destination refused (connect or publish error), with the peer's own status code and text.
     * The connection is closed right after.
     */
    void rejected(String statusCode, String description);
}
