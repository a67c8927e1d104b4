package io.streamrepeater.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Turns the JSON of {@code ffprobe -show_packets -show_streams -of json} into a {@link MediaReport}. */
final class FfprobeOutput {

    private static final ObjectMapper JSON = new ObjectMapper();

    private FfprobeOutput() {}

    static MediaReport read(Path jsonFile, List<String> decodeErrorLines) {
        try {
            return toReport(JSON.readTree(jsonFile.toFile()), decodeErrorLines);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse ffprobe output " + jsonFile, e);
        }
    }

    static MediaReport toReport(JsonNode root, List<String> decodeErrorLines) {
        JsonNode video = firstStream(root, "video");
        JsonNode audio = firstStream(root, "audio");
        Track videoTrack = track(root, video);
        Track audioTrack = track(root, audio);
        return new MediaReport(
                videoTrack.dtsMs.size(),
                audioTrack.dtsMs.size(),
                videoTrack.keyframes,
                videoTrack.firstIsKeyframe,
                videoTrack.monotonic(),
                audioTrack.monotonic(),
                videoTrack.maxGapMs(),
                audioTrack.maxGapMs(),
                videoTrack.dtsMs.isEmpty() ? 0 : videoTrack.dtsMs.get(0),
                videoTrack.dtsMs.isEmpty() ? 0 : videoTrack.dtsMs.get(videoTrack.dtsMs.size() - 1),
                videoTrack.maxCompositionOffsetMs,
                video == null ? null : video.path("codec_name").asText(null),
                video == null ? 0 : video.path("width").asInt(),
                video == null ? 0 : video.path("height").asInt(),
                audio == null ? null : audio.path("codec_name").asText(null),
                audio == null ? 0 : audio.path("sample_rate").asInt(), // ffprobe writes it as a string
                audio == null ? 0 : audio.path("channels").asInt(),
                decodeErrorLines);
    }

    private static JsonNode firstStream(JsonNode root, String codecType) {
        for (JsonNode stream : root.path("streams")) {
            if (codecType.equals(stream.path("codec_type").asText())) {
                return stream;
            }
        }
        return null;
    }

    /** Packets of one stream in file order: DTS in ms, keyframe count. */
    private static final class Track {
        final List<Long> dtsMs = new ArrayList<>();
        int keyframes;
        boolean firstIsKeyframe;
        long maxCompositionOffsetMs;

        boolean monotonic() {
            for (int i = 1; i < dtsMs.size(); i++) {
                if (dtsMs.get(i) < dtsMs.get(i - 1)) {
                    return false;
                }
            }
            return true;
        }

        long maxGapMs() {
            long max = 0;
            for (int i = 1; i < dtsMs.size(); i++) {
                max = Math.max(max, dtsMs.get(i) - dtsMs.get(i - 1));
            }
            return max;
        }
    }

    private static Track track(JsonNode root, JsonNode stream) {
        Track track = new Track();
        if (stream == null) {
            return track;
        }
        int index = stream.path("index").asInt();
        long[] timeBase = timeBase(stream.path("time_base").asText("1/1000"));
        for (JsonNode packet : root.path("packets")) {
            if (packet.path("stream_index").asInt(-1) != index || !packet.has("dts")) {
                continue; // a packet without DTS ("N/A") has no place on the timeline
            }
            boolean keyframe = packet.path("flags").asText("").contains("K");
            if (track.dtsMs.isEmpty()) {
                track.firstIsKeyframe = keyframe;
            }
            if (keyframe) {
                track.keyframes++;
            }
            long dtsMs = toMillis(packet.path("dts").asLong(), timeBase);
            track.dtsMs.add(dtsMs);
            if (packet.has("pts")) {
                track.maxCompositionOffsetMs = Math.max(
                        track.maxCompositionOffsetMs,
                        toMillis(packet.path("pts").asLong(), timeBase) - dtsMs);
            }
        }
        return track;
    }

    private static long toMillis(long ticks, long[] timeBase) {
        return Math.round(ticks * 1000.0 * timeBase[0] / timeBase[1]);
    }

    private static long[] timeBase(String text) {
        String[] parts = text.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("ffprobe time_base is not NUM/DEN: " + text);
        }
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
