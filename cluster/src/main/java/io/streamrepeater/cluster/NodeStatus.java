package io.streamrepeater.cluster;

/**
 * A node as the registry saw it at its last round.
 *
 * @param node what the node wrote in its last heartbeat
 * @param state up, down or draining
 * @param lastHeartbeatAgeMs time since its last heartbeat by the database's clock, when the registry read it
 */
public record NodeStatus(ClusterNode node, NodeState state, long lastHeartbeatAgeMs) {
    /** @return the node's name */
    public String name() {
        return node.name();
    }
}
