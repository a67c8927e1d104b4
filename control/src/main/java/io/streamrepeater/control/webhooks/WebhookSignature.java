package io.streamrepeater.control.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signature of a webhook request: {@code sha256=} followed by the lowercase hex HMAC-SHA256 of the
 * raw request body, keyed by the webhook's secret (its UTF-8 bytes). A receiver recomputes it over the
 * bytes it received and compares in constant time.
 */
public final class WebhookSignature {
    public static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private WebhookSignature() {}

    /**
     * @param secret the webhook's secret
     * @param body the exact bytes sent as the request body
     * @return the value of {@link WebhookHeaders#SIGNATURE}, e.g. {@code sha256=5d41…}
     */
    public static String of(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            // Every Java runtime has HmacSHA256, and any non-empty key is valid for it.
            throw new IllegalStateException("cannot compute " + ALGORITHM + ": " + e, e);
        }
    }

    /**
     * @param secret the webhook's secret
     * @param body the bytes received
     * @param presented the signature header received, or null
     * @return true when it is the signature of the body under the secret (compared in constant time)
     */
    public static boolean matches(String secret, byte[] body, String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(
                of(secret, body).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII));
    }
}
