package io.streamrepeater.rtmp.session;

import io.streamrepeater.status.url.RtmpUrlGrammar;
import io.streamrepeater.status.url.RtmpUrlGrammar.Parts;
import java.util.Objects;

/**
 * A destination's {@code rtmp://} or {@code rtmps://} URL taken apart for the client publish session:
 * where to connect, the {@code app} and {@code tcUrl} of the {@code connect} command, and the stream
 * name of the {@code publish} command.
 *
 * <p>The grammar (which URLs are valid, how the path splits into app and stream name, what is masked) is
 * {@link RtmpUrlGrammar}, shared with the configuration's checks; this record adds what the session needs.
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
    public static final int DEFAULT_RTMP_PORT = RtmpUrlGrammar.DEFAULT_RTMP_PORT;
    public static final int DEFAULT_RTMPS_PORT = RtmpUrlGrammar.DEFAULT_RTMPS_PORT;
    /** What replaces a stream key (and anything that could be one) in logs and messages. */
    public static final String MASK = RtmpUrlGrammar.MASK;

    private static final String EXPECTED_FORM = "expected rtmp[s]://HOST[:PORT]/APP/STREAM-KEY";

    public RtmpUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(streamName, "streamName");
        String shown = (tls ? "rtmps://" : "rtmp://") + bracketed(host) + ":" + port + "/" + app + "/" + MASK;
        if (!RtmpUrlGrammar.isHost(host)) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has an invalid host");
        }
        if (!RtmpUrlGrammar.isPort(port)) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has an invalid port (expected 1..65535)");
        }
        if (!RtmpUrlGrammar.isApp(app)) {
            throw new IllegalArgumentException("RTMP URL '" + shown + "' has no app; " + EXPECTED_FORM);
        }
        if (!RtmpUrlGrammar.isStreamName(streamName)) {
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
        String text = url == null ? null : url.strip();
        try {
            Parts parts = RtmpUrlGrammar.parse(text);
            return new RtmpUrl(parts.tls(), parts.host(), parts.port(), parts.app(), parts.streamName());
        } catch (RtmpUrlGrammar.Malformed e) {
            if (e.problem() == RtmpUrlGrammar.Problem.EMPTY) {
                throw new IllegalArgumentException("RTMP URL is empty; " + EXPECTED_FORM);
            }
            String expected = e.problem().inPath() ? "; " + EXPECTED_FORM : "";
            throw new IllegalArgumentException("RTMP URL '" + redact(text) + "' " + e.getMessage() + expected);
        }
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
        String portPart = port == RtmpUrlGrammar.defaultPort(tls) ? "" : ":" + port;
        return scheme() + "://" + bracketed(host) + portPart + "/" + RtmpUrlGrammar.maskQuery(app) + "/" + MASK;
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
        return RtmpUrlGrammar.mask(url);
    }

    private static String bracketed(String host) {
        return RtmpUrlGrammar.bracketed(host);
    }
}
