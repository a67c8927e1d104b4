package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code stream-repeater drain [--node NAME]} and {@code undrain}: planned maintenance of a cluster node. */
@Command(
        name = "drain",
        mixinStandardHelpOptions = true,
        description = "Move every channel off a cluster node (its destinations are closed cleanly before another node"
                + " connects them) and take no new channel there; undrain reverses it.")
public class DrainCommand extends RemoteCommand {
    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "The node to drain (default: the node the command talks to, see --url).")
    String node;

    /** Whether this command drains (true) or undrains. */
    boolean draining() {
        return true;
    }

    @Override
    int run(ApiClient api) throws Exception {
        String target = node;
        if (target == null) {
            JsonNode cluster = ok(api.send("GET", "/api/v1/cluster", null, null));
            if (cluster == null) {
                return 1;
            }
            target = cluster.path("node").asText();
        }
        String action = draining() ? "drain" : "undrain";
        if (ok(api.send("POST", "/api/v1/cluster/nodes/" + target + "/" + action, "", "application/json")) == null) {
            return 1;
        }
        System.out.println(
                draining()
                        ? "node " + target + ": draining (its channels move to other nodes; GET /api/v1/cluster shows"
                                + " where)"
                        : "node " + target + ": takes channels again");
        return 0;
    }

    /** {@code stream-repeater undrain [--node NAME]}. */
    @Command(
            name = "undrain",
            mixinStandardHelpOptions = true,
            description = "Let a drained cluster node take channels again.")
    public static final class Undrain extends DrainCommand {
        @Override
        boolean draining() {
            return false;
        }
    }
}
