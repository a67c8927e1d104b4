package io.streamrepeater.control.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The value rules of the configuration contract (DESIGN §4), shared by the records (which refuse to
 * be built invalid) and by {@link ConfigLoader} (which reports the same message with a file position).
 *
 * <p>Every method throws {@link IllegalArgumentException} whose message names the value; secrets
 * (input keys, stream keys, admin tokens) are never echoed.
 */
final class ConfigRules {
    static final String NAME_PATTERN_TEXT = "[a-z0-9-]+";
    static final int MAX_NAME_LENGTH = 64;
    static final int MAX_KEY_LENGTH = 256;
    static final String KEY_CHARACTERS = "A-Z a-z 0-9 - . _ ~";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN_TEXT);
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._~-]+");
    /** Printable ASCII without space: what fits in an HTTP {@code Authorization: Bearer} header. */
    private static final Pattern TOKEN = Pattern.compile("[\\x21-\\x7E]+");

    static final String SQLITE_URL_PREFIX = "jdbc:sqlite:";
    static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";
    static final String DATABASE_FORM =
            "jdbc:sqlite:PATH or jdbc:postgresql://HOST[:PORT]/DATABASE?user=USER&password=PASSWORD";
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    /**
     * What an IPv6 literal is made of: a colon somewhere, a hex digit or a colon first. {@link InetAddress} parses
     * such a text as a literal and never looks it up as a name.
     */
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("(?=.*:)[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    /** A parameter whose name says password ({@code password}, {@code sslpassword}), and its value. */
    private static final Pattern PASSWORD_PARAMETER = Pattern.compile("([?&;][A-Za-z]*password=)([^&;]*)");
    /** The password of a {@code //user:password@host} authority. */
    private static final Pattern USER_INFO_PASSWORD = Pattern.compile("(//[^/:@?]*:)([^/@?]*)(@)");

    private ConfigRules() {}

    /**
     * {@code server.database}: the store every setting lives in. The embedded SQLite file or a PostgreSQL database
     * (the one a cluster of nodes shares); the URL's password is never shown in a message.
     *
     * @return the URL, or null when none is given (the embedded SQLite store in the data directory)
     */
    static String requireDatabaseOrNull(String url) {
        if (url == null) {
            return null;
        }
        boolean known = (url.startsWith(SQLITE_URL_PREFIX) && url.length() > SQLITE_URL_PREFIX.length())
                || (url.startsWith(POSTGRESQL_URL_PREFIX) && url.length() > POSTGRESQL_URL_PREFIX.length());
        if (!known || url.chars().anyMatch(c -> c <= 0x20)) {
            throw new IllegalArgumentException(
                    "database '" + redactDatabase(url) + "' must be a JDBC URL: " + DATABASE_FORM);
        }
        return url;
    }

    /** @return the database URL with every password replaced by {@code ****} (for messages and masked exports) */
    static String redactDatabase(String url) {
        String masked =
                PASSWORD_PARAMETER.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(DestinationUrl.MASK));
        return USER_INFO_PASSWORD
                .matcher(masked)
                .replaceAll("$1" + Matcher.quoteReplacement(DestinationUrl.MASK) + "$3");
    }

    /**
     * {@code server.bind}: the one address every listener listens on. A literal, not a host name, so that what the
     * server listens on cannot change with DNS.
     *
     * @return the address, or null when none is given (every interface)
     */
    static String requireBindOrNull(String bind) {
        if (bind == null || bind.equals("localhost") || isIpLiteral(bind)) {
            return bind;
        }
        throw new IllegalArgumentException("bind '" + bind + "' must be an IP address (IPv4 such as 127.0.0.1 or IPv6"
                + " such as ::1, without brackets) or localhost; leave it out to listen on every interface");
    }

    /** @return whether the text is an IPv4 or IPv6 address literal (never looks a name up) */
    static boolean isIpLiteral(String text) {
        if (IPV4.matcher(text).matches()) {
            return true;
        }
        if (!IPV6_CHARACTERS.matcher(text).matches()) {
            return false;
        }
        try {
            InetAddress.getByName(text); // a literal: parsed, not resolved (it holds a colon and hex digits only)
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * The cluster link is a TCP listener like RTMP, RTMPS and HTTP: it cannot share their port. (SRT is UDP.)
     *
     * @return the cluster port
     */
    static int requireClusterPort(int clusterPort, int rtmpPort, int rtmpsPort, int httpPort) {
        if (clusterPort == 0) {
            return clusterPort;
        }
        String[] names = {"rtmpPort", "rtmpsPort", "httpPort"};
        int[] ports = {rtmpPort, rtmpsPort, httpPort};
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == clusterPort) {
                throw new IllegalArgumentException(
                        "clusterPort " + clusterPort + " is already used by " + names[i] + "; TCP ports must differ");
            }
        }
        return clusterPort;
    }

    /**
     * @param kind what is named: {@code channel}, {@code input} or {@code destination}
     * @param name the name to check
     * @return the name
     */
    static String requireName(String kind, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(kind + " name '" + name + "' must match " + NAME_PATTERN_TEXT);
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException(
                    kind + " name '" + name + "' is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return name;
    }

    /**
     * Input keys appear in ingest URLs ({@code rtmp://HOST:PORT/live/KEY}) and SRT stream ids, so they
     * are limited to URL-safe characters.
     *
     * @param inputName the input the key belongs to (named in the message instead of the key)
     * @param key the key to check
     * @return the key
     */
    /**
     * The shortest input key accepted from a configuration file, {@code apply} or the API: 12 characters of the
     * 66-character key alphabet are about 72 bits, which no online guessing reaches (a wrong key is also refused
     * more slowly each time, per address). Keys stored by earlier versions are still read.
     */
    public static final int MIN_NEW_KEY_LENGTH = 12;

    /** As {@link #requireInputKey}, and at least {@link #MIN_NEW_KEY_LENGTH} characters: a key given now. */
    public static String requireNewInputKey(String inputName, String key) {
        requireInputKey(inputName, key);
        if (key.length() < MIN_NEW_KEY_LENGTH) {
            throw new IllegalArgumentException("key of input '" + inputName + "' is " + key.length() + " characters;"
                    + " at least " + MIN_NEW_KEY_LENGTH + " are needed so that it cannot be guessed (the key itself is"
                    + " not shown)");
        }
        return key;
    }

    static String requireInputKey(String inputName, String key) {
        if (key == null
                || key.isEmpty()
                || key.length() > MAX_KEY_LENGTH
                || !KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key of input '" + inputName + "' must be 1 to " + MAX_KEY_LENGTH
                    + " characters from " + KEY_CHARACTERS + " (the key itself is not shown)");
        }
        return key;
    }

    /** SRT receive latency: 20 ms (loopback) to 8 s (a bonded cellular link with a deep buffer). */
    static int requireSrtLatency(int latencyMs) {
        if (latencyMs < 20 || latencyMs > 8000) {
            throw new IllegalArgumentException("srtLatencyMs " + latencyMs + " is outside 20..8000");
        }
        return latencyMs;
    }

    /**
     * SRT's passphrase rule (libsrt refuses others): 10 to 79 characters. Printable ASCII only here, so that it can
     * be typed into an encoder and pasted into a URL.
     *
     * @return the passphrase, or null when none is set
     */
    static String requireSrtPassphrase(String inputName, String passphrase) {
        if (passphrase != null
                && (passphrase.length() < 10
                        || passphrase.length() > 79
                        || !passphrase.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new IllegalArgumentException(
                    "srtPassphrase of input '" + inputName
                            + "' must be 10 to 79 printable ASCII characters without spaces (SRT's rule; the passphrase itself is not shown)");
        }
        return passphrase;
    }

    /**
     * @param field the port's key, e.g. {@code rtmpPort}
     * @param port the port; 0 means disabled
     * @return the port
     */
    static int requirePort(String field, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(field + " " + port + " is outside 0..65535");
        }
        return port;
    }

    /**
     * @param rtmpsPort the RTMPS ingest port; 0 means disabled
     * @param rtmpPort the RTMP ingest port, which it must not share
     * @param httpPort the HTTP port, which it must not share
     * @param hasTls whether a {@code tls} section names the certificate it needs
     * @return the RTMPS port
     */
    static int requireRtmpsPort(int rtmpsPort, int rtmpPort, int httpPort, boolean hasTls) {
        if (rtmpsPort == 0) {
            return rtmpsPort;
        }
        if (rtmpsPort == rtmpPort) {
            throw new IllegalArgumentException(
                    "rtmpsPort " + rtmpsPort + " is already used by rtmpPort; TCP ports must differ");
        }
        if (rtmpsPort == httpPort) {
            throw new IllegalArgumentException(
                    "rtmpsPort " + rtmpsPort + " is already used by httpPort; TCP ports must differ");
        }
        if (!hasTls) {
            throw new IllegalArgumentException("rtmpsPort " + rtmpsPort
                    + " needs a certificate: add server.tls: { certFile: PATH, keyFile: PATH }, or set rtmpsPort to 0");
        }
        return rtmpsPort;
    }

    static int requireHttpsPort(int httpsPort, int rtmpPort, int rtmpsPort, int httpPort, boolean hasTls) {
        if (httpsPort == 0) {
            return httpsPort;
        }
        for (var used : java.util.Map.of("rtmpPort", rtmpPort, "rtmpsPort", rtmpsPort, "httpPort", httpPort)
                .entrySet()) {
            if (used.getValue() == httpsPort) {
                throw new IllegalArgumentException(
                        "httpsPort " + httpsPort + " is already used by " + used.getKey() + "; TCP ports must differ");
            }
        }
        if (!hasTls) {
            throw new IllegalArgumentException("httpsPort " + httpsPort
                    + " needs a certificate: add server.tls: { certFile: PATH, keyFile: PATH }, or set httpsPort to 0");
        }
        return httpsPort;
    }

    /**
     * @param field the key being checked, e.g. {@code inputLossMs}
     * @param value its value
     * @param minimum the smallest value allowed
     * @return the value
     */
    static int requireAtLeast(String field, int value, int minimum) {
        if (value < minimum) {
            throw new IllegalArgumentException(field + " " + value + " is below the minimum of " + minimum);
        }
        return value;
    }

    /**
     * @param field the key being checked, e.g. {@code retryMaxMs}
     * @param value its value
     * @param minimum the smallest value allowed
     * @param maximum the largest value allowed
     * @return the value
     */
    static int requireBetween(String field, int value, int minimum, int maximum) {
        if (value < minimum || value > maximum) {
            throw new IllegalArgumentException(field + " " + value + " is outside " + minimum + ".." + maximum);
        }
        return value;
    }

    /**
     * @param destinationName the destination the URL belongs to
     * @param url its rtmp:// or rtmps:// URL
     * @return the URL
     */
    static String requireDestinationUrl(String destinationName, String url) {
        return requireDestinationUrl(destinationName, url, "url");
    }

    /**
     * @param destinationName the destination the URL belongs to
     * @param url its rtmp:// or rtmps:// URL
     * @param field the key it came from: {@code url} or {@code backupUrl}
     * @return the URL
     */
    static String requireDestinationUrl(String destinationName, String url, String field) {
        DestinationUrl.problem(url).ifPresent(problem -> {
            throw new IllegalArgumentException(
                    field + " '" + DestinationUrl.mask(url) + "' of destination '" + destinationName + "' " + problem);
        });
        return url;
    }

    /**
     * @param token the admin token, or null when it is to be generated
     * @return the token
     */
    static String requireAdminTokenOrNull(String token) {
        if (token != null && !TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException(
                    "adminToken must be printable ASCII without spaces (the token itself is not shown)");
        }
        return token;
    }

    /**
     * @param slate the slate file, or null for none
     * @return the slate
     */
    static String requireSlateOrNull(String slate) {
        if (slate != null && slate.isBlank()) {
            throw new IllegalArgumentException("slate must name a file or be left out");
        }
        return slate;
    }

    /**
     * @param url the webhook receiver's http:// or https:// URL
     * @return the URL
     */
    static String requireWebhookUrl(String url) {
        WebhookUrl.problem(url).ifPresent(problem -> {
            throw new IllegalArgumentException("webhook url '" + WebhookUrl.mask(url) + "' " + problem);
        });
        return url;
    }

    /**
     * @param url the webhook the secret belongs to (named in the message, masked, instead of the secret)
     * @param secret the key of its HMAC signature
     * @return the secret
     */
    static String requireWebhookSecret(String url, String secret) {
        if (secret == null
                || secret.length() < WebhookConfig.MIN_SECRET_LENGTH
                || secret.length() > WebhookConfig.MAX_SECRET_LENGTH
                || !TOKEN.matcher(secret).matches()) {
            throw new IllegalArgumentException("secret of webhook '" + WebhookUrl.mask(url) + "' must be "
                    + WebhookConfig.MIN_SECRET_LENGTH + " to " + WebhookConfig.MAX_SECRET_LENGTH
                    + " printable ASCII characters without spaces (the secret itself is not shown)");
        }
        return secret;
    }
}
