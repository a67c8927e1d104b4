package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThumbnailsTest {
    /** Thumbnails of a server without channels, counting how often a refresh looks one up. */
    private static Thumbnails counting(String ffmpeg, AtomicInteger channelLookups, Duration watchFor) {
        return new Thumbnails(
                name -> {
                    channelLookups.incrementAndGet();
                    return null;
                },
                ffmpeg,
                Duration.ofMillis(100),
                watchFor,
                Duration.ofSeconds(2));
    }

    @Test
    void withoutFfmpegThereAreNoPicturesAndNothingIsDecoded() {
        AtomicInteger channelLookups = new AtomicInteger();
        try (Thumbnails thumbnails =
                counting("/nonexistent/ffmpeg-for-thumbnails-test", channelLookups, Duration.ofSeconds(1))) {
            thumbnails.start();
            await().atMost(Duration.ofSeconds(5)).until(() -> thumbnails.ffmpegFound() != null);
            assertThat(thumbnails.ffmpegFound()).isFalse();
            assertThat(thumbnails.latest("show", "primary")).isEmpty();
            assertThat(channelLookups).as("no refresh runs without ffmpeg").hasValue(0);
        }
    }

    @Test
    void refreshesRunOnlyWhileSomeoneWatchesAnInput() {
        AtomicInteger channelLookups = new AtomicInteger();
        try (Thumbnails thumbnails = counting("ffmpeg", channelLookups, Duration.ofMillis(500))) {
            thumbnails.start();
            await().atMost(Duration.ofSeconds(10)).until(() -> thumbnails.ffmpegFound() != null);
            assertThat(thumbnails.ffmpegFound())
                    .as("ffmpeg is installed for the tests")
                    .isTrue();
            assertThat(thumbnails.refreshing()).as("nobody watches yet").isFalse();

            thumbnails.latest("show", "primary");
            assertThat(thumbnails.refreshing()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> channelLookups.get() >= 3);
            // nobody asks again: the input stops being watched and the periodic refresh stops with it
            await().atMost(Duration.ofSeconds(5)).until(() -> !thumbnails.refreshing());
            int lookups = channelLookups.get();

            thumbnails.latest("show", "backup");
            assertThat(thumbnails.refreshing())
                    .as("a new watcher starts it again")
                    .isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> channelLookups.get() >= lookups + 2);
        }
    }

    @Test
    void limitsAreCheckedWithTheirValues() {
        assertThatThrownBy(() -> new Thumbnails(
                        n -> null, "ffmpeg", Duration.ofMillis(10), Duration.ofSeconds(60), Duration.ofSeconds(5)))
                .hasMessageContaining("refresh must be at least 100 ms, got 10 ms");
        assertThatThrownBy(() -> new Thumbnails(
                        n -> null, "ffmpeg", Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(5)))
                .hasMessageContaining("1000 ms")
                .hasMessageContaining("5000 ms");
        assertThatThrownBy(() -> new Thumbnails(
                        n -> null, "ffmpeg", Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofMillis(1)))
                .hasMessageContaining("decode timeout must be at least 100 ms, got 1 ms");
    }

    @Test
    void recognisesAJpegByItsStartAndEndMarkers() {
        assertThat(Thumbnails.isJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD9}))
                .isTrue();
        assertThat(Thumbnails.isJpeg(new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, (byte) 0xFF, (byte) 0xD8}))
                .isFalse();
        assertThat(Thumbnails.isJpeg(new byte[] {(byte) 0xFF, (byte) 0xD9})).isFalse();
    }
}
