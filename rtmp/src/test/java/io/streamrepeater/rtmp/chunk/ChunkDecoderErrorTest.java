package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Each rejection, fed whole, byte by byte and split everywhere, followed by valid bytes that must be discarded. */
class ChunkDecoderErrorTest {
    /** A well-formed message sent after the error: the decoder must not produce it. */
    private static final byte[] VALID_AFTERWARDS = Wire.wire()
            .hex("07 000000 000001 08 01000000 EE", "fmt 0 csid 7, 1-byte audio")
            .bytes();

    static Stream<ErrorRow> rows() {
        return ChunkGoldenTable.errorRows().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rejectsWhole(ErrorRow row) {
        assertRejects(row, List.of(row.wire().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rejectsOneByteAtATime(ErrorRow row) {
        assertRejects(row, ByteBufHex.oneByteAtATime(row.wire().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void rejectsSplitAtEveryPosition(ErrorRow row) {
        byte[] bytes = row.wire().bytes();
        for (int at = 1; at < bytes.length; at++) {
            assertRejects(row, ByteBufHex.split(bytes, at));
        }
    }

    private static void assertRejects(ErrorRow row, List<byte[]> pieces) {
        List<byte[]> withTail = new ArrayList<>(pieces);
        withTail.add(VALID_AFTERWARDS);
        ChunkChannels.DecodeResult result = ChunkChannels.decode(row.limits(), withTail);
        String context = String.format("row %s in %d pieces:%n%s", row.name(), pieces.size(), row.wire());
        assertThat(result.error).as(context).isInstanceOf(ChunkException.class).hasMessage(row.expectedError());
        assertThat(result.messages).as(context).isEqualTo(row.messagesBefore());
    }
}
