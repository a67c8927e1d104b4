package io.streamrepeater.srt;

import io.streamrepeater.testkit.ExternalProcess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * ffmpeg as an SRT encoder in caller mode: publishes a transport stream file in a loop, in real time, to
 * 127.0.0.1. Its output goes to {@code target/test-logs/ffmpeg-srt-caller-*.log} (which does hold the key
 * and passphrase: they are on its command line).
 */
final class SrtCaller {
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private SrtCaller() {}

    /**
     * @param streamId sent as is ({@code streamid=…}); ffmpeg does not URL-decode it
     * @param passphrase {@code null} for none
     */
    static ExternalProcess publish(Path file, int port, String streamId, String passphrase) {
        StringBuilder url = new StringBuilder("srt://127.0.0.1:")
                .append(port)
                .append("?mode=caller&latency=120000")
                .append("&streamid=")
                .append(streamId);
        if (passphrase != null) {
            url.append("&passphrase=").append(passphrase);
        }
        List<String> command = new ArrayList<>(List.of(
                "ffmpeg",
                "-hide_banner",
                "-nostdin",
                "-nostats",
                "-v",
                "info",
                "-re",
                "-stream_loop",
                "-1",
                "-i",
                file.toString(),
                "-c",
                "copy",
                "-f",
                "mpegts",
                url.toString()));
        Path log = Path.of(
                "target",
                "test-logs",
                "ffmpeg-srt-caller-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet() + ".log");
        return ExternalProcess.start("ffmpeg SRT caller to port " + port, command, log);
    }
}
