package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code server.webhookHosts}: where webhooks may go (issue 17). */
class WebhookHostsTest {
    private static final List<String> RULES =
            List.of("hooks.example.com", "*.example.net", "203.0.113.0/24", "2001:db8::/32", "198.51.100.7");

    @Test
    void anEmptyListAllowsAnyHost() {
        assertThat(WebhookHosts.allows(List.of(), "http://127.0.0.1:9/x")).isTrue();
    }

    @Test
    void hostNamesDomainsAddressesAndNetworks() {
        assertThat(WebhookHosts.allows(RULES, "https://hooks.example.com/in")).isTrue();
        assertThat(WebhookHosts.allows(RULES, "https://HOOKS.example.com:8443/in"))
                .isTrue();
        assertThat(WebhookHosts.allows(RULES, "https://a.example.net/in")).isTrue();
        assertThat(WebhookHosts.allows(RULES, "https://example.net/in"))
                .as("*.domain: subdomains only")
                .isFalse();
        assertThat(WebhookHosts.allows(RULES, "http://203.0.113.99/in")).isTrue();
        assertThat(WebhookHosts.allows(RULES, "http://203.0.114.1/in")).isFalse();
        assertThat(WebhookHosts.allows(RULES, "http://[2001:db8::5]/in")).isTrue();
        assertThat(WebhookHosts.allows(RULES, "http://198.51.100.7/in")).isTrue();
        assertThat(WebhookHosts.allows(RULES, "http://127.0.0.1/in"))
                .as("internal, not listed")
                .isFalse();
        assertThat(WebhookHosts.allows(RULES, "http://hooks.example.com.evil.org/in"))
                .isFalse();
    }

    @Test
    void nonsenseEntriesAreRefused() {
        assertThatThrownBy(() -> WebhookHosts.requireRule("10.0.0.0/33")).hasMessageContaining("not an IP network");
        assertThatThrownBy(() -> WebhookHosts.requireRule("host name")).hasMessageContaining("must be a host name");
        assertThat(WebhookHosts.requireRule("10.0.0.0/8")).isEqualTo("10.0.0.0/8");
    }

    @Test
    void aConfigurationWithAWebhookOutsideTheListIsRefusedWithTheReason() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                server: { webhookHosts: [ hooks.example.com ] }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    webhooks: [{ url: "http://127.0.0.1:8080/admin?token=abc", secret: "0123456789abcdef" }]
                """, "show.yaml"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("goes to a host that server.webhookHosts does not allow (hooks.example.com)")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("token=abc"));
        StreamRepeaterConfig allowed = ConfigLoader.parse("""
                server: { webhookHosts: [ hooks.example.com ] }
                channels:
                  - name: show
                    inputs: [{ name: primary, key: key-one-000000 }]
                    webhooks: [{ url: "https://hooks.example.com/in", secret: "0123456789abcdef" }]
                """, "show.yaml");
        assertThat(allowed.server().webhookHosts()).containsExactly("hooks.example.com");
        assertThat(ConfigLoader.parse(ConfigWriter.toYaml(allowed), "written.yaml"))
                .isEqualTo(allowed);
    }
}
