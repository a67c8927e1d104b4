package io.streamrepeater.media.ts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tables for the small parts of the demuxer: time line, ADTS, PES header, Annex B, continuity. */
class TsPartsTableTest {
    private static final long WRAP = 1L << 33;

    static Stream<Arguments> timelines() {
        return Stream.of(
                Arguments.of("plain 90 kHz to ms", new long[] {126_000, 129_000, 135_000}, new long[] {0, 33, 100}),
                Arguments.of("rounding to nearest", new long[] {0, 44, 45, 134}, new long[] {0, 0, 1, 1}),
                Arguments.of("across the wrap", new long[] {WRAP - 90_000, WRAP - 45_000, 0, 90_000}, new long[] {
                    0, 500, 1000, 2000
                }),
                Arguments.of(
                        "a small step back (B-frame order) is not a wrap",
                        new long[] {1000 * 90, 990 * 90},
                        new long[] {0, -10}),
                Arguments.of("a step back across the wrap", new long[] {900, WRAP - 900}, new long[] {0, -20}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("timelines")
    void timelineUnwrapsAndRebases(String name, long[] raw, long[] expectedMs) {
        TsTimeline timeline = new TsTimeline();
        TsTimeline.Clock clock = timeline.newClock();
        long[] ms = Arrays.stream(raw)
                .map(value -> timeline.toMillis(clock.unwrap(value)))
                .toArray();
        assertThat(ms).isEqualTo(expectedMs);
    }

    @Test
    void aStreamJoiningAfterTheWrapLandsOnTheSameSideAsTheOthers() {
        TsTimeline timeline = new TsTimeline();
        TsTimeline.Clock video = timeline.newClock();
        TsTimeline.Clock audio = timeline.newClock();
        assertThat(timeline.toMillis(video.unwrap(WRAP - 900))).isZero();
        assertThat(timeline.toMillis(video.unwrap(900))).isEqualTo(20);
        assertThat(timeline.toMillis(audio.unwrap(1800)))
                .as("audio's first timestamp, after the wrap")
                .isEqualTo(30);
    }

    static Stream<Arguments> adtsHeaders() {
        return Stream.of(
                // syncword+MPEG-4+layer+no CRC | profile LC(1), 44.1 kHz (4), private 0, channels 2 | ... length 0x175
                Arguments.of("AAC LC 44.1 kHz stereo, no CRC", "fff1 5080 2ebf fc", "1210", 7, 0x175, 1024),
                Arguments.of("AAC LC 48 kHz mono, with CRC", "fff0 4c40 2ebf fc", "1188", 9, 0x175, 1024),
                Arguments.of("AAC LC 24 kHz stereo, two raw data blocks", "fff1 5880 2ebf fd", "1310", 7, 0x175, 2048));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("adtsHeaders")
    void adtsHeaderGivesTheAudioSpecificConfig(
            String name, String hex, String asc, int headerLength, int frameLength, int samples) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        AdtsHeader header = AdtsHeader.read(buf, 0);
        assertThat(header).isNotNull();
        assertThat(ByteBufUtil.hexDump(header.audioSpecificConfig())).isEqualTo(asc);
        assertThat(header.headerLength()).isEqualTo(headerLength);
        assertThat(header.frameLength()).isEqualTo(frameLength);
        assertThat(header.samples()).isEqualTo(samples);
    }

    @Test
    void notAnAdtsHeader() {
        assertThat(AdtsHeader.read(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("fff7508002bffc")), 0))
                .as("layer 3")
                .isNull();
        assertThat(AdtsHeader.read(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("47f1508002bffc")), 0))
                .as("no sync")
                .isNull();
    }

    static Stream<Arguments> pesHeaders() {
        return Stream.of(
                // start code, stream id E0, length 0, '10' flags, PTS+DTS, 10 header bytes: PTS 144000, DTS 126000
                Arguments.of(
                        "video, PTS and DTS",
                        "000001 e0 0000 80 c0 0a 3100096501 110007d861 aabb",
                        144_000L,
                        126_000L,
                        "aabb"),
                Arguments.of(
                        "audio, PTS only, declared length trims stuffing",
                        "000001 c0 000a 80 80 05 2100095557 ccdd eeff",
                        141_995L,
                        141_995L,
                        "ccdd"),
                Arguments.of("no timestamps", "000001 e0 0000 80 00 00 99", -1L, -1L, "99"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("pesHeaders")
    void pesHeaderTimestamps(String name, String hex, long pts, long dts, String payload) {
        ByteBuf pes = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        PesHeader header = PesHeader.read(pes);
        assertThat(header).isEqualTo(new PesHeader(pts, dts));
        assertThat(ByteBufUtil.hexDump(pes)).isEqualTo(payload);
    }

    @Test
    void truncatedOrForeignPesIsRefused() {
        assertThat(PesHeader.read(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("000001c0001080800521000945"))))
                .isNull();
        assertThat(PesHeader.read(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("000002e000008000000000"))))
                .isNull();
    }

    static Stream<Arguments> annexBStreams() {
        return Stream.of(
                Arguments.of(
                        "3- and 4-byte start codes",
                        "00000001 0910 000001 6742 000001 65aa",
                        List.of("0910", "6742", "65aa")),
                Arguments.of(
                        "trailing zeros belong to no NAL unit",
                        "000001 06ff 0000 00000001 4101 0000",
                        List.of("06ff", "4101")),
                Arguments.of("00 00 03 stays inside the NAL unit", "000001 41000003 01", List.of("4100000301")),
                Arguments.of("bytes before the first start code are ignored", "ffee 000001 41", List.of("41")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("annexBStreams")
    void annexBSplitsNalUnits(String name, String hex, List<String> units) {
        ByteBuf stream = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        int[] found = AnnexB.nalUnits(stream);
        List<String> actual = new ArrayList<>();
        for (int i = 0; i < found.length; i += 2) {
            actual.add(ByteBufUtil.hexDump(stream, found[i], found[i + 1]));
        }
        assertThat(actual).isEqualTo(units);
    }

    /** One PES of 3 packets on PID 0x100 with a duplicate and then a gap. */
    @Test
    void continuityDuplicatesAreIgnoredAndGapsDropThePes() {
        List<String> delivered = new ArrayList<>();
        int[] lost = {0};
        TsCounters counters = new TsCounters();
        PesAssembler assembler = new PesAssembler(
                0x100, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 1 << 20, counters, new PesAssembler.PesSink() {
                    @Override
                    public void pes(PesHeader header, ByteBuf payload) {
                        delivered.add(payload.readableBytes() + " bytes");
                    }

                    @Override
                    public void lost() {
                        lost[0]++;
                    }
                });
        try {
            byte[] start = packet(true, 0, "000001e0000080000011");
            feed(assembler, start);
            feed(assembler, packet(false, 1, "22"));
            feed(assembler, packet(false, 1, "22")); // duplicate: ignored
            feed(assembler, packet(true, 2, "000001e0000080000033"));
            // 184 - 9 header bytes of the first packet plus 184 of the second; the duplicate adds nothing
            assertThat(delivered).containsExactly((184 - 9 + 184) + " bytes");
            feed(assembler, packet(false, 4, "44")); // counter 3 lost
            assertThat(counters.continuityErrors).isEqualTo(1);
            assertThat(counters.pesDropped).isEqualTo(1);
            assertThat(lost[0]).isEqualTo(1);
            feed(assembler, packet(false, 5, "55")); // still waiting for a PES start
            assembler.flush();
            assertThat(delivered).hasSize(1);
        } finally {
            assembler.close();
        }
    }

    private static void feed(PesAssembler assembler, byte[] packet) {
        ByteBuf buf = Unpooled.wrappedBuffer(packet);
        assembler.accept(TsPacketHeader.read(buf, 0), buf);
    }

    /** A 188-byte packet on PID 0x100 with payload only, starting with {@code hex} and filled with 0xAB. */
    private static byte[] packet(boolean unitStart, int counter, String hex) {
        byte[] packet = new byte[188];
        Arrays.fill(packet, (byte) 0xAB);
        packet[0] = 0x47;
        packet[1] = (byte) ((unitStart ? 0x40 : 0) | 0x01);
        packet[2] = 0x00;
        packet[3] = (byte) (0x10 | counter);
        byte[] head = ByteBufUtil.decodeHexDump(hex);
        System.arraycopy(head, 0, packet, 4, head.length);
        return packet;
    }
}
