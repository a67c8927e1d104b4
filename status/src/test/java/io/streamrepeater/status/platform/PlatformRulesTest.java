package io.streamrepeater.status.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each platform's rules with measured values at, below and above their limits. */
class PlatformRulesTest {
    /**
     * A stream every platform takes without a warning: H.264 720p30 (Facebook's stricter page stops there), a
     * keyframe every 2 s, 3.5 Mb/s, AAC 48 kHz stereo.
     */
    private static final MediaFacts GOOD = new MediaFacts("AVC", 1280, 720, 30, 2_000, 3_500_000, "AAC", 48_000, 2);

    private static MediaFacts keyframes(long ms) {
        return new MediaFacts("AVC", 1920, 1080, 30, ms, 4_500_000, "AAC", 48_000, 2);
    }

    /** The level of the one finding whose rule starts with {@code rulePrefix}. */
    private static String level(List<Finding> findings, String rulePrefix) {
        List<Finding> matching =
                findings.stream().filter(f -> f.rule().startsWith(rulePrefix)).toList();
        assertThat(matching)
                .as("one finding for %s in %s", rulePrefix, findings)
                .hasSize(1);
        return matching.get(0).level();
    }

    @Test
    void aStreamThatFollowsTheRulesIsOkEverywhereAndEveryFindingNamesItsSource() {
        for (Platform p : Platform.values()) {
            String url = p == Platform.FACEBOOK || p == Platform.KICK ? "rtmps://x/app/key" : "rtmp://x/app/key";
            List<Finding> findings = PlatformRules.check(p, url, GOOD);
            assertThat(PlatformRules.verdict(findings))
                    .as("%s: %s", p, findings)
                    .isEqualTo(Finding.OK);
            assertThat(findings).allSatisfy(f -> assertThat(f.source()).startsWith("https://"));
            if (p != Platform.CUSTOM) {
                assertThat(findings).as(p.name()).hasSizeGreaterThanOrEqualTo(5);
            }
        }
        assertThat(PlatformRules.check(Platform.CUSTOM, "rtmp://x/app/key", keyframes(10_000)))
                .as("a custom server has no rules")
                .isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        // Twitch requires 2 s: 100 ms of measuring tolerance either way
        "TWITCH, 1000, violation",
        "TWITCH, 1899, violation",
        "TWITCH, 1900, ok",
        "TWITCH, 2000, ok",
        "TWITCH, 2100, ok",
        "TWITCH, 2101, violation",
        "TWITCH, 5000, violation",
        // YouTube: 2 s recommended, 4 s at most
        "YOUTUBE, 1000, ok",
        "YOUTUBE, 2100, ok",
        "YOUTUBE, 2101, warning",
        "YOUTUBE, 4100, warning",
        "YOUTUBE, 4101, violation",
        // Facebook's stricter page: a keyframe at least every 2 s
        "FACEBOOK, 2100, ok",
        "FACEBOOK, 2101, violation",
        "KICK, 2100, ok",
        "KICK, 2101, violation"
    })
    void keyframeInterval(Platform platform, long ms, String expected) {
        List<Finding> f = PlatformRules.check(platform, "rtmps://x/app/k", keyframes(ms));
        assertThat(level(f, platform == Platform.FACEBOOK ? "a keyframe" : "keyframe"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "TWITCH, 6000, ok",
        "TWITCH, 6001, warning",
        "KICK, 8500, ok",
        "KICK, 8501, violation",
        // YouTube 1080p30: 3-8 Mb/s recommended
        "YOUTUBE, 2999, warning",
        "YOUTUBE, 3000, ok",
        "YOUTUBE, 8000, ok",
        "YOUTUBE, 8001, warning",
        // Facebook 1080p30: 6 Mb/s at most
        "FACEBOOK, 6000, ok",
        "FACEBOOK, 6001, warning"
    })
    void bitrate(Platform platform, long kbps, String expected) {
        MediaFacts m = new MediaFacts("AVC", 1920, 1080, 30, 2_000, kbps * 1000, "AAC", 48_000, 2);
        assertThat(level(PlatformRules.check(platform, "rtmps://x/app/k", m), "bitrate"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "YOUTUBE, AVC, ok",
        "YOUTUBE, HEVC, ok",
        "YOUTUBE, AV1, ok",
        "YOUTUBE, VP9, violation",
        "TWITCH, AVC, ok",
        "TWITCH, HEVC, violation",
        "TWITCH, AV1, violation",
        "FACEBOOK, HEVC, violation",
        "KICK, AV1, violation"
    })
    void videoCodec(Platform platform, String codec, String expected) {
        MediaFacts m = new MediaFacts(codec, 1920, 1080, 30, 2_000, 4_500_000, "AAC", 48_000, 2);
        assertThat(level(PlatformRules.check(platform, "rtmps://x/app/k", m), "H.264"))
                .isEqualTo(expected);
        assertThat(PlatformRules.videoCodecs(platform).contains(codec)).isEqualTo(expected.equals("ok"));
    }

    @ParameterizedTest
    @CsvSource({
        "YOUTUBE, 3840, 2160, ok",
        "YOUTUBE, 4096, 2160, violation",
        "TWITCH, 1920, 1080, ok",
        "TWITCH, 2560, 1440, warning",
        "KICK, 1920, 1080, ok",
        "KICK, 1920, 1088, violation",
        "FACEBOOK, 1080, 1920, ok",
        "FACEBOOK, 2560, 1440, violation"
    })
    void resolution(Platform platform, int width, int height, String expected) {
        MediaFacts m = new MediaFacts("AVC", width, height, 30, 2_000, 0, null, 0, 0);
        assertThat(level(PlatformRules.check(platform, "rtmps://x/app/k", m), "resolution"))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "TWITCH, 29.97, ok",
        "TWITCH, 30, ok",
        "TWITCH, 24, violation",
        "TWITCH, 59.94, ok",
        "TWITCH, 120, violation",
        "YOUTUBE, 60, ok",
        "YOUTUBE, 61, violation"
    })
    void frameRate(Platform platform, double fps, String expected) {
        MediaFacts m = new MediaFacts("AVC", 1280, 720, fps, 2_000, 0, null, 0, 0);
        List<Finding> f = PlatformRules.check(platform, "rtmp://x/app/k", m);
        assertThat(level(f, "frame rate")).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "FACEBOOK, rtmp://live-api-s.facebook.com/rtmp/k, violation",
        "FACEBOOK, rtmps://live-api-s.facebook.com:443/rtmp/k, ok",
        "KICK, rtmp://x/app/k, warning",
        "KICK, rtmps://x/app/k, ok"
    })
    void rtmps(Platform platform, String url, String expected) {
        String prefix = platform == Platform.FACEBOOK ? "RTMPS required" : "Kick hands out";
        assertThat(level(PlatformRules.check(platform, url, GOOD), prefix)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "TWITCH, AAC, 48000, 2, ok",
        "TWITCH, MP3, 44100, 2, violation",
        "TWITCH, AAC, 32000, 2, warning",
        "TWITCH, AAC, 48000, 6, violation",
        "FACEBOOK, AAC, 32000, 2, violation",
        "YOUTUBE, MP3, 44100, 2, ok",
        "YOUTUBE, AAC, 22050, 2, warning"
    })
    void audio(Platform platform, String codec, int rate, int channels, String expected) {
        MediaFacts m = new MediaFacts(null, 0, 0, 0, 0, 0, codec, rate, channels);
        List<Finding> f = PlatformRules.check(platform, "rtmps://x/app/k", m);
        assertThat(PlatformRules.verdict(f)).as("%s", f).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"1280, 720, 30, ok", "1920, 1080, 30, warning", "1280, 720, 60, warning"})
    void facebooksPagesDisagreeOnTheLargestPictureAndTheStricterOneWarns(int w, int h, double fps, String expected) {
        MediaFacts m = new MediaFacts("AVC", w, h, fps, 2_000, 0, null, 0, 0);
        List<Finding> f = PlatformRules.check(Platform.FACEBOOK, "rtmps://x/rtmp/k", m);
        assertThat(level(f, "resolution")).isEqualTo("ok");
        assertThat(f.stream()
                        .filter(x -> x.rule().startsWith("best-practices page"))
                        .count())
                .isEqualTo(expected.equals("ok") ? 0 : 1);
        assertThat(PlatformRules.verdict(f)).isEqualTo(expected);
    }

    @Test
    void unknownValuesAreNotJudged() {
        MediaFacts nothing = new MediaFacts(null, 0, 0, 0, 0, 0, null, 0, 0);
        assertThat(PlatformRules.check(Platform.TWITCH, "rtmp://x/app/k", nothing))
                .isEmpty();
        assertThat(PlatformRules.check(Platform.FACEBOOK, "rtmps://x/rtmp/k", nothing))
                .extracting(Finding::rule)
                .containsExactly("RTMPS required");
    }

    @Test
    void theVerdictIsTheWorstFinding() {
        assertThat(PlatformRules.verdict(List.of())).isEqualTo(Finding.OK);
        assertThat(PlatformRules.verdict(List.of(
                        new Finding(Finding.WARNING, "a", "1", "s"),
                        new Finding(Finding.OK, "b", "1", "s"),
                        new Finding(Finding.VIOLATION, "c", "1", "s"),
                        new Finding(Finding.WARNING, "d", "1", "s"))))
                .isEqualTo(Finding.VIOLATION);
    }
}
