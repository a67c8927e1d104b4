package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestMediaTest {

    @Test
    void encodesTheRequestedStreamsWithAKeyframeEveryGop() {
        Path file = TestMedia.h264Aac(Duration.ofSeconds(2), 15, "320x180", 30, "300k");

        MediaReport report = Ffprobe.analyze(file);

        assertThat(report.videoCodec()).isEqualTo("h264");
        assertThat(report.width()).isEqualTo(320);
        assertThat(report.height()).isEqualTo(180);
        assertThat(report.videoPackets()).isEqualTo(60);
        assertThat(report.videoKeyframes()).isEqualTo(4);
        assertThat(report.firstVideoPacketIsKeyframe()).isTrue();
        assertThat(report.maxVideoCompositionOffsetMs()).as("no B-frames").isZero();
        assertThat(report.audioCodec()).isEqualTo("aac");
        assertThat(report.sampleRate()).isEqualTo(44100);
        assertThat(report.channels()).isEqualTo(2);
        assertThat(report.decodeErrorLines()).isEmpty();
    }

    @Test
    void bFramesGiveVideoACompositionOffset() {
        Path file = TestMedia.h264AacWithBFrames(Duration.ofSeconds(1), 30, "320x180", 30, "300k", 2);

        MediaReport report = Ffprobe.analyze(file);

        assertThat(report.maxVideoCompositionOffsetMs()).isPositive();
        assertThat(report.videoDtsMonotonic()).isTrue();
        assertThat(report.decodeErrorLines()).isEmpty();
    }

    @Test
    void corruptedMediaShowsDecodeErrors(@TempDir Path directory) throws IOException {
        Path corrupted = directory.resolve("corrupted.flv");
        Files.copy(TestMedia.h264Aac(Duration.ofSeconds(2), 15, "320x180", 30, "300k"), corrupted);
        try (FileChannel file = FileChannel.open(corrupted, StandardOpenOption.WRITE)) {
            long size = file.size();
            for (long offset = size / 3; offset < size / 3 + 40_000 && offset < size - 16; offset += 997) {
                file.write(
                        ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x00, 0x13, 0x77, (byte) 0xff, 0x00, 0x13, 0x77}),
                        offset);
            }
        }

        MediaReport report = Ffprobe.analyze(corrupted);

        assertThat(report.decodeErrorLines()).isNotEmpty();
    }

    @Test
    void parallelCallersShareOneCachedFile() {
        List<CompletableFuture<Path>> calls = List.of(
                CompletableFuture.supplyAsync(
                        () -> TestMedia.h264Aac(Duration.ofMillis(500), 15, "160x90", 30, "100k")),
                CompletableFuture.supplyAsync(
                        () -> TestMedia.h264Aac(Duration.ofMillis(500), 15, "160x90", 30, "100k")));

        List<Path> files =
                calls.stream().map(CompletableFuture::join).distinct().toList();

        assertThat(files).singleElement().satisfies(file -> {
            assertThat(file.toString()).contains("target/test-media/");
            assertThat(Files.size(file)).isPositive();
        });
    }
}
