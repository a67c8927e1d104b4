package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stream-repeater tokens create NAME --role ROLE | list | revoke NAME}: API tokens with a role (viewer,
 * operator, admin), through the API of a running server (an admin token is needed). A new token is printed once.
 */
@Command(
        name = "tokens",
        mixinStandardHelpOptions = true,
        description = "Manage API tokens with a role: viewer (reads, never a key), operator (also switches,"
                + " rehearses, enables and disables destinations), admin (everything).",
        subcommands = {TokensCommand.Create.class, TokensCommand.ListTokens.class, TokensCommand.Revoke.class})
public final class TokensCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a token; it is printed once (the server keeps only its hash).")
    public static final class Create extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "a-z, 0-9 and '-', e.g. stage-manager")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "viewer, operator or admin")
        String role;

        @Override
        int run(ApiClient api) throws Exception {
            ObjectNode body = JSON.createObjectNode().put("name", name).put("role", role);
            JsonNode r = ok(api.send("POST", "/api/v1/tokens", JSON.writeValueAsString(body), "application/json"));
            if (r == null) {
                return 1;
            }
            System.out.println(
                    r.path("role").asText() + " token " + r.path("name").asText() + " (shown once, keep it): "
                            + r.path("token").asText());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the tokens (never a token).")
    public static final class ListTokens extends RemoteCommand {
        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = ok(api.send("GET", "/api/v1/tokens", null, null));
            if (r == null) {
                return 1;
            }
            System.out.printf("%-24s %-9s %s%n", "NAME", "ROLE", "CREATED");
            for (JsonNode t : r) {
                System.out.printf(
                        "%-24s %-9s %s%n",
                        t.path("name").asText(),
                        t.path("role").asText(),
                        t.path("createdAt").asText());
            }
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a token: refused from its next request on.")
    public static final class Revoke extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Override
        int run(ApiClient api) throws Exception {
            if (ok(api.send("DELETE", "/api/v1/tokens/" + name, null, null)) == null) {
                return 1;
            }
            System.out.println("token " + name + " revoked");
            return 0;
        }
    }
}
