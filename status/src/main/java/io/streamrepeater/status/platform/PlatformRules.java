package io.streamrepeater.status.platform;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Each platform's published ingest requirements, checked against what an input sends. Every rule names the public
 * page it comes from; where the platform's own pages disagree the stricter value is checked and the finding says so.
 * The README's "Platforms" table lists the same rules and sources.
 */
public final class PlatformRules {
    // YouTube
    static final String YT_ENCODER = "https://support.google.com/youtube/answer/2853702";
    static final String YT_HEALTH =
            "https://developers.google.com/youtube/v3/live/docs/liveStreams/health_status_messages";
    static final String YT_PROTOCOLS =
            "https://developers.google.com/youtube/data/live/guides/ingestion-protocol-comparison";
    // Twitch
    static final String TW_REQUIREMENTS =
            "https://help.twitch.tv/customer/portal/articles/1253460-broadcast-requirements";
    static final String TW_CREATOR_CAMP =
            "https://www.twitch.tv/creatorcamp/en/paths/going-live/broadcast-recommendations/";
    static final String OBS_SERVICES =
            "https://github.com/obsproject/obs-studio/blob/master/plugins/rtmp-services/data/services.json";
    // Facebook
    static final String FB_REFERENCE = "https://developers.facebook.com/docs/live-video-api/reference";
    static final String FB_OVERVIEW = "https://developers.facebook.com/docs/live-video-api/overview";
    static final String FB_BEST_PRACTICES = "https://developers.facebook.com/docs/videos/live-video/best-practices";
    // Kick runs on Amazon IVS ingest
    static final String IVS_CONFIG = "https://docs.aws.amazon.com/ivs/latest/LowLatencyUserGuide/streaming-config.html";
    static final String IVS_CHANNEL_TYPES =
            "https://docs.aws.amazon.com/ivs/latest/LowLatencyAPIReference/channel-types.html";
    static final String IVS_MULTITRACK =
            "https://docs.aws.amazon.com/ivs/latest/LowLatencyUserGuide/multitrack-video-setup.html";

    /** How far a measured keyframe interval may stray from a required one (the last two keyframes' DTS). */
    static final long KEYFRAME_TOLERANCE_MS = 100;

    private PlatformRules() {}

    /** The video codecs {@code platform} accepts from a single-track RTMP publisher; empty: any. */
    public static Set<String> videoCodecs(Platform platform) {
        return switch (platform) {
            case YOUTUBE -> Set.of("AVC", "HEVC", "AV1");
            case TWITCH, FACEBOOK, KICK -> Set.of("AVC");
            case CUSTOM -> Set.of();
        };
    }

    /**
     * The Enhanced RTMP video FourCCs a publisher announces to {@code platform} in {@code connect}: HEVC and AV1 to
     * YouTube (its encoder settings take them over Enhanced RTMP), those and VP9 to a custom server (no rules: the
     * relay says what it can send), none to Twitch, Facebook and Kick (H.264 only for a single-track publisher).
     */
    public static List<String> enhancedVideoFourCcs(Platform platform) {
        return switch (platform) {
            case YOUTUBE -> List.of("hvc1", "av01");
            case CUSTOM -> List.of("hvc1", "av01", "vp09");
            case TWITCH, FACEBOOK, KICK -> List.of();
        };
    }

    /**
     * Checks {@code media} against {@code platform}'s rules for a destination at {@code url}.
     *
     * @return every rule checked, with its level; empty for {@link Platform#CUSTOM}
     */
    public static List<Finding> check(Platform platform, String url, MediaFacts media) {
        Checks c = new Checks(media);
        switch (platform) {
            case YOUTUBE -> youtube(c);
            case TWITCH -> twitch(c);
            case FACEBOOK -> facebook(c, url);
            case KICK -> kick(c, url);
            case CUSTOM -> {}
        }
        return c.findings;
    }

    /** The worst level of {@code findings}: {@code ok} when there are none. */
    public static String verdict(List<Finding> findings) {
        String v = Finding.OK;
        for (Finding f : findings) {
            v = Finding.worse(v, f.level());
        }
        return v;
    }

    private static void youtube(Checks c) {
        c.videoCodec(
                Set.of("AVC", "HEVC", "AV1"),
                "H.264, or HEVC and AV1 over Enhanced RTMP (YouTube's protocol comparison still says H.264 only over"
                        + " RTMP)",
                YT_ENCODER);
        c.keyframeAtMost(2_000, 4_000, "keyframe interval 2 s recommended, 4 s at most", YT_HEALTH);
        c.resolutionAtMost(3840, 2160, Finding.VIOLATION, "resolution up to 2160p", YT_ENCODER);
        c.frameRateAtMost(60, Finding.VIOLATION, "frame rate up to 60 fps", YT_ENCODER);
        // the encoder-settings table, min-max Mbps by resolution and frame rate (same for AV1 and HEVC)
        long[] range = c.media.height() > 1440
                ? (c.highRate() ? new long[] {10_000, 40_000} : new long[] {8_000, 35_000})
                : c.media.height() > 1080
                        ? (c.highRate() ? new long[] {6_000, 30_000} : new long[] {5_000, 25_000})
                        : c.media.height() > 720
                                ? (c.highRate() ? new long[] {4_000, 10_000} : new long[] {3_000, 8_000})
                                : new long[] {3_000, 8_000};
        c.bitrateWithin(
                range[0], range[1], Finding.WARNING, "recommended for this resolution and frame rate", YT_ENCODER);
        c.audioCodec(Set.of("AAC", "MP3"), "audio AAC or MP3", YT_HEALTH);
        c.sampleRate(Set.of(44_100, 48_000), Finding.WARNING, "44.1 or 48 kHz recommended", YT_HEALTH);
    }

    private static void twitch(Checks c) {
        c.videoCodec(
                Set.of("AVC"),
                "H.264 (HEVC and AV1 only through Enhanced Broadcasting's multitrack, configured by Twitch for the"
                        + " encoder)",
                TW_REQUIREMENTS);
        c.keyframeExactly(2_000, "keyframe interval 2 s, required", TW_REQUIREMENTS);
        c.resolutionAtMost(
                1920, 1080, Finding.WARNING, "resolution up to 1080p (outside Enhanced Broadcasting)", OBS_SERVICES);
        c.frameRateIn(new double[] {25, 30, 50, 60}, "frame rate 25, 30, 50 or 60 fps, required", TW_REQUIREMENTS);
        c.bitrateWithin(
                0,
                6_000,
                Finding.WARNING,
                "6000 kbps at most recommended (sources say 3-6 Mbps, 6000, 8000)",
                TW_REQUIREMENTS);
        c.audioCodec(Set.of("AAC"), "audio AAC-LC (MP3 deprecated)", TW_CREATOR_CAMP);
        c.sampleRate(Set.of(44_100, 48_000), Finding.WARNING, "44.1 or 48 kHz", TW_CREATOR_CAMP);
        c.channelsAtMost(2, "stereo or mono", TW_CREATOR_CAMP);
    }

    private static void facebook(Checks c, String url) {
        c.rtmps(url, Finding.VIOLATION, "RTMPS required", FB_OVERVIEW);
        c.videoCodec(Set.of("AVC"), "H.264 only", FB_REFERENCE);
        // the best-practices page: an I-frame at least every 2 s; the reference: 2 s recommended, 4 s at most
        c.keyframeAtMost(
                2_000,
                2_000,
                "a keyframe at least every 2 s (the reference allows 4 s; the best-practices page, stricter, 2 s)",
                FB_BEST_PRACTICES);
        c.resolutionAtMost(1920, 1080, Finding.VIOLATION, "resolution up to 1080p", FB_REFERENCE);
        c.frameRateAtMost(60, Finding.VIOLATION, "frame rate up to 60 fps", FB_REFERENCE);
        if (c.media.height() > 720 || c.media.frameRate() > 30.5) {
            c.add(
                    Finding.WARNING,
                    "best-practices page: 720p30 at most (the reference allows 1080p60)",
                    c.media.width() + "x" + c.media.height() + " " + fps(c.media.frameRate()),
                    FB_BEST_PRACTICES);
        }
        long max = c.media.height() > 720
                ? (c.highRate() ? 9_000 : 6_000)
                : c.media.height() > 480 ? (c.highRate() ? 6_000 : 4_000) : c.media.height() > 360 ? 2_000 : 1_000;
        c.bitrateWithin(
                0, max, Finding.WARNING, "the reference's maximum for this resolution and frame rate", FB_REFERENCE);
        c.audioCodec(Set.of("AAC"), "audio AAC only", FB_REFERENCE);
        c.sampleRate(Set.of(44_100, 48_000), Finding.VIOLATION, "44.1 or 48 kHz", FB_REFERENCE);
        c.channelsAtMost(2, "stereo at most", FB_REFERENCE);
    }

    private static void kick(Checks c, String url) {
        c.rtmps(url, Finding.WARNING, "Kick hands out rtmps:// ingest URLs", IVS_CONFIG);
        c.videoCodec(Set.of("AVC"), "H.264 (IVS takes HEVC only in multitrack)", IVS_MULTITRACK);
        c.keyframeAtMost(2_000, 2_000, "keyframe interval 2 s (or 1 s)", IVS_CONFIG);
        c.resolutionAtMost(
                1920,
                1080,
                Finding.VIOLATION,
                "resolution up to 1080p (IVS standard channel: above, it disconnects)",
                IVS_CHANNEL_TYPES);
        c.frameRateAtMost(60, Finding.WARNING, "frame rate up to 60 fps", IVS_CONFIG);
        c.bitrateWithin(
                0,
                8_500,
                Finding.VIOLATION,
                "8.5 Mbps at most (IVS standard channel: above, it disconnects)",
                IVS_CHANNEL_TYPES);
        c.audioCodec(Set.of("AAC"), "audio AAC", IVS_CONFIG);
    }

    private static String fps(double f) {
        return String.format(Locale.ROOT, "%.2f fps", f);
    }

    /** Collects the findings of one check, skipping the rules whose measured value is unknown. */
    private static final class Checks {
        final MediaFacts media;
        final List<Finding> findings = new ArrayList<>();

        Checks(MediaFacts media) {
            this.media = media;
        }

        boolean highRate() {
            return media.frameRate() > 30.5;
        }

        void add(String level, String rule, String measured, String source) {
            findings.add(new Finding(level, rule, measured, source));
        }

        void videoCodec(Set<String> accepted, String rule, String source) {
            if (media.videoCodec() != null) {
                add(
                        accepted.contains(media.videoCodec()) ? Finding.OK : Finding.VIOLATION,
                        rule,
                        media.videoCodec(),
                        source);
            }
        }

        void audioCodec(Set<String> accepted, String rule, String source) {
            if (media.audioCodec() != null) {
                add(
                        accepted.contains(media.audioCodec()) ? Finding.OK : Finding.VIOLATION,
                        rule,
                        media.audioCodec(),
                        source);
            }
        }

        /** Violation above {@code maxMs}, warning above {@code recommendedMs}, each with the measuring tolerance. */
        void keyframeAtMost(long recommendedMs, long maxMs, String rule, String source) {
            long k = media.keyframeIntervalMs();
            if (k > 0) {
                String level = k > maxMs + KEYFRAME_TOLERANCE_MS
                        ? Finding.VIOLATION
                        : k > recommendedMs + KEYFRAME_TOLERANCE_MS ? Finding.WARNING : Finding.OK;
                add(level, rule, k + " ms", source);
            }
        }

        void keyframeExactly(long ms, String rule, String source) {
            long k = media.keyframeIntervalMs();
            if (k > 0) {
                add(
                        Math.abs(k - ms) <= KEYFRAME_TOLERANCE_MS ? Finding.OK : Finding.VIOLATION,
                        rule,
                        k + " ms",
                        source);
            }
        }

        void resolutionAtMost(int w, int h, String level, String rule, String source) {
            if (media.width() > 0 && media.height() > 0) {
                boolean fits = Math.max(media.width(), media.height()) <= Math.max(w, h)
                        && Math.min(media.width(), media.height()) <= Math.min(w, h);
                add(fits ? Finding.OK : level, rule, media.width() + "x" + media.height(), source);
            }
        }

        void frameRateAtMost(double max, String level, String rule, String source) {
            if (media.frameRate() > 0) {
                add(media.frameRate() <= max + 0.5 ? Finding.OK : level, rule, fps(media.frameRate()), source);
            }
        }

        void frameRateIn(double[] rates, String rule, String source) {
            if (media.frameRate() > 0) {
                boolean listed = false;
                for (double r : rates) {
                    // 29.97 is 30 and 59.94 is 60 as the platforms count them
                    listed |= Math.abs(media.frameRate() - r) < 0.5;
                }
                add(listed ? Finding.OK : Finding.VIOLATION, rule, fps(media.frameRate()), source);
            }
        }

        void bitrateWithin(long minKbps, long maxKbps, String level, String rule, String source) {
            if (media.bitrateBps() > 0) {
                long kbps = media.bitrateBps() / 1000;
                boolean within = kbps >= minKbps && kbps <= maxKbps;
                String range = minKbps > 0 ? minKbps + "-" + maxKbps + " kbps " : maxKbps + " kbps at most, ";
                add(within ? Finding.OK : level, "bitrate " + range + rule, kbps + " kbps", source);
            }
        }

        void sampleRate(Set<Integer> accepted, String level, String rule, String source) {
            if (media.sampleRate() > 0) {
                add(
                        accepted.contains(media.sampleRate()) ? Finding.OK : level,
                        rule,
                        media.sampleRate() + " Hz",
                        source);
            }
        }

        void channelsAtMost(int max, String rule, String source) {
            if (media.channels() > 0) {
                add(
                        media.channels() <= max ? Finding.OK : Finding.VIOLATION,
                        rule,
                        media.channels() + " channels",
                        source);
            }
        }

        void rtmps(String url, String level, String rule, String source) {
            boolean tls = url != null && url.toLowerCase(Locale.ROOT).startsWith("rtmps://");
            add(tls ? Finding.OK : level, rule, tls ? "rtmps://" : "rtmp://", source);
        }
    }
}
