package io.streamrepeater.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import java.util.function.Function;

/** Runs a sequence header parser over a hex tag body, checking it reads without moving or keeping the buffer. */
final class SequenceHeaderParsing {
    private final BufferLedger buffers;
    private final Function<ByteBuf, VideoFormat> parser;

    SequenceHeaderParsing(BufferLedger buffers, Function<ByteBuf, VideoFormat> parser) {
        this.buffers = buffers;
        this.parser = parser;
    }

    VideoFormat parse(String hex) {
        ByteBuf payload = buffers.hex(hex);
        try {
            VideoFormat format = parser.apply(payload);
            assertThat(payload.readerIndex()).as("reader index").isZero();
            return format;
        } finally {
            payload.release();
        }
    }

    void assertRejected(String hex, String message) {
        ByteBuf payload = buffers.hex(hex);
        try {
            assertThatThrownBy(() -> parser.apply(payload))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(message);
        } finally {
            payload.release();
        }
    }
}
