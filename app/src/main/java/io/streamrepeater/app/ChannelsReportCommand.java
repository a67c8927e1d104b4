package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Parameters;

/** Base of the commands that read the channels' status ({@code status}, {@code preflight}) and report on it. */
abstract class ChannelsReportCommand extends RemoteCommand {
    @Parameters(arity = "0..1", paramLabel = "CHANNEL", description = "Only this channel.")
    String channel;

    @Override
    final int run(ApiClient api) throws Exception {
        JsonNode channels = channels(api, channel);
        return channels == null ? 1 : report(channels);
    }

    /**
     * Prints the report on {@code channels} (an array, the one asked for or all).
     *
     * @return the exit code
     */
    abstract int report(JsonNode channels);

    /**
     * {@code GET /api/v1/channels} (or one channel's) as an array of channels.
     *
     * @return null when the server refused or could not be asked (the reason is printed)
     */
    private static JsonNode channels(ApiClient api, String channel) throws Exception {
        JsonNode body =
                ok(api.send("GET", channel == null ? "/api/v1/channels" : "/api/v1/channels/" + channel, null, null));
        if (body == null) {
            return null;
        }
        return body.isArray() ? body : JSON.createArrayNode().add(body);
    }
}
