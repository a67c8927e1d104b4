package io.streamrepeater.control.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks and masks webhook receiver URLs: absolute {@code http(s)://HOST[:PORT][/PATH][?QUERY]}. */
final class WebhookUrl {
    static final int MAX_LENGTH = 4096;
    static final String EXPECTED_FORM = "http(s)://HOST[:PORT]/PATH";

    private WebhookUrl() {}

    /**
     * @param url the text given as a webhook URL
     * @return what is wrong with it (the URL itself is not repeated: its query may hold a token), or empty
     */
    static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("is empty; expected " + EXPECTED_FORM);
        }
        if (url.length() > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        if (url.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            return Optional.of("contains whitespace or control characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a valid URL (" + e.getReason() + "); expected " + EXPECTED_FORM);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return Optional.of("must start with http:// or https://");
        }
        if (uri.getRawUserInfo() != null) {
            return Optional.of("must not contain user info (user@host); the secret signs the requests");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return Optional.of("needs a host name or address: " + EXPECTED_FORM);
        }
        return Optional.empty();
    }

    /**
     * @return the URL with its query (and fragment) and any user info replaced by {@code ****};
     *     {@code ****} if it is null
     */
    static String mask(String url) {
        if (url == null) {
            return DestinationUrl.MASK;
        }
        int query = indexOfAny(url, '?', '#');
        String masked = query < 0 ? url : url.substring(0, query) + "?" + DestinationUrl.MASK;
        int authorityStart = masked.indexOf("://");
        if (authorityStart >= 0) {
            authorityStart += 3;
            int authorityEnd = masked.indexOf('/', authorityStart);
            String authority = authorityEnd < 0
                    ? masked.substring(authorityStart)
                    : masked.substring(authorityStart, authorityEnd);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                masked = masked.substring(0, authorityStart)
                        + DestinationUrl.MASK
                        + authority.substring(at)
                        + (authorityEnd < 0 ? "" : masked.substring(authorityEnd));
            }
        }
        return masked;
    }

    private static int indexOfAny(String text, char a, char b) {
        int i = text.indexOf(a);
        int j = text.indexOf(b);
        return i < 0 ? j : j < 0 ? i : Math.min(i, j);
    }
}
