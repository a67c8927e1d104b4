package io.streamrepeater.rtmp.session;

/** The server's answer to a publish request. */
public sealed interface PublishDecision {
    /** Publishing may start; {@code label} names the channel/input for logs (never the key). */
    record Accepted(PublishSink sink, String label) implements PublishDecision {
    }

    /** Refused with an RTMP status code such as {@code NetStream.Publish.BadName}. */
    record Rejected(String statusCode, String description) implements PublishDecision {
    }
}
