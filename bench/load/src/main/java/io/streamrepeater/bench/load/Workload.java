package io.streamrepeater.bench.load;

import java.util.List;

/**
 * One load shape: {@code channels} publishers, each relayed to {@code destinations} sinks, from a pre-encoded
 * file of about {@code videoBitrate} (so publishing costs no encoding during the run).
 *
 * @param size picture size of the media file, e.g. {@code 960x540}
 * @param videoBitrate ffmpeg's target video bitrate, e.g. {@code 1400k}
 */
record Workload(String name, int channels, int destinations, String size, String videoBitrate) {

    static final List<Workload> ALL = List.of(
            new Workload("1x1@1.5M", 1, 1, "960x540", "1400k"),
            new Workload("1x10@1.5M", 1, 10, "960x540", "1400k"),
            new Workload("1x40@1.5M", 1, 40, "960x540", "1400k"),
            new Workload("1x10@6M", 1, 10, "1920x1080", "5800k"),
            new Workload("50x4@1.5M", 50, 4, "960x540", "1400k"));

    int streams() {
        return channels * destinations;
    }

    static Workload named(String name) {
        return ALL.stream()
                .filter(w -> w.name.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name + "'; known: "
                        + ALL.stream().map(Workload::name).toList()));
    }
}
