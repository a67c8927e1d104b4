package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.ServerConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.StoreException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code stream-repeater keys rotate CHANNEL INPUT} gives an input a new stream key (through the API);
 * {@code keys show CHANNEL INPUT} prints an input's key and ingest URL from the server's own files (local).
 */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "Manage input stream keys.",
        subcommands = {KeysCommand.Rotate.class, KeysCommand.Show.class})
public final class KeysCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(
            name = "rotate",
            mixinStandardHelpOptions = true,
            description =
                    "Give an input a new random stream key, printed once; the old key stops working for new publishes.")
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
            System.out.println("new stream key of " + channel + "/" + input + " (shown once): "
                    + r.path("key").asText());
            return 0;
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Print an input's stream key and ingest URL (run on the server's machine, with access to its"
                    + " data directory; for its owner, e.g. after a lost first-run banner).")
    public static final class Show implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        LocalStoreOptions store;

        @Parameters(index = "0", paramLabel = "CHANNEL")
        String channel;

        @Parameters(index = "1", paramLabel = "INPUT")
        String input;

        @Override
        public Integer call() {
            try (ConfigStore opened = store.open()) {
                ServerConfig server = store.server();
                StreamRepeaterConfig config = opened.load(server);
                ChannelConfig ch = config.channels().stream()
                        .filter(c -> c.name().equals(channel))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no channel '" + channel + "' (channels: "
                                + String.join(
                                        ", ",
                                        config.channels().stream()
                                                .map(ChannelConfig::name)
                                                .toList()) + ")"));
                InputConfig in = ch.inputs().stream()
                        .filter(i -> i.name().equals(input))
                        .findFirst()
                        .orElseThrow(() -> new IllegalArgumentException(
                                "channel " + channel + " has no input '" + input + "' (inputs: "
                                        + String.join(
                                                ", ",
                                                ch.inputs().stream()
                                                        .map(InputConfig::name)
                                                        .toList()) + ")"));
                System.out.println("stream key of " + channel + "/" + input + ": " + in.key());
                if (server.rtmpPort() > 0) {
                    System.out.println("ingest URL: rtmp://HOST:" + server.rtmpPort() + "/live/" + in.key());
                }
                return 0;
            } catch (IllegalArgumentException | ConfigException | StoreException e) {
                System.err.println("stream-repeater keys show: " + e.getMessage());
                return 1;
            }
        }
    }
}
