package io.streamrepeater.cluster;

/**
 * Told by a {@link NodeRegistry} when a node comes up or goes down. Called on the registry's thread, one call at a
 * time; an implementation returns quickly.
 */
public interface NodeListener {
    /** The node is alive (up or draining) and was down or not known before. */
    void up(NodeStatus node);

    /** The node was alive and its heartbeat is now older than the lease. */
    void down(NodeStatus node);
}
