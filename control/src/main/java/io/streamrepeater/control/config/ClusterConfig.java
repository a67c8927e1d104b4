package io.streamrepeater.control.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The {@code server.cluster:} section (issue 19): this node's part in a cluster of nodes that share one PostgreSQL
 * store. A configuration without the section runs one node on its own, as before.
 *
 * @param node this node's name, {@code [a-z0-9-]+}, unique among the nodes of the cluster (leases name it as owner)
 * @param address how the other nodes reach this one (RTMP ingest port and cluster port): a host name or an IP
 * @param clusterPort the TCP port of the internal link between nodes; 0 = not clustered (no link)
 * @param leaseMs how long a channel lease lasts without renewal, {@value #MIN_LEASE_MS}..{@value #MAX_LEASE_MS}
 * @param declaredAt where the {@code cluster} key is written (null when built in code): the rules checked at start
 *     ({@link #requirePostgresql}) name it. Not part of the setting: equality ignores it, so a file and its export
 *     read back are the same configuration
 */
public record ClusterConfig(String node, String address, int clusterPort, int leaseMs, ConfigPosition declaredAt) {
    public static final int DEFAULT_CLUSTER_PORT = 1937;
    public static final int DEFAULT_LEASE_MS = 3000;
    public static final int MIN_LEASE_MS = 1000;
    public static final int MAX_LEASE_MS = 30000;

    /** Host name labels (letters, digits, hyphens) or an IPv4 literal; IPv6 is checked apart. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    public ClusterConfig {
        requireNode(node);
        requireAddress(address);
        ConfigRules.requirePort("clusterPort", clusterPort);
        ConfigRules.requireBetween("leaseMs", leaseMs, MIN_LEASE_MS, MAX_LEASE_MS);
    }

    /** Built in code: no place in a file to name. */
    public ClusterConfig(String node, String address, int clusterPort, int leaseMs) {
        this(node, address, clusterPort, leaseMs, null);
    }

    /** @return whether this node opens the internal link to the other nodes ({@code clusterPort} not 0) */
    public boolean linked() {
        return clusterPort != 0;
    }

    /**
     * The cluster's nodes share their leases and configuration through PostgreSQL: a cluster on the embedded SQLite
     * store (one file on one host) cannot work, and is refused at start.
     *
     * @param database the JDBC URL of the store in force; null for the embedded SQLite store in the data directory
     * @param from how the message names where that database came from, e.g. "--database" or "server.database"
     * @throws ConfigException at the {@code cluster} key when the store is not PostgreSQL
     */
    public void requirePostgresql(String database, String from) {
        if (database != null && database.startsWith(ConfigRules.POSTGRESQL_URL_PREFIX)) {
            return;
        }
        String store = database == null
                ? "the embedded SQLite store in the data directory (no server.database or --database given)"
                : "'" + ConfigRules.redactDatabase(database) + "' (" + from + "), which is not PostgreSQL";
        String problem = "server.cluster needs a PostgreSQL store shared by every node, but the store is " + store
                + "; give server.database or --database a " + ConfigRules.POSTGRESQL_URL_PREFIX
                + "//HOST/DATABASE?user=... URL, or remove server.cluster to run a single node";
        throw declaredAt != null ? declaredAt.error(problem) : new ConfigException("configuration", 0, 0, problem);
    }

    /** Node names follow the rule of channel names: they appear in the API, the dashboard and the lease rows. */
    static String requireNode(String node) {
        return ConfigRules.requireName("node", node);
    }

    static String requireAddress(String address) {
        Objects.requireNonNull(address, "address");
        boolean ipv6 = address.contains(":") && ConfigRules.isIpLiteral(address);
        if (!ipv6 && !HOST_NAME.matcher(address).matches()) {
            throw new IllegalArgumentException("address '" + address
                    + "' must be a host name or an IP address the other nodes reach this node at (e.g. 10.0.0.11)");
        }
        return address;
    }

    /** Where the key is written is not part of the setting. */
    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterConfig that
                && node.equals(that.node)
                && address.equals(that.address)
                && clusterPort == that.clusterPort
                && leaseMs == that.leaseMs;
    }

    @Override
    public int hashCode() {
        return Objects.hash(node, address, clusterPort, leaseMs);
    }

    @Override
    public String toString() {
        return "ClusterConfig[node=" + node + ", address=" + address + ", clusterPort=" + clusterPort + ", leaseMs="
                + leaseMs + "]";
    }
}
