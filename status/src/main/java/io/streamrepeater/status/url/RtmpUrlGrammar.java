package io.streamrepeater.status.url;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The grammar of a destination's {@code rtmp://} or {@code rtmps://} URL, defined once: scheme, host (an IPv6
 * literal in brackets), port with the defaults 1935 and 443, the app, the stream name (the key), and the masking
 * that keeps the key out of logs.
 *
 * <p>Why here. The configuration checks destination URLs when a file, the API or the store hands them in, and the
 * RTMP client session takes them apart to connect and publish; both must agree on which URLs are valid and where
 * the key is. The control plane may import only {@code status}, the RTMP code only {@code media}; {@code status} is
 * the one layer anyone may import (DESIGN §2). The grammar is plain Java with no dependencies, so it lives in a
 * package of its own inside that module instead of a module of its own. Each side keeps its own wording: the
 * configuration names the field, the line and the column; the RTMP session builds {@code tcUrl} and the stream
 * name of {@code publish} from the parts.
 *
 * <p>How the path is split. The stream name is the last path segment together with a query string that follows it
 * ({@code live2/KEY?backup=1} publishes {@code KEY?backup=1}; Twitch's {@code app/KEY?bandwidthtest=true}
 * likewise); the app is everything between the host and the stream name ({@code app/inst} in
 * {@code rtmp://host/app/inst/KEY}). This is the "server URL + stream key" model every platform documents, and it
 * differs from ffmpeg/librtmp only for paths of four or more segments, where they cap the app at two. A query that
 * sits in the app, as in YouTube's backup server {@code rtmp://b.rtmp.youtube.com/live2?backup=1} followed by
 * {@code /KEY}, stays in the app; the stream name starts after the first slash that follows that query.
 */
public final class RtmpUrlGrammar {
    public static final int DEFAULT_RTMP_PORT = 1935;
    public static final int DEFAULT_RTMPS_PORT = 443;
    /** What replaces a stream key (and anything that could be one) in logs and messages. */
    public static final String MASK = "****";

    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*(%[A-Za-z0-9._~-]+)?");
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*");

    private RtmpUrlGrammar() {}

    /**
     * A URL taken apart.
     *
     * @param tls true for {@code rtmps://}
     * @param host host name or IP address; an IPv6 literal without its brackets ({@code ::1})
     * @param port TCP port; 1935 for rtmp and 443 for rtmps when the URL gives none
     * @param app the application path, possibly with segments ({@code app/inst}) or a query ({@code live2?backup=1})
     * @param streamName the stream key with any query string after it; secret
     */
    public record Parts(boolean tls, String host, int port, String app, String streamName) {}

    /** What is wrong with a URL; each side words it its own way, {@link #text} is the common sentence. */
    public enum Problem {
        EMPTY("is empty"),
        WHITESPACE("contains whitespace or control characters"),
        NOT_RTMP("must start with rtmp:// or rtmps://"),
        USER_INFO("must not contain user info (user@host)"),
        UNCLOSED_BRACKET("has an unclosed '[' in its host"),
        TEXT_AFTER_IPV6_HOST("has text after its IPv6 host"),
        IPV6_WITHOUT_BRACKETS("has an IPv6 host without brackets (write rtmp://[::1]:1935/...)"),
        NO_HOST("has no host"),
        INVALID_IPV6_HOST("has an invalid IPv6 host"),
        INVALID_HOST("has an invalid host"),
        /** The detail is the port as written. */
        INVALID_PORT("has an invalid port '%s' (expected 1..65535)"),
        NO_APP_AND_NO_KEY("has no app and no stream key"),
        NO_KEY_AFTER_APP("has no stream key after the app"),
        NO_APP("has no app before the stream key");

        private final String text;

        Problem(String text) {
            this.text = text;
        }

        /** @return true for the problems of the path (app and stream key), after a valid scheme and host */
        public boolean inPath() {
            return this == NO_APP_AND_NO_KEY || this == NO_KEY_AFTER_APP || this == NO_APP;
        }
    }

    /** A URL that does not follow the grammar. The message never contains the URL. */
    public static final class Malformed extends IllegalArgumentException {
        private final Problem problem;

        Malformed(Problem problem, String detail) {
            super(problem.text.formatted(detail));
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * @param url a URL as a platform gives it, e.g. {@code rtmp://a.rtmp.youtube.com/live2/KEY}; surrounding
     *     whitespace counts as whitespace (strip it first where that is wanted)
     * @return the URL taken apart
     * @throws Malformed if it is not a usable rtmp/rtmps URL
     */
    public static Parts parse(String url) {
        if (url == null || url.isBlank()) {
            throw new Malformed(Problem.EMPTY, null);
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new Malformed(Problem.WHITESPACE, null);
        }
        int separator = url.indexOf("://");
        String scheme = separator < 0 ? "" : url.substring(0, separator).toLowerCase(Locale.ROOT);
        if (!scheme.equals("rtmp") && !scheme.equals("rtmps")) {
            throw new Malformed(Problem.NOT_RTMP, null);
        }
        boolean tls = scheme.equals("rtmps");
        String rest = url.substring(separator + 3);
        int authorityEnd = firstIndexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        if (authority.contains("@")) {
            throw new Malformed(Problem.USER_INFO, null);
        }
        String host;
        String portText;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new Malformed(Problem.UNCLOSED_BRACKET, null);
            }
            host = authority.substring(1, close);
            String afterHost = authority.substring(close + 1);
            if (!afterHost.isEmpty() && !afterHost.startsWith(":")) {
                throw new Malformed(Problem.TEXT_AFTER_IPV6_HOST, null);
            }
            portText = afterHost.isEmpty() ? null : afterHost.substring(1);
            if (host.isEmpty()) {
                throw new Malformed(Problem.NO_HOST, null);
            }
            if (!IPV6_LITERAL.matcher(host).matches()) {
                throw new Malformed(Problem.INVALID_IPV6_HOST, null);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                throw new Malformed(Problem.IPV6_WITHOUT_BRACKETS, null);
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
            if (host.isEmpty()) {
                throw new Malformed(Problem.NO_HOST, null);
            }
            if (!HOST_NAME.matcher(host).matches()) {
                throw new Malformed(Problem.INVALID_HOST, null);
            }
        }
        int port = portText == null ? defaultPort(tls) : port(portText);
        String path = rest.substring(authorityEnd);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        if (path.isEmpty()) {
            throw new Malformed(Problem.NO_APP_AND_NO_KEY, null);
        }
        if (path.endsWith("/")) {
            throw new Malformed(Problem.NO_KEY_AFTER_APP, null);
        }
        int cut = streamNameCut(path);
        if (cut <= 0 || !isApp(path.substring(0, cut))) {
            throw new Malformed(Problem.NO_APP, null);
        }
        String streamName = path.substring(cut + 1);
        if (!isStreamName(streamName)) {
            throw new Malformed(Problem.NO_KEY_AFTER_APP, null);
        }
        return new Parts(tls, host, port, path.substring(0, cut), streamName);
    }

    /** @return the port a URL without one connects to: 443 for rtmps, 1935 for rtmp */
    public static int defaultPort(boolean tls) {
        return tls ? DEFAULT_RTMPS_PORT : DEFAULT_RTMP_PORT;
    }

    /** @return true for a host name, an IPv4 address or an IPv6 literal without brackets */
    public static boolean isHost(String host) {
        return HOST_NAME.matcher(host).matches() || IPV6_LITERAL.matcher(host).matches();
    }

    /** @return true for a TCP port number */
    public static boolean isPort(int port) {
        return port >= 1 && port <= 65535;
    }

    /** @return true for an app: not empty, no query or slash in front, no slash at the end */
    public static boolean isApp(String app) {
        return !app.isEmpty() && !app.startsWith("?") && !app.startsWith("/") && !app.endsWith("/");
    }

    /** @return true for a stream name: not empty, no slash in front */
    public static boolean isStreamName(String streamName) {
        return !streamName.isEmpty() && !streamName.startsWith("/");
    }

    /** @return the host as written in a URL: an IPv6 literal in brackets */
    public static String bracketed(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /**
     * Masks any text that was meant to be an RTMP URL, valid or not, by the same split as {@link #parse}: the
     * stream key and anything after it, a query in the app, and user info become {@code ****}. When in doubt it
     * hides more: text without {@code scheme://} becomes just {@code ****}, and a trailing slash does not protect
     * the segment before it.
     *
     * @param url any text
     * @return the text safe to log
     */
    public static String mask(String url) {
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
        StringBuilder masked =
                new StringBuilder(url.substring(0, separator)).append("://").append(authority);
        int cut = streamNameCut(path);
        if (cut > 0) {
            masked.append('/').append(maskQuery(path.substring(0, cut)));
        }
        if (hadPath) {
            masked.append('/').append(MASK);
        }
        return masked.toString();
    }

    /** A query in the app may carry a token too (e.g. {@code app?auth=...}): keep its '?', hide the rest. */
    public static String maskQuery(String app) {
        int query = app.indexOf('?');
        return query < 0 ? app : app.substring(0, query + 1) + MASK;
    }

    /**
     * @return the index of the slash between app and stream name, or -1: the last slash before the first '?', or
     *     if the query is in the first segment, the first slash after it
     */
    private static int streamNameCut(String path) {
        int query = path.indexOf('?');
        if (query < 0) {
            return path.lastIndexOf('/');
        }
        int beforeQuery = path.lastIndexOf('/', query);
        return beforeQuery >= 0 ? beforeQuery : path.indexOf('/', query);
    }

    private static int port(String text) {
        if (!text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            int port = Integer.parseInt(text);
            if (isPort(port)) {
                return port;
            }
        }
        throw new Malformed(Problem.INVALID_PORT, text);
    }

    private static int firstIndexOfAny(String text, String characters) {
        for (int i = 0; i < text.length(); i++) {
            if (characters.indexOf(text.charAt(i)) >= 0) {
                return i;
            }
        }
        return text.length();
    }
}
