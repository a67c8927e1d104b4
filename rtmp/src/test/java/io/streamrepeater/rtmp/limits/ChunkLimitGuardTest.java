package io.streamrepeater.rtmp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.streamrepeater.rtmp.chunk.ChunkDecoder;
import io.streamrepeater.rtmp.chunk.ChunkException;
import io.streamrepeater.rtmp.chunk.ChunkLimits;
import io.streamrepeater.testkit.CapturedLogs;
import org.junit.jupiter.api.Test;

class ChunkLimitGuardTest {
    private final IngestLimitEvents events = new IngestLimitEvents(System::nanoTime, 100);
    private final ActiveRecorder behind = new ActiveRecorder();
    private final PeerChannel channel = new PeerChannel(
            "127.0.0.2",
            40000,
            new ChunkDecoder(new ChunkLimits(4096, 1000, 8, 2000)),
            new ChunkLimitGuard(events),
            behind);

    private void receive(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", ""))));
    }

    @Test
    void aMessageOverTheSizeLimitIsLoggedByNameAndClosesOnlyThatConnection() {
        try (CapturedLogs log = CapturedLogs.of(IngestLimitEvents.class)) {
            receive("04 000000 0003E9 09 01000000"); // csid 4, type 0 header, video message of 1001 bytes
            assertThat(channel.isOpen()).isFalse();
            assertThat(log.messages())
                    .containsExactly("event=ingest-limit limit=max-message-size remote=127.0.0.2:40000"
                            + " reason=\"message length 1001 on chunk stream 4 exceeds limit 1000\"");
        }
        assertThat(behind.errors).as("handled here").isEmpty();
        assertThat(events.count(IngestLimit.MAX_MESSAGE_SIZE)).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aChunkSizeOverTheLimitIsCountedAsSuch() {
        receive("02 000000 000004 01 00000000 00002000"); // SetChunkSize 8192 > 4096
        assertThat(channel.isOpen()).isFalse();
        assertThat(events.count(IngestLimit.MAX_CHUNK_SIZE)).isEqualTo(1);
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void aProtocolErrorThatIsNoLimitPassesOn() {
        receive("44 000000 000010 09"); // format 1 on a chunk stream that never had a format 0 header
        assertThat(behind.errors).singleElement().isInstanceOf(ChunkException.class);
        assertThat(events.countsByLabel().values()).containsOnly(0L);
        channel.finishAndReleaseAll();
    }
}
