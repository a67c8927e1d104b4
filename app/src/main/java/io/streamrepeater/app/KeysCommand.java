package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stream-repeater keys rotate CHANNEL INPUT}: gives an input a new stream key. */
@Command(name = "keys", mixinStandardHelpOptions = true, description = "Manage input stream keys.",
        subcommands = KeysCommand.Rotate.class)
public final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Give an input a new random stream key, printed once; the old key stops working for new publishes.")
    public static final class Rotate extends RemoteCommand {
        @Parameters(index = "0", paramLabel = "CHANNEL")
        String channel;

        @Parameters(index = "1", paramLabel = "INPUT")
        String input;

        @Override
        int run(ApiClient api) throws Exception {
            JsonNode r = ok(api.send("POST", "/api/v1/channels/" + channel + "/inputs/" + input + "/key", null, null));
            if (r == null) {
                return 1;
            }
            System.out.println("new stream key of " + channel + "/" + input + " (shown once): " + r.path("key").asText());
            return 0;
        }
    }
}
