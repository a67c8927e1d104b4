package io.streamrepeater.rtmp.session;

/** The server's answer to a publish request. */
public sealed interface PublishDecision {
    /** Publishing may start; {@code label} names the channel/input for logs (never the key). */
    record Accepted(PublishSink sink, String label) implements PublishDecision {
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
