package io.streamrepeater.rtmp.session;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A destination's {@code rtmp://} or {@code rtmps://} URL taken apart for the client publish session:
 * where to connect, the {@code app} and {@code tcUrl} of the {@code connect} command, and the stream
 * name of the {@code publish} command.
 *
 * <p>How the path is split. The stream name is the last path segment together with a query string
 * that follows it ({@code live2/KEY?backup=1} publishes {@code KEY?backup=1}; Twitch's
 * {@code app/KEY?bandwidthtest=true} likewise); the app is everything between the host and the stream
 * name ({@code app/inst} in {@code rtmp://host/app/inst/KEY}). This is the "server URL + stream key"
 * model every platform documents, and it differs from ffmpeg/librtmp only for paths of four or more
 * segments, where they cap the app at two. A query that sits in the app, as in YouTube's backup server
 * {@code rtmp://b.rtmp.youtube.com/live2?backup=1} followed by {@code /KEY}, stays in the app and so
 * in {@code tcUrl}; the stream name starts after the first slash that follows that query.
 *
 * <p>The stream name is a secret. {@link #toString()} is {@link #redacted()}, and every parse error
 * shows the input through {@link #redact(String)}, so a key cannot reach a log by accident.
 *
 * @param tls true for {@code rtmps://}
 * @param host host name or IP address; an IPv6 literal without its brackets ({@code ::1})
 * @param port TCP port; 1935 for rtmp and 443 for rtmps when the URL gives none
 * @param app the application path, possibly with segments ({@code app/inst}) or a query ({@code live2?backup=1})
 * @param streamName the stream key with any query string after it; secret
 */
public record RtmpUrl(boolean tls, String host, int port, String app, String streamName) {
    public static final int DEFAULT_RTMP_PORT = 1935;
    public static final int DEFAULT_RTMPS_PORT = 443;
    /** What replaces a stream key (and anything that could be one) in logs and messages. */
    public static final String MASK = "****";

    private static final String EXPECTED_FORM = "expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY";
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._~-]+)?");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    public RtmpUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(streamName, "streamName");
        String shown = (tls ? "rtmps://" : "rtmp://") + bracketed(host) + ":" + port + "/" + app + "/" + MASK;
        if (!HOST_NAME.matcher(host).matches() && !IPV6_LITERAL.matcher(host).matches()) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has an invalid host");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has an invalid port (expected 1..65535)");
        }
        if (app.isEmpty() || app.startsWith("?") || app.startsWith("/") || app.endsWith("/")) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has no app; " + EXPECTED_FORM);
        }
        if (streamName.isEmpty() || streamName.startsWith("/")) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has no stream key; " + EXPECTED_FORM);
        }
    }

    /**
     * @param url a URL as a platform gives it, e.g. {@code rtmp://a.rtmp.youtube.com/live2/KEY};
     *     surrounding whitespace is ignored
     * @return the URL taken apart
     * @throws IllegalArgumentException if it is not a usable rtmp/rtmps URL; the message shows the
     *     input redacted, never the stream key
     */
    public static RtmpUrl parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("RTMP URL is empty; " + EXPECTED_FORM);
        }
        String text = url.strip();
        if (text.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw invalid(text, "contains whitespace or control characters");
        }
        int separator = text.indexOf("://");
        String scheme = separator < 0 ? "" : text.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw invalid(text, "must start with rtmp:// or rtmps://");
        }
        boolean tls = scheme.equals("rtmps");
        String rest = text.substring(separator + 3);
        int authorityEnd = firstIndexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        if (authority.contains("@")) {
            throw invalid(text, "must not contain user info (user@host)");
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(text, "has an unclosed '[' in its host");
            }
            host = authority.substring(1, close);
            String afterHost = authority.substring(close + 1);
            if (!afterHost.isEmpty() && !afterHost.startsWith(":")) {
                throw invalid(text, "has text after its IPv6 host");
            }
            portText = afterHost.isEmpty() ? null : afterHost.substring(1);
            if (!IPV6_LITERAL.matcher(host).matches()) {
                throw invalid(text, "has an invalid IPv6 host");
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw invalid(text, "has an IPv6 host without brackets (write rtmp://[::1]:1935/...)");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw invalid(text, "has no host");
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw invalid(text, "has an invalid host");
            }
        }
        int port = portText == null ? (tls ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT) : port(text, portText);
        String path = rest.substring(authorityEnd);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty()) {
            throw invalid(text, "has no app and no stream key; " + EXPECTED_FORM);
        }
        if (path.endsWith("/")) {
            throw invalid(text, "has no stream key after the app; " + EXPECTED_FORM);
        }
        int cut = streamNameCut(path);
        if (cut <= 0 || path.startsWith("?")) {
            throw invalid(text, "has no app before the stream key; " + EXPECTED_FORM);
        }
        return new RtmpUrl(tls, host, port, path.substring(0, cut), path.substring(cut + 1));
    }

    /** @return {@code rtmp} or {@code rtmps} */
    public String scheme() {
        return tls ? "rtmps" : "rtmp";
    }

    /**
     * @return the {@code tcUrl} of the {@code connect} command: {@code scheme://host:port/app}, the port
     *     always written (as ffmpeg does), a query that belongs to the app kept, never the stream key
     */
    public String tcUrl() {
        return scheme() + "://" + bracketed(host) + ":" + port + "/" + app;
    }

    /**
     * @return the URL with the stream name (and its query) and any query of the app replaced by
     *     {@code ****}; the port is shown only when it is not the scheme's default. Safe to log and show.
     */
    public String redacted() {
        int defaultPort = tls ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT;
        String portPart = port == defaultPort ? "" : ":" + port;
        return scheme() + "://" + bracketed(host) + portPart + "/" + maskQuery(app) + "/" + MASK;
    }

    /** @return {@link #redacted()}: the stream key never reaches a log through string concatenation */
    @Override
    public String toString() {
        return redacted();
    }

    /**
     * Redacts any text that was meant to be an RTMP URL, valid or not, by the same split as
     * {@link #parse}: the stream key and anything after it, a query in the app, and user info become
     * {@code ****}. When in
     * doubt it hides more: text without {@code scheme://} becomes just {@code ****}, and a trailing
     * slash does not protect the segment before it.
     *
     * @param url any text
     * @return the text safe to log
     */
    public static String redact(String url) {
        if (url == null) {
            return "null";
        }
        int separator = url.indexOf("://");
        if (separator <= 0 || !SCHEME.matcher(url.substring(0, separator)).matches()) {
            return MASK;
        }
        String rest = url.substring(separator + 3);
        int authorityEnd = firstIndexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = MASK + authority.substring(at);
        }
        String path = rest.substring(authorityEnd);
        boolean hadPath = !path.isEmpty();
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        StringBuilder redacted =
                new StringBuilder(url.substring(0, separator)).append("://").append(authority);
        int cut = streamNameCut(path);
        if (cut > 0) {
            redacted.append('/').append(maskQuery(path.substring(0, cut)));
        }
        if (hadPath) {
            redacted.append('/').append(MASK);
        }
        return redacted.toString();
    }

    /**
     * @return the index of the slash between app and stream name, or -1: the last slash before the
     *     first '?', or if the query is in the first segment, the first slash after it
     */
    private static int streamNameCut(String path) {
        int query = path.indexOf('?');
        if (query < 0) {
            return path.lastIndexOf('/');
        }
        int beforeQuery = path.lastIndexOf('/', query);
        return beforeQuery >= 0 ? beforeQuery : path.indexOf('/', query);
    }

    /** A query in the app may carry a token too (e.g. {@code app?auth=...}): keep its '?', hide the rest. */
    private static String maskQuery(String app) {
        int query = app.indexOf('?');
        return query < 0 ? app : app.substring(0, query + 1) + MASK;
    }

    private static int port(String url, String text) {
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        }
        throw invalid(url, "has an invalid port '" + text + "' (expected 1..65535)");
    }

    private static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    private static int firstIndexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }

    private static IllegalArgumentException invalid(String url, String problem) {
        return new IllegalArgumentException("RTMP URL '" + redact(url) + "' " + problem);
    }
}
