package io.streamrepeater.control.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole configuration file: the server section and the channels.
 *
 * @param server ports, data directory, admin token
 * @param channels channel names unique; every input key unique across all channels
 *     (the key alone selects channel and input at ingest)
 */
public record StreamRepeaterConfig(ServerConfig server, List<ChannelConfig> channels) {

    public StreamRepeaterConfig {
        Objects.requireNonNull(server, "server");
        channels = List.copyOf(channels);
        Map<String, ChannelConfig> byName = new HashMap<>();
        Map<String, String> inputByKey = new HashMap<>();
        for (ChannelConfig channel : channels) {
            if (byName.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalArgumentException("duplicate channel name '" + channel.name() + "'");
            }
            for (WebhookConfig webhook : channel.webhooks()) {
                requireWebhookHostAllowed(server, channel.name(), webhook);
            }
            for (InputConfig input : channel.inputs()) {
                String where = channel.name() + "/" + input.name();
                String earlier = inputByKey.putIfAbsent(input.key(), where);
                if (earlier != null) {
                    throw new IllegalArgumentException("input " + where + " has the same key as input " + earlier
                            + "; each input key must be unique across all channels");
                }
            }
        }
    }

    /** Refuses a webhook whose host {@code server.webhookHosts} does not allow; the URL's query is not shown. */
    public static void requireWebhookHostAllowed(ServerConfig server, String channel, WebhookConfig webhook) {
        if (!WebhookHosts.allows(server.webhookHosts(), webhook.url())) {
            throw new IllegalArgumentException("webhook " + webhook.maskedUrl() + " of channel " + channel
                    + " goes to a host that server.webhookHosts does not allow ("
                    + String.join(", ", server.webhookHosts())
                    + ")");
        }
    }

    /** @return the channel with that name, if configured */
    public Optional<ChannelConfig> channel(String name) {
        return channels.stream().filter(channel -> channel.name().equals(name)).findFirst();
    }
}
