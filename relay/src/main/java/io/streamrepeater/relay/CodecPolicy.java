package io.streamrepeater.relay;

import io.streamrepeater.status.platform.Platform;
import io.streamrepeater.status.platform.PlatformRules;
import java.util.List;
import java.util.Set;

/**
 * What a destination's platform takes of the channel's video codecs.
 *
 * @param platform the platform's name, for the reason of a refusal
 * @param announced the Enhanced RTMP FourCCs announced in {@code connect} (empty: a plain connect)
 * @param accepted the codecs ({@code AVC}, {@code HEVC}, ...) the platform takes; empty: any
 */
record CodecPolicy(String platform, List<String> announced, Set<String> accepted) {
    CodecPolicy {
        announced = List.copyOf(announced);
        accepted = Set.copyOf(accepted);
    }

    /** Any codec, nothing announced (tests, and destinations without a platform). */
    static final CodecPolicy ANY = new CodecPolicy("custom", List.of(), Set.of());

    static CodecPolicy of(Platform platform) {
        return new CodecPolicy(
                platform.yamlName(), PlatformRules.enhancedVideoFourCcs(platform), PlatformRules.videoCodecs(platform));
    }

    /** Whether the platform takes {@code codec} (a relay codec name; null: not known yet, taken). */
    boolean takes(String codec) {
        return codec == null || accepted.isEmpty() || accepted.contains(codec);
    }
}
