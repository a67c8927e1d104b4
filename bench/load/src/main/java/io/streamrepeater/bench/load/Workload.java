package io.streamrepeater.bench.load;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One load shape: {@code channels} publishers, each relayed to {@code destinations} sinks, from a pre-encoded
 * file of about {@code videoBitrate} (so publishing costs no encoding during the run).
 *
 * @param size picture size of the media file, e.g. {@code 960x540}
 * @param videoBitrate ffmpeg's target video bitrate, e.g. {@code 1400k}
 */
record Workload(String name, int channels, int destinations, String size, String videoBitrate) {

    private static final Pattern NAME = Pattern.compile("(\\d+)x(\\d+)@(1\\.5M|6M)");

    /** The workloads run when none is named (after NAME, which naming them needs). */
    static final List<Workload> ALL =
            List.of(named("1x1@1.5M"), named("1x10@1.5M"), named("1x40@1.5M"), named("1x10@6M"), named("50x4@1.5M"));

    int streams() {
        return channels * destinations;
    }

    /**
     * {@code CxD@1.5M} (C channels of D destinations each, 960x540 at about 1.5 Mb/s in all) or {@code CxD@6M}
     * (1920x1080 at about 6 Mb/s).
     */
    static Workload named(String name) {
        Matcher m = NAME.matcher(name);
        if (!m.matches() || Integer.parseInt(m.group(1)) < 1 || Integer.parseInt(m.group(2)) < 1) {
            throw new IllegalArgumentException(
                    "unknown workload '" + name + "'; write CHANNELSxDESTINATIONS@1.5M or @6M, e.g. 1x10@1.5M");
        }
        boolean hd = m.group(3).equals("6M");
        return new Workload(
                name,
                Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2)),
                hd ? "1920x1080" : "960x540",
                hd ? "5800k" : "1400k");
    }
}
