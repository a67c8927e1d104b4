package io.streamrepeater.bench.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Frames missing from what a destination recorded: the video DTS sequence read with ffprobe, each step
 * longer than 1.5 frame durations counted as the frames that fit in it.
 *
 * @param videoFrames video packets in the recording
 * @param missingFrames frames missing inside the recording (not before its first or after its last packet)
 * @param largestGapMs the largest step between consecutive video DTS
 */
record RecordingGaps(Path file, int videoFrames, long missingFrames, long largestGapMs) {

    static RecordingGaps of(Path file, double fps) {
        List<Long> dts = videoDts(file);
        double frameMs = 1000.0 / fps;
        long missing = 0;
        long largest = 0;
        for (int i = 1; i < dts.size(); i++) {
            long step = dts.get(i) - dts.get(i - 1);
            largest = Math.max(largest, step);
            if (step > 1.5 * frameMs) {
                missing += Math.round(step / frameMs) - 1;
            }
        }
        return new RecordingGaps(file, dts.size(), missing, largest);
    }

    private static List<Long> videoDts(Path file) {
        List<String> command = List.of(
                "ffprobe",
                "-v",
                "error",
                "-select_streams",
                "v:0",
                "-show_entries",
                "packet=dts",
                "-of",
                "csv=p=0",
                file.toString());
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("ffprobe did not finish within 60 s on " + file);
            }
            List<Long> dts = new ArrayList<>();
            for (String line : out.split("\n")) {
                String v = line.trim();
                if (v.matches("-?\\d+")) {
                    dts.add(Long.parseLong(v));
                }
            }
            return dts;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run ffprobe on " + file, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
