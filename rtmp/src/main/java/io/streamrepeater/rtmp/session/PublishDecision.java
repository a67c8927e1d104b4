package io.streamrepeater.rtmp.session;

import io.netty.channel.EventLoop;

/** The server's answer to a publish request. */
public sealed interface PublishDecision {
    /**
     * Publishing may start; {@code label} names the channel/input for logs (never the key).
     *
     * @param home the event loop that handles this publish's media, or null: the session moves its connection
     *     there, so that reading, decoding and the channel's fan-out run on one thread with no hand-off per packet
     */
    record Accepted(PublishSink sink, String label, EventLoop home) implements PublishDecision {
        public Accepted(PublishSink sink, String label) {
            this(sink, label, null);
        }
    }

    /**
     * Refused with an RTMP status code such as {@code NetStream.Publish.BadName}.
     *
     * @param delayMs how long to wait before answering (slows down guessing of stream keys); 0 = at once
     */
    record Rejected(String statusCode, String description, long delayMs) implements PublishDecision {
        public Rejected(String statusCode, String description) {
            this(statusCode, description, 0);
        }
    }
}
