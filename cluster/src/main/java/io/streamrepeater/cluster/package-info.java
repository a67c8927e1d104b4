/**
 * More than one node on one PostgreSQL store: the node registry and the channel leases with fencing epochs.
 *
 * <p>{@link io.streamrepeater.cluster.ClusterStore} is the store port and
 * {@link io.streamrepeater.cluster.PostgresClusterStore} its JDBC implementation (every expiry and age by the
 * database's clock). {@link io.streamrepeater.cluster.LeaseFence} is the self-fencing rule on the node's own
 * monotonic clock: the check a writer makes before every write. {@link io.streamrepeater.cluster.LeaseKeeper} keeps
 * the leases of the channels a node wants and reports changes to a {@link io.streamrepeater.cluster.LeaseListener};
 * {@link io.streamrepeater.cluster.NodeRegistry} heartbeats and reports nodes going up and down to a
 * {@link io.streamrepeater.cluster.NodeListener}.
 */
package io.streamrepeater.cluster;
