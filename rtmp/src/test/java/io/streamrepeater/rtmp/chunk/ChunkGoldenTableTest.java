package io.streamrepeater.rtmp.chunk;

import static io.streamrepeater.testkit.Hex.dump;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden row decoded whole, one byte at a time and split at every position, and encoded where it applies. */
class ChunkGoldenTableTest {

    static Stream<GoldenRow> rows() {
        return ChunkGoldenTable.rows().stream();
    }

    static Stream<GoldenRow> encodableRows() {
        return rows().filter(GoldenRow::encodes);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodesWhole(GoldenRow row) {
        assertDecodes(row, List.of(row.wire().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodesOneByteAtATime(GoldenRow row) {
        assertDecodes(row, ByteBufHex.oneByteAtATime(row.wire().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void decodesSplitAtEveryPosition(GoldenRow row) {
        byte[] bytes = row.wire().bytes();
        for (int at = 1; at < bytes.length; at++) {
            assertDecodes(row, ByteBufHex.split(bytes, at));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodableRows")
    void encodesToTheSameBytes(GoldenRow row) {
        assertThat(dump(ChunkChannels.encode(row.messages())))
                .as("encoding of row %s, expected:%n%s", row.name(), row.wire())
                .isEqualTo(dump(row.wire().bytes()));
    }

    private static void assertDecodes(GoldenRow row, List<byte[]> pieces) {
        ChunkChannels.DecodeResult result = ChunkChannels.decode(ChunkLimits.DEFAULT, pieces);
        String context = String.format("row %s in %d pieces:%n%s", row.name(), pieces.size(), row.wire());
        assertThat(result.error).as(context).isNull();
        assertThat(result.messages).as(context).isEqualTo(row.messages());
        assertThat(result.acknowledgements).as(context).isEqualTo(row.acknowledgements());
    }
}
