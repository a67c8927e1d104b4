package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's judgements on streams the real-peer tests hope never to see. */
class FfprobeOutputTest {

    private static final String STREAMS = """
            "streams": [
              {"index": 0, "codec_type": "video", "codec_name": "h264", "width": 640, "height": 360, "time_base": "1/1000"},
              {"index": 1, "codec_type": "audio", "codec_name": "aac", "sample_rate": "48000", "channels": 2, "time_base": "1/1000"}
            ]""";

    @Test
    void backwardsDtsAGapAndALeadingInterFrameAreReported() throws Exception {
        String json = "{" + STREAMS + """
                , "packets": [
                  {"stream_index": 0, "pts": 100, "dts": 100, "flags": "__"},
                  {"stream_index": 1, "pts": 90, "dts": 90, "flags": "K_"},
                  {"stream_index": 0, "pts": 133, "dts": 133, "flags": "K_"},
                  {"stream_index": 1, "pts": 111, "dts": 111, "flags": "K_"},
                  {"stream_index": 0, "pts": 120, "dts": 120, "flags": "__"},
                  {"stream_index": 1, "pts": 600, "dts": 600, "flags": "K_"},
                  {"stream_index": 0, "pts": 1120, "dts": 1120, "flags": "__"}
                ]}""";

        MediaReport report = FfprobeOutput.toReport(new ObjectMapper().readTree(json), List.of("error line"));

        assertThat(report.videoPackets()).isEqualTo(4);
        assertThat(report.audioPackets()).isEqualTo(3);
        assertThat(report.videoKeyframes()).isEqualTo(1);
        assertThat(report.firstVideoPacketIsKeyframe()).isFalse();
        assertThat(report.videoDtsMonotonic()).isFalse();
        assertThat(report.audioDtsMonotonic()).isTrue();
        assertThat(report.maxVideoDtsGapMs()).isEqualTo(1000);
        assertThat(report.maxAudioDtsGapMs()).isEqualTo(489);
        assertThat(report.firstVideoDtsMs()).isEqualTo(100);
        assertThat(report.lastVideoDtsMs()).isEqualTo(1120);
        assertThat(report.sampleRate()).isEqualTo(48000);
        assertThat(report.channels()).isEqualTo(2);
        assertThat(report.decodeErrorLines()).containsExactly("error line");
    }

    @Test
    void timestampsInAnotherTimeBaseBecomeMillisecondsAndBFramesShowAsCompositionOffset() throws Exception {
        String json = """
                {"streams": [{"index": 0, "codec_type": "video", "codec_name": "h264", "time_base": "1/90000"}],
                 "packets": [
                   {"stream_index": 0, "pts": 9000, "dts": 0, "flags": "K_"},
                   {"stream_index": 0, "pts": 3000, "dts": 3000, "flags": "__"},
                   {"stream_index": 0, "pts": 6000, "dts": 6000, "flags": "__"}
                 ]}""";

        MediaReport report = FfprobeOutput.toReport(new ObjectMapper().readTree(json), List.of());

        assertThat(report.lastVideoDtsMs()).isEqualTo(67);
        assertThat(report.maxVideoCompositionOffsetMs()).isEqualTo(100);
        assertThat(report.audioCodec()).isNull();
        assertThat(report.audioPackets()).isZero();
    }
}
