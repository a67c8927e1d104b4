package io.streamrepeater.control.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    private static final String SECRET = "whsec-0123456789abcdef";
    private static final byte[] BODY =
            "{\"sequence\":7,\"channel\":\"show\",\"type\":\"SWITCH\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void rfc4231TestCase2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?"
        assertThat(WebhookSignature.of("Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @Test
    void isTheHexHmacSha256OfTheBodyKeyedByTheSecret() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        StringBuilder golden = new StringBuilder("sha256=");
        for (byte b : mac.doFinal(BODY)) {
            golden.append(String.format("%02x", b));
        }

        assertThat(WebhookSignature.of(SECRET, BODY))
                .isEqualTo(golden.toString())
                .hasSize(7 + 64);
    }

    @Test
    void matchesOnlyTheSameBodyUnderTheSameSecret() {
        String signature = WebhookSignature.of(SECRET, BODY);
        byte[] altered = BODY.clone();
        altered[2] ^= 1;

        assertThat(WebhookSignature.matches(SECRET, BODY, signature)).isTrue();
        assertThat(WebhookSignature.matches(SECRET, altered, signature)).isFalse();
        assertThat(WebhookSignature.matches("whsec-0123456789abcdeF", BODY, signature))
                .isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, signature.substring(7)))
                .as("without sha256=")
                .isFalse();
        assertThat(WebhookSignature.matches(SECRET, BODY, null)).isFalse();
    }
}
