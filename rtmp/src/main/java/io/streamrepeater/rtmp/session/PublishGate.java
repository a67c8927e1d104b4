package io.streamrepeater.rtmp.session;

/** The one thing an ingest session needs from the server: a decision on a publish request. */
@FunctionalInterface
public interface PublishGate {
    /**
     * Called on the ingest connection's event loop when an encoder publishes.
     *
     * @param streamKey the stream name from the publish command, query string removed; never log it
     */
    PublishDecision publish(String streamKey, Publisher publisher);
}
