package io.streamrepeater.control.config;

import java.util.Locale;
import java.util.Optional;

/**
 * Checks and masks destination URLs without depending on the RTMP code (the control plane must not).
 *
 * <p>The split follows {@code io.streamrepeater.rtmp.session.RtmpUrl}: the stream key is the last
 * path segment plus a query string that follows it; the app is everything between the host and the
 * stream key. When the query sits in the app ({@code live2?backup=1/KEY}, YouTube's backup form),
 * the key starts after the first slash that follows the query. Masking errs on the side of hiding
 * too much: whatever could be the key becomes {@code ****}, and so does a query in the app (it may
 * hold an auth token).
 */
final class DestinationUrl {
    static final String MASK = "****";
    static final String EXPECTED_FORM = "rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...";

    private DestinationUrl() {}

    /** The URL taken apart; {@code app} and {@code streamKey} may be empty. */
    private record Parts(String scheme, String authority, String app, String streamKey, boolean trailingSlash) {}

    /**
     * @param url any text the user gave as a destination URL
     * @return the URL with its stream key (and any query after it) and any user info replaced by {@code ****};
     *     just {@code ****} when the text is not shaped like a URL at all
     */
    static String mask(String url) {
        Parts parts = split(url);
        if (parts == null) {
            return MASK;
        }
        StringBuilder masked = new StringBuilder(parts.scheme()).append("://").append(maskUserInfo(parts.authority()));
        if (!parts.app().isEmpty()) {
            masked.append('/').append(maskQuery(parts.app()));
        }
        if (!parts.streamKey().isEmpty() || parts.trailingSlash()) {
            masked.append('/').append(MASK);
        }
        return masked.toString();
    }

    /**
     * @param url a destination URL
     * @return what is wrong with it (without the URL itself), or empty if it is a usable rtmp/rtmps URL
     */
    static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is empty; expected " + EXPECTED_FORM);
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("contains whitespace or control characters");
        }
        Parts parts = split(url);
        if (parts == null || !isRtmpScheme(parts.scheme())) {
            return Optional.of("must start with rtmp:// or rtmps://");
        }
        String authority = parts.authority();
        if (authority.contains("@")) {
            return Optional.of("must not contain user info (user@host)");
        }
        Optional<String> authorityProblem = authorityProblem(authority);
        if (authorityProblem.isPresent()) {
            return authorityProblem;
        }
        if (parts.app().isEmpty()
                || parts.app().startsWith("?")
                || parts.streamKey().isEmpty()
                || parts.trailingSlash()) {
            return Optional.of("needs an app and a stream key: " + EXPECTED_FORM);
        }
        return Optional.empty();
    }

    private static boolean isRtmpScheme(String scheme) {
        String lower = scheme.toLowerCase(Locale.ROOT);
        return lower.equals("rtmp") || lower.equals("rtmps");
    }

    private static Optional<String> authorityProblem(String authority) {
        String host;
        String port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                return Optional.of("has an unclosed IPv6 bracket in its host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    return Optional.of("has text after its IPv6 host");
                }
                port = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            if (colon >= 0 && authority.indexOf(':', colon + 1) >= 0) {
                return Optional.of("has an IPv6 host without brackets (write rtmp://[::1]:1935/...)");
            }
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            return Optional.of("has no host");
        }
        if (port != null && !isPort(port)) {
            return Optional.of("has an invalid port '" + port + "' (expected 1..65535)");
        }
        return Optional.empty();
    }

    private static boolean isPort(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int port = Integer.parseInt(text);
        return port >= 1 && port <= 65535;
    }

    /** A query in the app may carry a token too (e.g. {@code app?auth=...}): keep its '?', hide the rest. */
    private static String maskQuery(String app) {
        int query = app.indexOf('?');
        return query < 0 ? app : app.substring(0, query + 1) + MASK;
    }

    private static String maskUserInfo(String authority) {
        int at = authority.lastIndexOf('@');
        return at < 0 ? authority : MASK + authority.substring(at);
    }

    private static Parts split(String url) {
        if (url == null) {
            return null;
        }
        int separator = url.indexOf("://");
        if (separator <= 0 || !url.substring(0, separator).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
            return null;
        }
        String scheme = url.substring(0, separator);
        String rest = url.substring(separator + 3);
        int authorityEnd = firstIndexOfAny(rest, "/?#");
        String authority = rest.substring(0, authorityEnd);
        String path = rest.substring(authorityEnd);
        if (path.startsWith("/")) {
            path = path.substring(1);
        }
        boolean trailingSlash = path.endsWith("/");
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        int cut = streamKeyCut(path);
        if (cut < 0) {
            return new Parts(scheme, authority, "", path, trailingSlash);
        }
        return new Parts(scheme, authority, path.substring(0, cut), path.substring(cut + 1), trailingSlash);
    }

    /** @return index of the slash that separates app from stream key, or -1 if the path has none */
    private static int streamKeyCut(String path) {
        int query = path.indexOf('?');
        if (query < 0) {
            return path.lastIndexOf('/');
        }
        int beforeQuery = path.lastIndexOf('/', query);
        return beforeQuery >= 0 ? beforeQuery : path.indexOf('/', query);
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
