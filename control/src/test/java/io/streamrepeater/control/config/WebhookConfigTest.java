package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code webhooks:} list of a channel: rules, loading, writing and masking. */
class WebhookConfigTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final String YAML = """
            channels:
              - name: show
                inputs: [ { name: primary, key: key-one-000000 } ]
                webhooks:
                  - { url: "https://hooks.example.com/stream?token=query-token-1", secret: "%s" }
                  - { url: "http://127.0.0.1:9000/events", secret: "second-secret-value-2" }
            """.formatted(SECRET);

    @Test
    void webhooksAreReadInOrder() {
        ChannelConfig show = ConfigLoader.parse(YAML, "show.yaml").channels().get(0);

        assertThat(show.webhooks())
                .containsExactly(
                        new WebhookConfig("https://hooks.example.com/stream?token=query-token-1", SECRET),
                        new WebhookConfig("http://127.0.0.1:9000/events", "second-secret-value-2"));
    }

    @Test
    void aChannelWithoutTheKeyHasNoWebhooksAndTheOlderConstructorsStillWork() {
        ChannelConfig plain = new ChannelConfig(
                "show",
                List.of(new InputConfig("primary", "key-one-000000")),
                FailoverConfig.defaults(),
                null,
                List.of());

        assertThat(plain.webhooks()).isEmpty();
        assertThat(ConfigLoader.parse(
                                "channels: [ { name: show, inputs: [ { name: primary, key: key-one-000000 } ] } ]",
                                "show.yaml")
                        .channels()
                        .get(0)
                        .webhooks())
                .isEmpty();
    }

    @Test
    void changingInputsOrDestinationsKeepsTheWebhooks() {
        ChannelConfig show = ConfigLoader.parse(YAML, "show.yaml").channels().get(0);

        assertThat(show.withInputs(List.of(new InputConfig("backup", "key-two-000000")))
                        .webhooks())
                .isEqualTo(show.webhooks());
        assertThat(show.withDestinations(List.of(new DestinationConfig("d", "rtmp://127.0.0.1/live/k")))
                        .webhooks())
                .isEqualTo(show.webhooks());
    }

    @Test
    void theWriterRoundTripsWebhooks() {
        StreamRepeaterConfig config = ConfigLoader.parse(YAML, "show.yaml");

        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(config), "written.yaml"))
                .isEqualTo(config);
    }

    @Test
    void maskedOutputHidesSecretsAndUrlQueries() {
        String masked = ConfigWriter.toYaml(ConfigLoader.parse(YAML, "show.yaml"), ConfigWriter.Secrets.MASK);

        assertThat(masked)
                .doesNotContain(SECRET, "second-secret-value-2", "query-token-1")
                .contains("https://hooks.example.com/stream?****", "http://127.0.0.1:9000/events");
    }

    @Test
    void theSecretNeverAppearsInToStringOrErrors() {
        WebhookConfig webhook = new WebhookConfig("https://hooks.example.com/x?t=query-token-1", SECRET);

        assertThat(webhook.toString())
                .doesNotContain(SECRET, "query-token-1")
                .isEqualTo("WebhookConfig[url=https://hooks.example.com/x?****, secret=****]");
        assertThatThrownBy(() -> new WebhookConfig("https://me:pw-in-url@hooks.example.com/x", SECRET))
                .hasMessage("webhook url 'https://****@hooks.example.com/x' must not contain user info (user@host);"
                        + " the secret signs the requests");
        assertThatThrownBy(() -> new WebhookConfig("https://hooks.example.com/x", "fifteen-chars-x"))
                .hasMessageContaining("16 to 256")
                .hasMessageNotContaining("fifteen-chars-x");
    }

    @Test
    void urlRules() {
        assertThat(new WebhookConfig("HTTPS://Hooks.Example.com:8443/a/b", SECRET).url())
                .startsWith("HTTPS://");
        assertThatThrownBy(() -> new WebhookConfig("rtmp://hooks.example.com/x", SECRET))
                .hasMessage("webhook url 'rtmp://hooks.example.com/x' must start with http:// or https://");
        assertThatThrownBy(() -> new WebhookConfig("hooks.example.com/x", SECRET))
                .hasMessageContaining("must start with http:// or https://");
        assertThatThrownBy(() -> new WebhookConfig("https://hooks.example.com/a b", SECRET))
                .hasMessageContaining("whitespace");
        assertThatThrownBy(() -> new WebhookConfig(null, SECRET)).hasMessageContaining("is empty");
    }

    @Test
    void aChannelRefusesTheSameUrlTwice() {
        WebhookConfig one = new WebhookConfig("https://hooks.example.com/x", SECRET);
        WebhookConfig two = new WebhookConfig("https://hooks.example.com/x", "another-secret-value");

        assertThatThrownBy(() -> new ChannelConfig(
                        "show",
                        List.of(new InputConfig("primary", "key-one-000000")),
                        FailoverConfig.defaults(),
                        null,
                        List.of(),
                        RelayConfig.defaults(),
                        List.of(one, two)))
                .hasMessage("duplicate webhook url 'https://hooks.example.com/x' in channel 'show'");
    }
}
