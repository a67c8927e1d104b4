package io.streamrepeater.app;

/**
 * Whether this node takes new publishes: always on a single node; not while it is drained in a cluster (its encoders
 * are asked to move, and one that reconnects must go to another node). Encoders already publishing are not touched.
 * Read by the ingest gates on every publish, set by the cluster coordinator; safe from any thread.
 */
final class PublishAdmission {
    /** Why new publishes are refused, or null while they are taken. */
    private volatile String refusal;

    /** @return why a new publish is refused now, or null if it is taken */
    String refusal() {
        return refusal;
    }

    void refuse(String why) {
        refusal = why;
    }

    void admit() {
        refusal = null;
    }
}
