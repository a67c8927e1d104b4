package io.streamrepeater.control.config;

import io.streamrepeater.status.url.RtmpUrlGrammar;
import java.util.Optional;

/**
 * The configuration's wording of destination URL checks. Which URLs are valid, where the stream key is and what is
 * masked is {@link RtmpUrlGrammar}, the same grammar the RTMP client session parses with; this class only phrases
 * its findings for a configuration error (which names the field, the destination, and the line and column).
 */
final class DestinationUrl {
    static final String MASK = RtmpUrlGrammar.MASK;
    static final String EXPECTED_FORM = "rtmp://HOST[:PORT]/APP/STREAM-KEY or rtmps://...";

    private DestinationUrl() {}

    /**
     * @param url any text the user gave as a destination URL
     * @return the URL with its stream key (and any query after it) and any user info replaced by {@code ****};
     *     just {@code ****} when the text is not shaped like a URL at all
     */
    static String mask(String url) {
        return RtmpUrlGrammar.mask(url);
    }

    /**
     * @param url a destination URL
     * @return what is wrong with it (without the URL itself), or empty if it is a usable rtmp/rtmps URL
     */
    static Optional<String> problem(String url) {
        try {
            RtmpUrlGrammar.parse(url);
            return Optional.empty();
        } catch (RtmpUrlGrammar.Malformed e) {
            return Optional.of(
                    switch (e.problem()) {
                        case EMPTY -> "is empty; expected " + EXPECTED_FORM;
                        case UNCLOSED_BRACKET -> "has an unclosed IPv6 bracket in its host";
                        case NO_APP_AND_NO_KEY, NO_KEY_AFTER_APP, NO_APP ->
                            "needs an app and a stream key: " + EXPECTED_FORM;
                        default -> e.getMessage();
                    });
        }
    }
}
