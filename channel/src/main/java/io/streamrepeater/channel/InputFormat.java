package io.streamrepeater.channel;

import io.streamrepeater.media.AacConfiguration;
import io.streamrepeater.media.AudioFormat;
import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.VideoConfiguration;
import io.streamrepeater.media.VideoFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What an input's encoder sends, as far as a switch cares: codecs, picture size, frame rate, keyframe
 * interval and audio format. Unknown values are null/0 and are not compared.
 */
record InputFormat(
        String videoCodec,
        int width,
        int height,
        double frameRate,
        long keyframeIntervalMs,
        String audioCodec,
        int sampleRate,
        int channels) {

    /** Reads the format from an input's cached sequence headers; never throws on odd headers. */
    static InputFormat of(CodecHeaders headers, long keyframeIntervalMs) {
        String vCodec = null;
        int w = 0;
        int h = 0;
        double fps = 0;
        MediaPacket v = headers.videoHeader();
        if (v != null) {
            vCodec = v.videoCodec() == null ? null : v.videoCodec().name();
            try {
                VideoFormat f = VideoConfiguration.parse(v.content());
                w = f.width();
                h = f.height();
                fps = f.frameRate();
            } catch (RuntimeException notAvcOrOdd) {
                // codec known, details not: compare what we have
            }
        }
        String aCodec = null;
        int rate = 0;
        int ch = 0;
        MediaPacket a = headers.audioHeader();
        if (a != null) {
            aCodec = a.audioCodec() == null ? null : a.audioCodec().name();
            try {
                AudioFormat f = AacConfiguration.parse(a.content());
                rate = f.sampleRate();
                ch = f.channels();
            } catch (RuntimeException notAacOrOdd) {
                // as above
            }
        }
        return new InputFormat(vCodec, w, h, fps, keyframeIntervalMs, aCodec, rate, ch);
    }

    /** Differences from {@code other}, each as "what: thisName value, otherName value". */
    List<String> differencesFrom(InputFormat other, String thisName, String otherName) {
        List<String> d = new ArrayList<>();
        if (videoCodec != null && other.videoCodec != null && !videoCodec.equals(other.videoCodec)) {
            d.add("video codec: " + thisName + " " + videoCodec + ", " + otherName + " " + other.videoCodec);
        }
        if (width > 0 && other.width > 0 && (width != other.width || height != other.height)) {
            d.add("resolution: " + thisName + " " + width + "x" + height + ", " + otherName + " " + other.width + "x"
                    + other.height);
        }
        if (frameRate > 0 && other.frameRate > 0 && Math.abs(frameRate - other.frameRate) > 0.01) {
            d.add("frame rate: " + thisName + " " + fps(frameRate) + ", " + otherName + " " + fps(other.frameRate));
        }
        if (keyframeIntervalMs > 0
                && other.keyframeIntervalMs > 0
                && Math.abs(keyframeIntervalMs - other.keyframeIntervalMs) > 100) {
            d.add("keyframe interval: " + thisName + " " + keyframeIntervalMs + " ms, " + otherName + " "
                    + other.keyframeIntervalMs + " ms");
        }
        if (audioCodec != null && other.audioCodec != null && !audioCodec.equals(other.audioCodec)) {
            d.add("audio codec: " + thisName + " " + audioCodec + ", " + otherName + " " + other.audioCodec);
        }
        if (sampleRate > 0 && other.sampleRate > 0 && sampleRate != other.sampleRate) {
            d.add("sample rate: " + thisName + " " + sampleRate + " Hz, " + otherName + " " + other.sampleRate + " Hz");
        }
        if (channels > 0 && other.channels > 0 && channels != other.channels) {
            d.add("audio channels: " + thisName + " " + channels + ", " + otherName + " " + other.channels);
        }
        return d;
    }

    private static String fps(double f) {
        return String.format(Locale.ROOT, "%.2f fps", f);
    }

    /** One line for the status, e.g. "AVC 640x360 30.00fps keyframes 2000ms, AAC 44100Hz 2ch". */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (videoCodec != null) {
            sb.append(videoCodec);
            if (width > 0) {
                sb.append(' ').append(width).append('x').append(height);
            }
            if (frameRate > 0) {
                sb.append(' ').append(String.format(Locale.ROOT, "%.2ffps", frameRate));
            }
            if (keyframeIntervalMs > 0) {
                sb.append(" keyframes ").append(keyframeIntervalMs).append("ms");
            }
        }
        if (audioCodec != null) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(audioCodec);
            if (sampleRate > 0) {
                sb.append(' ').append(sampleRate).append("Hz ").append(channels).append("ch");
            }
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
