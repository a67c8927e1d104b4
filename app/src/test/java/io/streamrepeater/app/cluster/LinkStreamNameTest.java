package io.streamrepeater.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.control.store.SecretCipher;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The signed stream names of the cluster link, byte for byte: the expected names were computed outside Java (Python's
 * {@code hmac} and {@code base64.urlsafe_b64encode}), so a change of the form or the MAC breaks this test, not only
 * a round trip.
 */
class LinkStreamNameTest {
    /** Key bytes 0x00..0x1f. */
    private static final LinkKey KEY = LinkKey.of(counting());

    private static final long NOW = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final String SIGNED = "v1.show.backup.b.1767225660.5UUl-ioKYt7JKU-wBgI2SepdB1R_XHEUHB1MHmHu4IE";

    private static byte[] counting() {
        byte[] key = new byte[32];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) i;
        }
        return key;
    }

    @Test
    void aNameIsTheFieldsAndTheirHmacInBase64url() {
        LinkStreamName name = LinkStreamName.startingAt("show", "backup", "b", NOW);

        assertThat(name.expiresAtSeconds()).isEqualTo(NOW + 60);
        assertThat(name.sign(KEY)).isEqualTo(SIGNED);
    }

    @Test
    void theLinkKeyIsTheHmacOfTheLabelWithTheKeyFilesKeyNeverTheKeyItself() {
        byte[] fileKey = new byte[32];
        Arrays.fill(fileKey, (byte) 7);
        SecretCipher cipher = SecretCipher.of(fileKey, "test key");

        assertThat(cipher.clusterLinkKey())
                .asHexString()
                .isEqualToIgnoringCase("2dcb80c60fb7f4ebbc07d79446a5523beac84b539d0588629272e927dd051946");
        assertThat(LinkStreamName.startingAt("show", "backup", "b", NOW).sign(LinkKey.from(cipher)))
                .isEqualTo("v1.show.backup.b.1767225660.hUnwllknjIXjJYye-lOOrkkFd5bOuB5TZ1bA64cmTV0");
    }

    @Test
    void aValidNameGivesItsFields() {
        assertThat(LinkStreamName.verify(SIGNED, KEY, NOW + 59))
                .isEqualTo(new LinkStreamName.Check.Valid(new LinkStreamName("show", "backup", "b", NOW + 60)));
    }

    @Test
    void aTamperedFieldIsRefusedForItsSignature() {
        for (String tampered : new String[] {
            SIGNED.replace(".backup.", ".primary."),
            SIGNED.replace("v1.show.", "v1.shop."),
            SIGNED.replace(".b.", ".c."),
            SIGNED.replace(".1767225660.", ".1767225690."),
            SIGNED.replace(".5UUl", ".6UUl"),
            SIGNED.substring(0, SIGNED.length() - 1) + "F" // the same MAC bytes in base64url, another spelling
        }) {
            assertThat(refusal(tampered, KEY, NOW)).as(tampered).startsWith("wrong signature");
        }
    }

    @Test
    void anotherClustersKeyIsRefused() {
        byte[] other = counting();
        other[31] ^= 1;

        assertThat(refusal(SIGNED, LinkKey.of(other), NOW)).startsWith("wrong signature");
    }

    @Test
    void anExpiredNameIsRefused() {
        assertThat(refusal(SIGNED, KEY, NOW + 60)).isNull(); // valid through its expiry second
        assertThat(refusal(SIGNED, KEY, NOW + 61)).startsWith("expired 1 s ago");
    }

    @Test
    void aNameDatedTooFarAheadIsRefused() {
        String far = new LinkStreamName("show", "backup", "b", NOW + 301).sign(KEY);

        assertThat(refusal(far, KEY, NOW)).startsWith("dated 301 s ahead");
    }

    @Test
    void whatIsNotALinkNameIsRefusedWithoutLookingAtTheMac() {
        assertThat(refusal("long-random-secret-2", KEY, NOW)).startsWith("not a cluster link name");
        assertThat(refusal(SIGNED.replaceFirst("^v1", "v2"), KEY, NOW)).startsWith("unknown link name version");
        assertThat(refusal(SIGNED.replace(".show.", ".Show."), KEY, NOW)).isEqualTo("malformed cluster link name");
        assertThat(refusal(SIGNED.replace(".1767225660.", ".-1."), KEY, NOW)).isEqualTo("malformed cluster link name");
        assertThat(refusal(SIGNED + "A", KEY, NOW)).isEqualTo("malformed cluster link name");
        assertThat(refusal(null, KEY, NOW)).isEqualTo("no stream name");
    }

    @Test
    void aRefusalNamesNoPartOfTheName() {
        String reason = refusal(SIGNED.replace(".b.", ".c."), KEY, NOW);

        assertThat(reason).doesNotContain("5UUl").doesNotContain("show").doesNotContain("backup");
    }

    @Test
    void namesOutsideTheConfigurationsAlphabetCannotBeSigned() {
        assertThatThrownBy(() -> new LinkStreamName("show.x", "backup", "b", NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("channel name 'show.x' must match [a-z0-9-]+");
        assertThatThrownBy(() -> LinkKey.of(new byte[16])).hasMessageContaining("at least 32 bytes");
        assertThat(KEY.toString()).isEqualTo("LinkKey[****]");
    }

    private static String refusal(String text, LinkKey key, long now) {
        return LinkStreamName.verify(text, key, now) instanceof LinkStreamName.Check.Refused r ? r.reason() : null;
    }
}
