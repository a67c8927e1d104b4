package io.streamrepeater.rtmp.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.streamrepeater.testkit.TrackingAllocator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ChunkCodecTest {

    @Test
    void decoderAndEncoderInOneChannelHandleA16MiBChunkSize() {
        ChunkEncoder encoder = new ChunkEncoder();
        ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel(encoder, decoder);
        byte[] big = Wire.pattern(ChunkLimits.MAX_24_BIT, 5);
        try {
            channel.writeOutbound(
                    setChunkSize(ChunkLimits.MAX_24_BIT), new RawMessage(6, 9, 1234, 1, Unpooled.wrappedBuffer(big)));
            ByteBuf setChunkSizeBytes = channel.readOutbound();
            ByteBuf bigBytes = channel.readOutbound();
            assertThat(encoder.chunkSize()).isEqualTo(ChunkLimits.MAX_24_BIT);
            assertThat(bigBytes.readableBytes())
                    .as("one chunk: 12-byte header + payload")
                    .isEqualTo(12 + big.length);

            channel.writeInbound(setChunkSizeBytes, bigBytes);

            assertThat(decoder.chunkSize()).isEqualTo(ChunkLimits.MAX_24_BIT);
            RawMessage control = channel.readInbound();
            RawMessage video = channel.readInbound();
            try {
                assertThat(control.typeId()).isEqualTo(1);
                assertThat(video.timestamp()).isEqualTo(1234);
                // One bulk read: per-byte comparisons on a leak-tracked buffer would record a trace per access.
                assertThat(Arrays.equals(ByteBufUtil.getBytes(video.payload()), big))
                        .as("payload intact")
                        .isTrue();
            } finally {
                control.release();
                video.release();
            }
            assertThat(channel.finish()).isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void encodeStandaloneWritesFormat0AndExtendedTimestampOnEveryChunkWithoutCopyingOrReleasing() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        byte[] payload = Wire.pattern(300, 0);
        RawMessage message = new RawMessage(6, 9, 0x12345678L, 1, alloc.copyOf(payload));
        ByteBuf encoded = ChunkEncoder.encodeStandalone(message, 128, alloc);
        try {
            byte[] expected = Wire.wire()
                    .hex("06 FFFFFF 00012C 09 01000000", "fmt 0 csid 6, marker, length 300, video, msid 1")
                    .hex("12345678", "extended timestamp")
                    .data(payload, 0, 128, "chunk 1")
                    .hex("C6 12345678", "fmt 3 + extended timestamp")
                    .data(payload, 128, 256, "chunk 2")
                    .hex("C6 12345678", "fmt 3 + extended timestamp")
                    .data(payload, 256, 300, "chunk 3")
                    .bytes();
            assertThat(ByteBufUtil.hexDump(encoded)).isEqualTo(ByteBufUtil.hexDump(expected));
            assertThat(message.refCnt()).as("still owned by the caller").isPositive();
            assertThat(encoded).isInstanceOf(CompositeByteBuf.class);

            message.payload().setByte(0, 0x7F);
            assertThat(encoded.getByte(16))
                    .as("output shares the payload's memory")
                    .isEqualTo((byte) 0x7F);

            message.release();
            assertThat(ByteBufUtil.hexDump(encoded, 16, 4))
                    .as("output keeps the payload alive")
                    .isEqualTo("7f010203");
        } finally {
            encoded.release();
        }
        alloc.assertAllReleased();
    }

    /** Header 0, payload part 0, header 1, … as a sender gathers them from the layout. */
    private static String gathered(ChunkHeaders layout, ByteBuf payload) {
        StringBuilder wire = new StringBuilder();
        for (int chunk = 0; chunk < layout.chunks(); chunk++) {
            wire.append(ByteBufUtil.hexDump(
                    layout.buffer(),
                    layout.buffer().readerIndex() + layout.headerOffset(chunk),
                    layout.headerLength(chunk)));
            wire.append(ByteBufUtil.hexDump(
                    payload, payload.readerIndex() + layout.payloadOffset(chunk), layout.payloadLength(chunk)));
        }
        return wire.toString();
    }

    @Test
    void standaloneHeadersAroundThePayloadAreTheBytesOfTheWholeEncoding() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        // three chunks of 128, 128 and 44 bytes; a timestamp under the extended marker, and one above it
        for (long timestamp : new long[] {0x123456L, 0x12345678L}) {
            byte[] payload = Wire.pattern(300, 0);
            RawMessage message = new RawMessage(6, 9, timestamp, 1, alloc.copyOf(payload));
            ByteBuf whole = ChunkEncoder.encodeStandalone(message, 128, alloc);
            ChunkHeaders layout = ChunkEncoder.encodeStandaloneHeaders(6, 9, timestamp, 1, 300, 128, alloc);
            try {
                assertThat(layout.chunks()).isEqualTo(3);
                assertThat(layout.payloadLength(2)).isEqualTo(44);
                int extended = timestamp >= 0xFFFFFF ? 4 : 0;
                assertThat(layout.firstHeader()).isEqualTo(12 + extended);
                assertThat(layout.continuationHeader()).isEqualTo(1 + extended);
                assertThat(layout.wireLength()).isEqualTo(whole.readableBytes());
                assertThat(gathered(layout, message.payload())).isEqualTo(ByteBufUtil.hexDump(whole));
            } finally {
                message.release();
                whole.release();
                layout.buffer().release();
            }
        }
        alloc.assertAllReleased();
    }

    @Test
    void standaloneHeadersOfAnEmptyMessageAreOneChunkHeader() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        ChunkHeaders layout = ChunkEncoder.encodeStandaloneHeaders(5, 18, 0, 1, 0, 4096, alloc);
        try {
            assertThat(layout.chunks()).isEqualTo(1);
            assertThat(layout.payloadLength(0)).isZero();
            assertThat(ByteBufUtil.hexDump(layout.buffer())).isEqualTo("05" + "000000" + "000000" + "12" + "01000000");
        } finally {
            layout.buffer().release();
        }
        alloc.assertAllReleased();
    }

    @Test
    void standaloneHeadersCheckTheChunkStreamAndTheLength() {
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        assertThatThrownBy(() -> ChunkEncoder.encodeStandaloneHeaders(1, 9, 0, 1, 10, 4096, alloc))
                .hasMessageContaining("chunk stream id 1 out of range 2..65599");
        assertThatThrownBy(() -> ChunkEncoder.encodeStandaloneHeaders(6, 9, 0, 1, 0x1000000, 4096, alloc))
                .hasMessageContaining("message length 16777216 exceeds the 24-bit maximum");
        assertThatThrownBy(() -> ChunkEncoder.encodeStandaloneHeaders(6, 9, 0, 1, 10, 0, alloc))
                .hasMessageContaining("chunk size 0 out of range");
        alloc.assertAllReleased();
    }

    @Test
    void encoderOutputSharesThePayloadAndKeepsStateAcrossMessages() {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkEncoder());
        try {
            ByteBuf payload = Unpooled.buffer().writeBytes(new byte[] {1, 2, 3});
            channel.writeOutbound(new RawMessage(4, 8, 10, 1, payload.retain()));
            ByteBuf first = channel.readOutbound();
            payload.setByte(0, 9);
            assertThat(ByteBufUtil.hexDump(first)).isEqualTo("04" + "00000a" + "000003" + "08" + "01000000" + "090203");
            first.release();
            assertThat(payload.release()).as("encoder released its reference").isTrue();

            channel.writeOutbound(new RawMessage(4, 8, 30, 1, Unpooled.wrappedBuffer(new byte[] {4, 5, 6})));
            assertThat(ByteBufUtil.hexDump(ByteBufHex.drain(channel.readOutbound())))
                    .isEqualTo("84" + "000014" + "040506");

            channel.writeOutbound(new RawMessage(4, 8, 5, 1, Unpooled.wrappedBuffer(new byte[] {7, 8, 9})));
            assertThat(ByteBufUtil.hexDump(ByteBufHex.drain(channel.readOutbound())))
                    .as("timestamp going backwards needs format 0")
                    .isEqualTo("04" + "000005" + "000003" + "08" + "01000000" + "070809");

            channel.writeOutbound(new RawMessage(4, 8, 6, 2, Unpooled.wrappedBuffer(new byte[] {1, 1, 1})));
            assertThat(ByteBufUtil.hexDump(ByteBufHex.drain(channel.readOutbound())))
                    .as("message stream change needs format 0")
                    .isEqualTo("04" + "000006" + "000003" + "08" + "02000000" + "010101");
            assertThat(channel.finish()).isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void encoderRejectsAnInvalidChunkSize() {
        ChunkEncoder encoder = new ChunkEncoder();
        assertThatThrownBy(() -> encoder.setChunkSize(0)).hasMessage("chunk size 0 out of range 1..16777215");
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        try {
            RawMessage bad = setChunkSize(0x80000000);
            assertThatThrownBy(() -> channel.writeOutbound(bad))
                    .isInstanceOf(EncoderException.class)
                    .hasMessageContaining("SetChunkSize value 2147483648 out of range 1..16777215");
            assertThat(bad.refCnt()).isZero();
            assertThat(encoder.chunkSize()).isEqualTo(128);
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void aDeclared16MiBMessageCostsOnlyTheBytesThatArrived() {
        byte[] header = Wire.wire()
                .hex("06 000000 FFFFFF 09 01000000", "fmt 0 csid 6: length 16777215")
                .bytes();
        byte[] threeChunks = ByteBufHex.concat(
                ByteBufHex.concat(header, Wire.pattern(128, 0)),
                ByteBufHex.concat(
                        ByteBufHex.concat(new byte[] {(byte) 0xC6}, Wire.pattern(128, 1)),
                        ByteBufHex.concat(new byte[] {(byte) 0xC6}, Wire.pattern(128, 2))));
        TrackingAllocator alloc = TrackingAllocator.unpooledHeap();
        ChunkDecoder decoder = new ChunkDecoder(ChunkLimits.DEFAULT);
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        channel.pipeline().addLast(decoder);
        try {
            for (byte[] piece : ByteBufHex.split(threeChunks, 20, 140, 300)) {
                channel.writeInbound(alloc.copyOf(piece));
            }
            assertThat(decoder.bytesReceived()).isEqualTo(threeChunks.length);
            assertThat(alloc.handedOut())
                    .as("the partial message buffer: bounded by the declared length, sized by what arrived")
                    .filteredOn(buf -> buf.maxCapacity() == ChunkLimits.MAX_24_BIT)
                    .singleElement()
                    .satisfies(partial -> {
                        assertThat(partial.readableBytes()).isEqualTo(3 * 128);
                        assertThat(partial.capacity()).isLessThanOrEqualTo(512);
                    });
            assertThat(alloc.handedOut())
                    .allSatisfy(buf -> assertThat(buf.capacity()).isLessThanOrEqualTo(1024));
            assertThat(channel.finish()).isFalse();
        } finally {
            channel.finishAndReleaseAll();
        }
        alloc.assertAllReleased();
    }

    private static RawMessage setChunkSize(int size) {
        return new RawMessage(2, 1, 0, 0, Unpooled.buffer(4).writeInt(size));
    }
}
