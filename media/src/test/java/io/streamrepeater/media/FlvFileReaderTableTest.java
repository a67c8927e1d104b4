package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBufUtil;
import io.streamrepeater.testkit.Hex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Hand-built FLV files, byte by byte: each error the reader refuses, and each thing it tolerates. */
class FlvFileReaderTableTest {
    private static final long NO_LIMIT = 1 << 20;
    /** AMF0 "@setDataFrame" as the reader prefixes it. */
    private static final String SET_DATA_FRAME = "02 000d 40736574446174614672616d65";
    /** AMF0 "onMetaData", then an ECMA array with 0 entries and the end marker. */
    private static final String ON_METADATA = "02 000a 6f6e4d65746144617461 | 08 00000000 000009";
    /** AMF0 "onCuePoint", then null: script data that is not metadata. */
    private static final String ON_CUE_POINT = "02 000a 6f6e437565506f696e74 | 05";

    @TempDir
    Path dir;

    private final RecordingAllocator alloc = new RecordingAllocator();

    @AfterEach
    void everyBufferReleased() {
        alloc.assertAllReleased();
    }

    /** Name, file bytes, and the part of the message that says what is wrong and where. */
    static Stream<Arguments> refusedFiles() {
        // A complete audio tag at offset 13: 11 header bytes + 4 body bytes, then PreviousTagSize 15.
        byte[] oneTag = FlvBytes.file().tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER).bytes();
        return Stream.of(
                Arguments.of("empty", new byte[0], "not an FLV file: expected 'FLV' at offset 0"),
                Arguments.of(
                        "bad-signature",
                        Hex.bytes("464c57 01 05 00000009 00000000"),
                        "not an FLV file: expected 'FLV' at offset 0"),
                Arguments.of(
                        "short-header",
                        Hex.bytes("464c56 01 05"),
                        "truncated file header at offset 0: needs 9 bytes, the file has 5 left"),
                Arguments.of(
                        "version-2",
                        Hex.bytes("464c56 02 05 00000009 00000000"),
                        "unsupported FLV version 2 at offset 3"),
                Arguments.of(
                        "data-offset-8",
                        Hex.bytes("464c56 01 05 00000008 00000000"),
                        "header DataOffset 8 at offset 5 is outside the file"),
                Arguments.of(
                        "data-offset-past-end",
                        Hex.bytes("464c56 01 05 00001000 00000000"),
                        "header DataOffset 4096 at offset 5 is outside the file"),
                Arguments.of(
                        "no-previous-tag-size-0", Hex.bytes(FlvBytes.HEADER), "truncated PreviousTagSize at offset 9"),
                Arguments.of(
                        "cut-tag-header",
                        FlvBytes.file().raw("08 000004 00").bytes(),
                        "truncated tag header at offset 13: needs 11 bytes, the file has 5 left"),
                Arguments.of(
                        "cut-tag-body",
                        Arrays.copyOf(oneTag, 13 + 11 + 2),
                        "truncated tag body of 4 bytes (tag at offset 13) at offset 24: needs 4 bytes, the file has 2 left"),
                Arguments.of(
                        "cut-previous-tag-size",
                        Arrays.copyOf(oneTag, oneTag.length - 1),
                        "truncated PreviousTagSize at offset 28: needs 4 bytes, the file has 3 left"),
                Arguments.of(
                        "filtered-audio",
                        FlvBytes.file().tag(0x28, 0, "af 01 0102").bytes(),
                        "encrypted or filtered tag (type byte 0x28, filter bit 0x20 set) at offset 13"),
                Arguments.of(
                        "filtered-after-good-tag",
                        FlvBytes.file()
                                .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER)
                                .tag(0x29, 0, FlvBytes.AVC_KEYFRAME)
                                .bytes(),
                        "encrypted or filtered tag (type byte 0x29, filter bit 0x20 set) at offset 32"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusedFiles")
    void refusesWithFileNameAndOffset(String name, byte[] bytes, String expectedProblem) throws IOException {
        Path file = write(name, bytes);
        assertThatThrownBy(() -> FlvFileReader.read(file, alloc, NO_LIMIT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("FLV file " + file + ": ")
                .hasMessageContaining(expectedProblem);
    }

    @Test
    void refusesAFileLargerThanTheLimitBeforeReadingIt() throws IOException {
        Path file = write(
                "big", FlvBytes.file().tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER).bytes());
        assertThatThrownBy(() -> FlvFileReader.read(file, alloc, 20))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("FLV file " + file + " is 32 bytes, more than the limit of 20 bytes:"
                        + " use a shorter or lower-bitrate file");
        assertThat(alloc.allocatedCount()).isZero();
    }

    @Test
    void aFileOfExactlyTheLimitIsRead() throws IOException {
        Path file = write(
                "exact", FlvBytes.file().tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER).bytes());
        try (FlvFile flv = FlvFileReader.read(file, alloc, 32)) {
            assertThat(flv.packets()).hasSize(1);
        }
    }

    @Test
    void headerAndPreviousTagSize0AloneIsAnEmptyFile() throws IOException {
        try (FlvFile flv = read("header-only", FlvBytes.file())) {
            assertThat(flv.packets()).isEmpty();
            assertThat(flv.durationMs()).isZero();
            assertThat(flv.hasVideoKeyframe()).isFalse();
            assertThat(flv.previousTagSizeMismatches()).isZero();
        }
    }

    static Stream<Arguments> timestamps() {
        return Stream.of(
                Arguments.of("24-bit only", 0x00_123456L),
                Arguments.of("extended byte 0x01 above 0x000010", 0x01_000010L),
                Arguments.of("24 bits all ones, no extension", 0x00_FFFFFFL),
                Arguments.of("largest, read unsigned", 0xFF_FFFFFFL));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timestamps")
    void timestampIsThe24BitFieldWithTheExtendedByteOnTop(String name, long timestamp) throws IOException {
        FlvBytes bytes = FlvBytes.file().tag(9, timestamp, FlvBytes.AVC_KEYFRAME);
        byte[] raw = bytes.bytes();
        // Tag header at 13: type, size(3), timestamp(3) at 17, extended byte at 20.
        assertThat(raw[20] & 0xFF).as("extended byte").isEqualTo((int) (timestamp >>> 24));
        try (FlvFile flv = read("ts", bytes)) {
            MediaPacket packet = flv.packets().get(0);
            assertThat(packet.dts()).isEqualTo(timestamp);
            assertThat(packet.pts()).isEqualTo(timestamp);
            assertThat(packet.isVideoKeyframe()).isTrue();
        }
    }

    @Test
    void packetsKeepFileOrderKindAndTheWholeTagBody() throws IOException {
        FlvBytes bytes = FlvBytes.file()
                .tag(9, 0, "17 00 000000 0142c01e") // AVC sequence header (truncated record is fine for probing)
                .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER)
                .tag(9, 0, FlvBytes.AVC_KEYFRAME)
                .tag(8, 23, "af 01 2100")
                .tag(9, 40, FlvBytes.AVC_INTER_FRAME);
        try (FlvFile flv = read("order", bytes)) {
            assertThat(flv.packets())
                    .extracting(MediaPacket::kind)
                    .containsExactly(
                            MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.VIDEO, MediaKind.AUDIO, MediaKind.VIDEO);
            assertThat(flv.packets()).extracting(MediaPacket::dts).containsExactly(0L, 0L, 0L, 23L, 40L);
            assertThat(flv.packets())
                    .extracting(MediaPacket::sequenceHeader)
                    .containsExactly(true, true, false, false, false);
            assertThat(ByteBufUtil.hexDump(flv.packets().get(3).payload())).isEqualTo("af012100");
            assertThat(flv.hasVideoKeyframe()).isTrue();
            assertThat(flv.previousTagSizeMismatches()).isZero();
            assertThat(flv.unknownTagsSkipped()).isZero();
        }
    }

    @Test
    void bareOnMetaDataGetsTheSetDataFramePrefix() throws IOException {
        try (FlvFile flv = read("meta", FlvBytes.file().tag(18, 0, ON_METADATA))) {
            MediaPacket packet = flv.packets().get(0);
            assertThat(packet.kind()).isEqualTo(MediaKind.DATA);
            assertThat(packet.rtmpTypeId()).isEqualTo(18);
            assertThat(packet.metadata()).isTrue();
            assertThat(ByteBufUtil.hexDump(packet.payload()))
                    .isEqualTo(ByteBufUtil.hexDump(Hex.bytes(SET_DATA_FRAME + ON_METADATA)));
        }
    }

    @Test
    void metadataThatAlreadyHasSetDataFrameIsNotPrefixedTwice() throws IOException {
        try (FlvFile flv = read("meta2", FlvBytes.file().tag(18, 0, SET_DATA_FRAME + ON_METADATA))) {
            MediaPacket packet = flv.packets().get(0);
            assertThat(packet.metadata()).isTrue();
            assertThat(ByteBufUtil.hexDump(packet.payload()))
                    .isEqualTo(ByteBufUtil.hexDump(Hex.bytes(SET_DATA_FRAME + ON_METADATA)));
        }
    }

    @Test
    void otherScriptDataIsKeptAsItIsAndIsNotMetadata() throws IOException {
        try (FlvFile flv = read("cue", FlvBytes.file().tag(18, 500, ON_CUE_POINT))) {
            MediaPacket packet = flv.packets().get(0);
            assertThat(packet.kind()).isEqualTo(MediaKind.DATA);
            assertThat(packet.metadata()).isFalse();
            assertThat(packet.dts()).isEqualTo(500);
            assertThat(ByteBufUtil.hexDump(packet.payload())).isEqualTo(ByteBufUtil.hexDump(Hex.bytes(ON_CUE_POINT)));
        }
    }

    @Test
    void previousTagSizeMismatchesAreToleratedAndCounted() throws IOException {
        FlvBytes bytes = FlvBytes.file()
                .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER, 99) // should be 15
                .tag(9, 0, FlvBytes.AVC_KEYFRAME) // right: 11 + 11
                .tag(9, 40, FlvBytes.AVC_INTER_FRAME, 0); // should be 22
        try (FlvFile flv = read("mismatch", bytes)) {
            assertThat(flv.packets()).hasSize(3);
            assertThat(flv.previousTagSizeMismatches()).isEqualTo(2);
        }
    }

    @Test
    void aNonZeroPreviousTagSize0IsAMismatch() throws IOException {
        FlvBytes bytes = FlvBytes.file().tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER);
        byte[] raw = bytes.bytes();
        raw[12] = 7; // PreviousTagSize0 at offset 9..12
        try (FlvFile flv = FlvFileReader.read(write("ptsz0", raw), alloc, NO_LIMIT)) {
            assertThat(flv.packets()).hasSize(1);
            assertThat(flv.previousTagSizeMismatches()).isEqualTo(1);
        }
    }

    @Test
    void unknownTagTypesAreSkippedAndCounted() throws IOException {
        FlvBytes bytes = FlvBytes.file()
                .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER)
                .tag(7, 0, "00112233")
                .tag(0x1f, 10, "")
                .tag(9, 20, FlvBytes.AVC_KEYFRAME);
        try (FlvFile flv = read("unknown", bytes)) {
            assertThat(flv.packets()).extracting(MediaPacket::kind).containsExactly(MediaKind.AUDIO, MediaKind.VIDEO);
            assertThat(flv.unknownTagsSkipped()).isEqualTo(2);
            assertThat(flv.previousTagSizeMismatches()).isZero();
        }
    }

    @Test
    void reservedBitsAboveTheFilterBitAreIgnored() throws IOException {
        try (FlvFile flv = read("reserved", FlvBytes.file().tag(0xC0 | 9, 0, FlvBytes.AVC_KEYFRAME))) {
            assertThat(flv.packets())
                    .singleElement()
                    .extracting(MediaPacket::kind)
                    .isEqualTo(MediaKind.VIDEO);
        }
    }

    @Test
    void aLargerDataOffsetSkipsTheExtraHeaderBytes() throws IOException {
        // DataOffset 12: three extra header bytes before PreviousTagSize0.
        FlvBytes bytes = FlvBytes.empty()
                .raw("464c56 01 05 0000000c | aabbcc | 00000000")
                .tag(8, 7, "af 01 21");
        try (FlvFile flv = read("offset", bytes)) {
            assertThat(flv.packets())
                    .singleElement()
                    .extracting(MediaPacket::dts)
                    .isEqualTo(7L);
        }
    }

    @Test
    void durationIsTheLongerStreamSpanPlusItsMedianStep() throws IOException {
        FlvBytes bytes = FlvBytes.file()
                .tag(18, 0, ON_METADATA) // data does not count
                .tag(9, 1000, "17 00 000000 0142c01e")
                .tag(9, 1000, FlvBytes.AVC_KEYFRAME)
                .tag(8, 1010, "af 01 2100")
                .tag(8, 1033, "af 01 2100")
                .tag(9, 1040, FlvBytes.AVC_INTER_FRAME)
                .tag(8, 1056, "af 01 2100")
                .tag(9, 1080, FlvBytes.AVC_INTER_FRAME)
                .tag(9, 1200, FlvBytes.AVC_INTER_FRAME) // a 120 ms hiccup does not move the median
                .tag(9, 1240, FlvBytes.AVC_INTER_FRAME);
        try (FlvFile flv = read("duration", bytes)) {
            assertThat(flv.durationMs())
                    .as("video 1000..1240 + 40 beats audio 1010..1056 + 23")
                    .isEqualTo(1240 - 1000 + 40);
        }
    }

    @Test
    void audioThatOutlastsTheVideoSetsTheDuration() throws IOException {
        // As ffmpeg writes AAC: shifted by the encoder delay, ending after the last video frame.
        FlvBytes bytes = FlvBytes.file().tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER); // at 0: not counted
        for (int i = 0; i < 4; i++) {
            bytes.tag(9, i * 100L, i == 0 ? FlvBytes.AVC_KEYFRAME : FlvBytes.AVC_INTER_FRAME);
        }
        for (int i = 0; i < 21; i++) {
            bytes.tag(8, 177 + i * 23L, "af 01 2100");
        }
        try (FlvFile flv = read("audio-longer", bytes)) {
            assertThat(flv.durationMs())
                    .as("audio 177..637 + 23 beats video 0..300 + 100")
                    .isEqualTo(637 - 177 + 23);
        }
    }

    @Test
    void audioOnlyLastsItsAudioSpanAndHasNoKeyframe() throws IOException {
        FlvBytes bytes = FlvBytes.file()
                .tag(8, 0, FlvBytes.AAC_SEQUENCE_HEADER)
                .tag(8, 100, "af 01 21")
                .tag(8, 123, "af 01 21")
                .tag(8, 146, "af 01 21");
        try (FlvFile flv = read("audio-only", bytes)) {
            assertThat(flv.durationMs()).isEqualTo(146 - 100 + 23);
            assertThat(flv.hasVideoKeyframe()).isFalse();
        }
    }

    @Test
    void interFramesAloneHaveNoKeyframe() throws IOException {
        FlvBytes bytes = FlvBytes.file().tag(9, 0, FlvBytes.AVC_INTER_FRAME).tag(9, 40, FlvBytes.AVC_INTER_FRAME);
        try (FlvFile flv = read("no-key", bytes)) {
            assertThat(flv.hasVideoKeyframe()).isFalse();
            assertThat(flv.durationMs()).isEqualTo(80);
        }
    }

    @Test
    void closeReleasesEveryPacketOnceAndPacketsAreGoneAfterwards() throws IOException {
        FlvBytes bytes = FlvBytes.file().tag(18, 0, ON_METADATA).tag(9, 0, FlvBytes.AVC_KEYFRAME);
        FlvFile flv = read("close", bytes);
        MediaPacket kept = flv.packets().get(1).retainedDuplicate();
        try {
            flv.close();
            flv.close();
            assertThat(kept.refCnt())
                    .as("a caller's duplicate outlives the file")
                    .isEqualTo(1);
            assertThatThrownBy(flv::packets)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("is closed");
        } finally {
            kept.release();
        }
    }

    private FlvFile read(String name, FlvBytes bytes) throws IOException {
        return FlvFileReader.read(write(name, bytes.bytes()), alloc, NO_LIMIT);
    }

    private Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name + ".flv"), bytes);
    }
}
