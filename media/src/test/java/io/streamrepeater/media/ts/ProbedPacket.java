package io.streamrepeater.media.ts;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One packet as ffprobe lists it ({@code -show_entries packet=codec_type,pts,dts,flags}), timestamps in
 * 90 kHz ticks as the transport stream carries them.
 */
record ProbedPacket(String codecType, long pts, long dts, boolean keyframe) {

    /** Every packet of {@code media} in ffprobe's order. */
    static List<ProbedPacket> list(Path dir, Path media) {
        Path csv = dir.resolve(media.getFileName() + "-" + System.nanoTime() + ".csv");
        ToolRun.run(
                dir,
                "ffprobe",
                List.of(
                        "ffprobe",
                        "-v",
                        "error",
                        "-show_entries",
                        "packet=codec_type,pts,dts,flags",
                        "-of",
                        "csv=p=0",
                        media.toString()),
                csv);
        List<ProbedPacket> packets = new ArrayList<>();
        for (String line : ToolRun.lines(csv)) {
            // "video,144000,126000,K_" possibly followed by side data fields
            String[] fields = line.split(",");
            if (fields.length < 4 || !(fields[0].equals("video") || fields[0].equals("audio"))) {
                continue;
            }
            packets.add(new ProbedPacket(
                    fields[0],
                    Long.parseLong(fields[1]),
                    Long.parseLong(fields[2]),
                    fields[3].toUpperCase(Locale.ROOT).startsWith("K")));
        }
        return packets;
    }

    long dtsMs(long originTicks) {
        return Math.round((dts - originTicks) / 90.0);
    }

    long ptsMs(long originTicks) {
        return Math.round((pts - originTicks) / 90.0);
    }
}
