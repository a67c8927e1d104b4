package io.streamrepeater.cluster;

/**
 * A node as the store last heard of it.
 *
 * @param node what the node wrote in its last heartbeat
 * @param draining set by a drain command, kept across heartbeats
 * @param heartbeatAgeMs time since its last heartbeat, by the database's clock (never negative)
 */
public record NodeHeartbeat(ClusterNode node, boolean draining, long heartbeatAgeMs) {}
