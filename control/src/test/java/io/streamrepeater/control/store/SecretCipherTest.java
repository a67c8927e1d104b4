package io.streamrepeater.control.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** What {@link SecretCipher} writes and what it refuses to read. */
class SecretCipherTest {
    private static final String URL = "rtmp://a.rtmp.youtube.com/live2/abcd-efgh-ijkl-mnop";

    private final SecretCipher cipher = SecretCipher.of(randomKey(), "test key");

    @Test
    void aSealedValueReadsBackAndDoesNotContainThePlaintext() {
        String sealed = cipher.seal(URL, SecretColumn.DESTINATION_URL);

        assertThat(sealed).startsWith("enc:v1:").doesNotContain("abcd-efgh").doesNotContain("youtube");
        assertThat(cipher.unseal(sealed, SecretColumn.DESTINATION_URL)).isEqualTo(URL);
        // 12-byte nonce + 16-byte tag around the UTF-8 bytes
        assertThat(Base64.getDecoder().decode(sealed.substring(SecretCipher.PREFIX.length())))
                .hasSize(12 + URL.length() + 16);
    }

    @Test
    void everySealUsesANewNonce() {
        assertThat(cipher.seal("same-key", SecretColumn.INPUT_STREAM_KEY))
                .isNotEqualTo(cipher.seal("same-key", SecretColumn.INPUT_STREAM_KEY));
    }

    @Test
    void aValueMovedToAnotherColumnDoesNotDecrypt() {
        String sealedKey = cipher.seal("input-key-123", SecretColumn.INPUT_STREAM_KEY);

        assertThatThrownBy(() -> cipher.unseal(sealedKey, SecretColumn.DESTINATION_URL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("destinations.url")
                .hasMessageContaining("test key")
                .hasMessageNotContaining("input-key-123");
    }

    @Test
    void anotherKeyOrATamperedValueIsRefusedWithoutTheValue() {
        String sealed = cipher.seal(URL, SecretColumn.DESTINATION_URL);
        SecretCipher other = SecretCipher.of(randomKey(), "other key");
        byte[] bytes = Base64.getDecoder().decode(sealed.substring(SecretCipher.PREFIX.length()));
        bytes[20] ^= 1;
        String tampered = SecretCipher.PREFIX + Base64.getEncoder().encodeToString(bytes);

        assertThatThrownBy(() -> other.unseal(sealed, SecretColumn.DESTINATION_URL))
                .hasMessageContaining("encrypted with another key")
                .hasMessageContaining("other key");
        assertThatThrownBy(() -> cipher.unseal(tampered, SecretColumn.DESTINATION_URL))
                .hasMessageContaining("encrypted with another key or is damaged");
    }

    @Test
    void plaintextAndMalformedValuesAreRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> cipher.unseal(URL, SecretColumn.DESTINATION_URL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not encrypted")
                .hasMessageNotContaining("abcd");
        assertThatThrownBy(() -> cipher.unseal("enc:v1:not base64!", SecretColumn.WEBHOOK_SECRET))
                .hasMessageContaining("not valid base64")
                .hasMessageNotContaining("not base64!");
        assertThatThrownBy(() -> cipher.unseal("enc:v1:AAAA", SecretColumn.WEBHOOK_SECRET))
                .hasMessageContaining("too short");
    }

    @Test
    void theInputKeyDigestIsStablePerKeyFileAndDiffersBetweenKeyFiles() {
        byte[] key = randomKey();
        SecretCipher first = SecretCipher.of(key, "a");
        SecretCipher second = SecretCipher.of(key, "b");
        SecretCipher other = SecretCipher.of(randomKey(), "c");

        assertThat(first.inputKeyDigest("k1"))
                .hasSize(64)
                .isEqualTo(second.inputKeyDigest("k1"))
                .isNotEqualTo(first.inputKeyDigest("k2"))
                .isNotEqualTo(other.inputKeyDigest("k1"));
        assertThat(first.fingerprint())
                .isEqualTo(second.fingerprint())
                .isNotEqualTo(other.fingerprint())
                .isNotEqualTo(first.inputKeyDigest("k1"));
    }

    @Test
    void theKeyMustBeThirtyTwoBytesAndIsCopied() {
        assertThatThrownBy(() -> SecretCipher.of(new byte[16], "short.key"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("short.key")
                .hasMessageContaining("16 bytes");
        byte[] key = randomKey();
        SecretCipher before = SecretCipher.of(key, "k");
        String sealed = before.seal("x", SecretColumn.WEBHOOK_SECRET);
        java.util.Arrays.fill(key, (byte) 0);
        assertThat(before.unseal(sealed, SecretColumn.WEBHOOK_SECRET)).isEqualTo("x");
        assertThat(before.toString()).isEqualTo("SecretCipher[k]");
    }

    static byte[] randomKey() {
        byte[] key = new byte[SecretCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
