package io.streamrepeater.app;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code stream-repeater switch CHANNEL INPUT}: operator switch. */
@Command(name = "switch", mixinStandardHelpOptions = true, description = "Switch a channel to one of its inputs.")
public final class SwitchCommand extends RemoteCommand {
    @Parameters(index = "0", paramLabel = "CHANNEL")
    String channel;

    @Parameters(index = "1", paramLabel = "INPUT")
    String input;

    @Override
    int run(ApiClient api) throws Exception {
        String body = JSON.createObjectNode().put("input", input).toString();
        if (ok(api.send("POST", "/api/v1/channels/" + channel + "/switch", body, "application/json")) == null) {
            return 1;
        }
        System.out.println("channel " + channel + ": switching to " + input + " (at its next keyframe)");
        return 0;
    }
}
