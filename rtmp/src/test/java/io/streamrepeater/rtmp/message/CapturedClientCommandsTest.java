package io.streamrepeater.rtmp.message;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.streamrepeater.rtmp.CapturedClientBytes;
import io.streamrepeater.rtmp.chunk.RawMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commands real clients sent ({@link CapturedClientBytes}) decode to exactly what they carried. */
class CapturedClientCommandsTest {

    @Test
    void ffmpegConnectCarriesAppTypeFlashVerAndTcUrlOnly() {
        CommandMessage connect = decode(CapturedClientBytes.FFMPEG_CONNECT, 0);
        assertThat(connect.name()).isEqualTo("connect");
        assertThat(connect.transactionId()).isEqualTo(1.0);
        assertThat(connect.commandObjectMap())
                .containsExactly(
                        entry("app", "live"),
                        entry("type", "nonprivate"),
                        entry("flashVer", "FMLE/3.0 (compatible; Lavf59.27.100)"),
                        entry("tcUrl", "rtmp://127.0.0.1:33133/live"));
        assertThat(connect.arguments()).isEmpty();
    }

    @Test
    void ffmpegPublishSequenceNamesTheKeyWithTransactionIds2To5() {
        CommandMessage release = decode(CapturedClientBytes.FFMPEG_RELEASE_STREAM, 0);
        CommandMessage fcPublish = decode(CapturedClientBytes.FFMPEG_FC_PUBLISH, 0);
        CommandMessage createStream = decode(CapturedClientBytes.FFMPEG_CREATE_STREAM, 0);
        CommandMessage publish = decode(CapturedClientBytes.FFMPEG_PUBLISH, 1);
        assertThat(release).isEqualTo(command("releaseStream", 2, "capture-key"));
        assertThat(fcPublish).isEqualTo(command("FCPublish", 3, "capture-key"));
        assertThat(createStream).isEqualTo(command("createStream", 4));
        assertThat(publish).isEqualTo(command("publish", 5, "capture-key", "live"));
    }

    @Test
    void gstreamerConnectCarriesItsOwnFlashVer() {
        CommandMessage connect = decode(CapturedClientBytes.GSTREAMER_CONNECT, 0);
        assertThat(connect.name()).isEqualTo("connect");
        assertThat(connect.transactionId()).isEqualTo(1.0);
        assertThat(connect.commandObjectMap())
                .containsExactly(
                        entry("app", "live"),
                        entry("type", "nonprivate"),
                        entry("flashVer", "LNX 10,0,32,18"),
                        entry("tcUrl", "rtmp://127.0.0.1:37811/live"));
    }

    private static CommandMessage decode(byte[] body, int messageStreamId) {
        RawMessage raw = new RawMessage(3, MessageType.COMMAND_AMF0, 0, messageStreamId, Unpooled.wrappedBuffer(body));
        try {
            return (CommandMessage) MessageCodec.decode(raw);
        } finally {
            raw.release();
        }
    }

    /** A command with a null command object, as ffmpeg sends all but connect. */
    private static CommandMessage command(String name, double transactionId, Object... arguments) {
        return new CommandMessage(name, transactionId, null, new ArrayList<>(Arrays.asList(arguments)));
    }

    private static Map.Entry<String, Object> entry(String key, Object value) {
        return Map.entry(key, value);
    }
}
