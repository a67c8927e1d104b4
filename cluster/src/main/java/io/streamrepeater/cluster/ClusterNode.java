package io.streamrepeater.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a node says about itself in its heartbeat.
 *
 * @param name unique per node, {@code [a-z0-9-]+} (the configuration's {@code server.cluster.node})
 * @param address how the other nodes reach this one (host name or IP address)
 * @param clusterPort the internal link between nodes (0 = not clustered)
 * @param rtmpPort the RTMP ingest port, where an encoder may be redirected
 * @param version the software version the node runs
 */
public record ClusterNode(String name, String address, int clusterPort, int rtmpPort, String version) {
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

    public ClusterNode {
        requireName(name);
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(version, "version");
        requirePort("clusterPort", clusterPort);
        requirePort("rtmpPort", rtmpPort);
    }

    /**
     * @throws IllegalArgumentException if the name is not {@code [a-z0-9-]+}
     */
    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("node name '" + name + "' must match [a-z0-9-]+");
        }
        return name;
    }

    private static void requirePort(String what, int port) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException(what + " " + port + " is not a port (0..65535)");
        }
    }
}
