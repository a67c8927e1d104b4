package io.streamrepeater.app.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The stream name of a publish on the cluster link: which input of which channel it carries, from which node, until
 * when the name may be used, and a signature of all that under the cluster's {@link LinkKey}. The owner of a channel
 * accepts a forwarded input on nothing else, so a node without the cluster's key file cannot publish to it.
 *
 * <p>The form: {@code v1.CHANNEL.INPUT.NODE.EXPIRY.MAC}, where the names are {@code [a-z0-9-]+} (as the configuration
 * allows them, so the dot cannot occur in them), {@code EXPIRY} is in unix seconds, and {@code MAC} is the
 * HMAC-SHA256 of everything before its dot ({@code v1.CHANNEL.INPUT.NODE.EXPIRY}) in base64url without padding. The
 * sender makes a new name for each connection attempt ({@link #DEFAULT_VALIDITY_SECONDS} ahead), so a name copied
 * from the wire is of no use for long; the expiry is checked when the publish starts, not during it.
 *
 * @param channel the channel's name
 * @param input the input's name within the channel
 * @param node the node whose encoder the input's media comes from
 * @param expiresAtSeconds unix seconds after which the name is refused
 */
public record LinkStreamName(String channel, String input, String node, long expiresAtSeconds) {
    /** The RTMP {@code app} of a publish on the cluster link. */
    public static final String APP = "cluster";
    /** How long ahead the sender dates a name. */
    public static final long DEFAULT_VALIDITY_SECONDS = 60;
    /**
     * A name dated further ahead than this is refused: the sender never makes one, so it is a forgery attempt with a
     * leaked key or a node whose clock is far off, and either should be seen.
     */
    public static final long MAX_VALIDITY_SECONDS = 300;

    static final String VERSION = "v1";
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+");
    private static final Pattern SECONDS = Pattern.compile("[0-9]{1,12}");
    private static final Pattern MAC = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public LinkStreamName {
        requireName("channel", channel);
        requireName("input", input);
        requireName("node", node);
        if (expiresAtSeconds < 0) {
            throw new IllegalArgumentException("expiry must not be negative: " + expiresAtSeconds);
        }
    }

    /** A name for a publish that starts now, valid {@link #DEFAULT_VALIDITY_SECONDS} from {@code nowSeconds}. */
    public static LinkStreamName startingAt(String channel, String input, String node, long nowSeconds) {
        return new LinkStreamName(channel, input, node, nowSeconds + DEFAULT_VALIDITY_SECONDS);
    }

    /** The stream name, signed with {@code key}: a secret as long as it is valid (log {@link #toString()}). */
    public String sign(LinkKey key) {
        String fields = fields();
        return fields + "." + BASE64URL.encodeToString(key.mac(fields));
    }

    private String fields() {
        return VERSION + "." + channel + "." + input + "." + node + "." + expiresAtSeconds;
    }

    /**
     * Checks a stream name from a publish on the cluster link: its form, its signature under {@code key} (compared in
     * constant time) and its expiry.
     *
     * @param text the stream name, query string removed; never logged here
     * @param nowSeconds the receiver's unix time in seconds
     * @return the name's fields, or why it is refused (a text safe to log: it holds no part of the name)
     */
    public static Check verify(String text, LinkKey key, long nowSeconds) {
        if (text == null) {
            return new Check.Refused("no stream name");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 6) {
            return new Check.Refused(
                    "not a cluster link name (expected " + VERSION + ".CHANNEL.INPUT.NODE.EXPIRY.MAC)");
        }
        if (!parts[0].equals(VERSION)) {
            return new Check.Refused("unknown link name version (this node reads " + VERSION + ")");
        }
        if (!NAME.matcher(parts[1]).matches()
                || !NAME.matcher(parts[2]).matches()
                || !NAME.matcher(parts[3]).matches()
                || !SECONDS.matcher(parts[4]).matches()
                || !MAC.matcher(parts[5]).matches()) {
            return new Check.Refused("malformed cluster link name");
        }
        LinkStreamName name = new LinkStreamName(parts[1], parts[2], parts[3], Long.parseLong(parts[4]));
        // compared as text: one encoding of the MAC only (base64url leaves spare bits in its last character)
        byte[] expected = BASE64URL.encodeToString(key.mac(name.fields())).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, parts[5].getBytes(StandardCharsets.US_ASCII))) {
            return new Check.Refused("wrong signature: the sending node has another secret key file than this one"
                    + " (every node of a cluster needs the same <dataDir>/secret.key)");
        }
        if (name.expiresAtSeconds() < nowSeconds) {
            return new Check.Refused("expired " + (nowSeconds - name.expiresAtSeconds())
                    + " s ago (a replayed name, or the sending node's clock is behind this one's)");
        }
        if (name.expiresAtSeconds() > nowSeconds + MAX_VALIDITY_SECONDS) {
            return new Check.Refused("dated " + (name.expiresAtSeconds() - nowSeconds) + " s ahead, more than "
                    + MAX_VALIDITY_SECONDS + " s (the sending node's clock is ahead of this one's)");
        }
        return new Check.Valid(name);
    }

    /** What {@link #verify} found. */
    public sealed interface Check {
        /** A valid name: these are its fields. */
        record Valid(LinkStreamName name) implements Check {}

        /** A refused name, and why (safe to log). */
        record Refused(String reason) implements Check {}
    }

    private static void requireName(String what, String value) {
        Objects.requireNonNull(value, what);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " name '" + value + "' must match [a-z0-9-]+");
        }
    }
}
