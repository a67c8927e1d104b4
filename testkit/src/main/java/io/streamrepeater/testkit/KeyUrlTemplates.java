package io.streamrepeater.testkit;

import java.util.List;

/**
 * RTMP URL shapes, well and badly formed, with {@code KEY} where a stream key can end up: the property tests of the
 * URL grammar and of the RTMP session put a random key in each and check that no mask, redaction or error shows it.
 */
public final class KeyUrlTemplates {
    private KeyUrlTemplates() {}

    /** Every template; each contains {@code KEY} once. */
    public static final List<String> ALL = List.of(
            "rtmp://h/a/KEY",
            "rtmp://h/a/KEY?b=1",
            "rtmp://h/a?b=1/KEY",
            "rtmp://h/a?b=1/KEY?c=d/e",
            "rtmp://h/KEY",
            "rtmp://h/KEY/",
            "rtmp://h/KEY//",
            "rtmp://h?KEY",
            "rtmp://h/?KEY",
            "rtmp://h/a/b/KEY",
            "rtmps://h/a/b/KEY",
            "KEY",
            "/KEY",
            "rtmp:/h/a/KEY",
            "rtmp//h/a/KEY",
            "://KEY",
            "rtmp://h/a/KEY#x",
            "rtmp://u:KEY@h/a/b",
            "rtmp://h/a/KEY?x=y/z",
            "rtmp://h/a/x?KEY/",
            "rtmp://h/a/?KEY",
            "rtmp://h/a?auth=KEY/s",
            "ftp://h/a/KEY",
            "rtmp://h:1/a/KEY ",
            "rtmp://[::1]/a/KEY",
            "rtmp://h/a/KEY x",
            "rtmp://h//KEY");
}
