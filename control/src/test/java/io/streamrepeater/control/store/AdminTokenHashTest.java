package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class AdminTokenHashTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void matchesOnlyTheTokenItWasMadeFrom() {
        AdminTokenHash hash = AdminTokenHash.of("correct-horse", RANDOM);

        assertThat(hash.matches("correct-horse")).isTrue();
        assertThat(hash.matches("correct-hors")).isFalse();
        assertThat(hash.matches("correct-horse ")).isFalse();
        assertThat(hash.matches("Correct-horse")).isFalse();
        assertThat(hash.matches("")).isFalse();
        assertThat(hash.matches(null)).isFalse();
    }

    @Test
    void theEncodedFormParsesBackAndHoldsNoToken() {
        AdminTokenHash hash = AdminTokenHash.of("correct-horse", RANDOM);

        String encoded = hash.encoded();

        assertThat(encoded).matches("sha256:[0-9a-f]{32}:[0-9a-f]{64}").doesNotContain("correct-horse");
        AdminTokenHash parsed = AdminTokenHash.parse(encoded);
        assertThat(parsed).isEqualTo(hash);
        assertThat(parsed.matches("correct-horse")).isTrue();
        assertThat(hash.toString()).doesNotContain(encoded.substring(7));
    }

    @Test
    void theSameTokenHashesDifferentlyWithEachSalt() {
        AdminTokenHash first = AdminTokenHash.of("same-token", RANDOM);
        AdminTokenHash second = AdminTokenHash.of("same-token", RANDOM);

        assertThat(first.encoded()).isNotEqualTo(second.encoded());
        assertThat(first.matches("same-token")).isTrue();
        assertThat(second.matches("same-token")).isTrue();
    }

    @Test
    void parseRefusesWhatItDidNotWrite() {
        String digest = "ab".repeat(32);
        String salt = "cd".repeat(16);
        assertThatThrownBy(() -> AdminTokenHash.parse("plain-token"))
                .hasMessageContaining("sha256:SALT_HEX:DIGEST_HEX")
                .hasMessageNotContaining("plain-token");
        assertThatThrownBy(() -> AdminTokenHash.parse("md5:" + salt + ":" + digest))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdminTokenHash.parse("sha256:" + salt + ":" + "zz".repeat(32)))
                .hasMessageContaining("hexadecimal");
        assertThatThrownBy(() -> AdminTokenHash.parse("sha256:" + salt + ":" + "ab".repeat(31)))
                .hasMessageContaining("31-byte digest");
        assertThatThrownBy(() -> AdminTokenHash.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(AdminTokenHash.parse("sha256:" + salt + ":" + digest).encoded())
                .isEqualTo("sha256:" + salt + ":" + digest);
    }
}
