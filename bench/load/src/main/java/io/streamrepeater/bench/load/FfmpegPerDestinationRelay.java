package io.streamrepeater.bench.load;

import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.NginxRtmp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One ffmpeg per destination, the way Restreamer and many hand-made relays push: an nginx-rtmp ingest takes the
 * encoders, and for every channel and destination {@code ffmpeg -i rtmp://INGEST/live/chC -c copy -f flv
 * rtmps://…/dD/chC} with the destination's certificate and name verified. The ingest and every ffmpeg are counted.
 */
final class FfmpegPerDestinationRelay implements RelayUnderTest {
    private final NginxRtmp ingest;
    private final Workload w;
    private final Sinks sinks;
    private final Path dir;
    private final List<ExternalProcess> pushes = new ArrayList<>();

    private FfmpegPerDestinationRelay(NginxRtmp ingest, Workload w, Sinks sinks, Path dir) {
        this.ingest = ingest;
        this.w = w;
        this.sinks = sinks;
        this.dir = dir;
    }

    static FfmpegPerDestinationRelay start(Path dir, int port, Workload w, Sinks sinks) {
        if (!sinks.tls()) {
            throw new IllegalArgumentException("the ffmpeg-per-destination relay is measured for RTMPS (--rtmps)");
        }
        return new FfmpegPerDestinationRelay(
                Sinks.forLoad(dir, port).withPushApplication("live", List.of()).start(), w, sinks, dir);
    }

    @Override
    public void publishersStarted() {
        for (int c = 1; c <= w.channels(); c++) {
            for (int d = 1; d <= w.destinations(); d++) {
                pushes.add(ExternalProcess.start(
                        "ffmpeg push ch" + c + " d" + d,
                        List.of(
                                "ffmpeg",
                                "-hide_banner",
                                "-nostdin",
                                "-nostats",
                                "-loglevel",
                                "warning",
                                "-rtmp_live",
                                "live",
                                "-i",
                                ingest.rtmpUrl("live", "ch" + c),
                                "-map",
                                "0",
                                "-c",
                                "copy",
                                "-tls_verify",
                                "1",
                                "-ca_file",
                                sinks.caCertFile().toString(),
                                "-f",
                                "flv",
                                sinks.applicationUrl(d) + "/ch" + c),
                        dir.resolve("ffmpeg-ch" + c + "-d" + d + ".log")));
            }
        }
    }

    @Override
    public String label() {
        return "ffmpeg per destination";
    }

    @Override
    public String ingestUrl(int channel) {
        return ingest.rtmpUrl("live", "ch" + channel);
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>();
        pids.add(ingest.pid());
        pushes.forEach(p -> pids.add(p.pid()));
        return pids;
    }

    @Override
    public void close() {
        pushes.forEach(ExternalProcess::close);
        ingest.close();
    }
}
