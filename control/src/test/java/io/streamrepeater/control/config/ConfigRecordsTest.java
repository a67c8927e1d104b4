package io.streamrepeater.control.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The records refuse to be built invalid (the API builds them without the loader) and keep secrets out of logs. */
class ConfigRecordsTest {
    private static final InputConfig PRIMARY = new InputConfig("primary", "primary-secret");

    @Test
    void toStringNeverShowsASecret() {
        StreamRepeaterConfig config = new StreamRepeaterConfig(
                ServerConfig.defaults().withAdminToken("token-secret"),
                List.of(new ChannelConfig(
                        "show",
                        List.of(PRIMARY),
                        FailoverConfig.defaults(),
                        null,
                        List.of(new DestinationConfig("yt", "rtmp://a.rtmp.youtube.com/live2/yt-secret")))));

        assertThat(config.toString())
                .doesNotContain("token-secret", "primary-secret", "yt-secret")
                .contains("rtmp://a.rtmp.youtube.com/live2/****", "primary");
    }

    @Test
    void listsAreCopiedAndImmutable() {
        List<InputConfig> inputs = new ArrayList<>(List.of(PRIMARY));
        ChannelConfig channel = new ChannelConfig("show", inputs, FailoverConfig.defaults(), null, List.of());
        inputs.clear();
        assertThat(channel.inputs()).containsExactly(PRIMARY);
        assertThatThrownBy(() -> channel.inputs().add(PRIMARY)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void invalidValuesAreRefusedWithTheSameMessagesAsTheLoader() {
        assertThatThrownBy(
                        () -> new ChannelConfig("Show!", List.of(PRIMARY), FailoverConfig.defaults(), null, List.of()))
                .hasMessage("channel name 'Show!' must match [a-z0-9-]+");
        assertThatThrownBy(() -> new ChannelConfig("show", List.of(), FailoverConfig.defaults(), null, List.of()))
                .hasMessage("channel 'show' needs at least one input");
        assertThatThrownBy(() -> new FailoverConfig(99, Failback.AUTO, 0, StartMode.CACHED, Timeline.REALTIME))
                .hasMessage("inputLossMs 99 is below the minimum of 100");
        assertThatThrownBy(() -> new ServerConfig(65536, 0, 0, Path.of("d"), null))
                .hasMessage("rtmpPort 65536 is outside 0..65535");
        assertThatThrownBy(() -> new ServerConfig(1935, 0, 0, Path.of("d"), null, 1936, null))
                .hasMessageStartingWith("rtmpsPort 1936 needs a certificate: add server.tls");
        assertThatThrownBy(() -> new ServerConfig(
                        1935, 0, 8080, Path.of("d"), null, 8080, new TlsConfig(Path.of("c.pem"), Path.of("k.pem"))))
                .hasMessage("rtmpsPort 8080 is already used by httpPort; TCP ports must differ");
        assertThatThrownBy(() -> new DestinationConfig("yt", "srt://host:9000?streamid=my-secret"))
                .hasMessage("url 'srt://host:9000/****' of destination 'yt' must start with rtmp:// or rtmps://")
                .message()
                .doesNotContain("my-secret");
        assertThatThrownBy(() -> new InputConfig("primary", "has space"))
                .message()
                .doesNotContain("has space");
    }

    @Test
    void duplicatesAreRefusedWithoutShowingKeys() {
        assertThatThrownBy(() -> new ChannelConfig(
                        "show",
                        List.of(PRIMARY, new InputConfig("backup", "primary-secret")),
                        FailoverConfig.defaults(),
                        null,
                        List.of()))
                .hasMessage("input 'backup' of channel 'show' has the same key as another input;"
                        + " each input key must be unique");
        ChannelConfig show = new ChannelConfig("show", List.of(PRIMARY), FailoverConfig.defaults(), null, List.of());
        ChannelConfig talk = new ChannelConfig(
                "talk", List.of(new InputConfig("cam", "primary-secret")), FailoverConfig.defaults(), null, List.of());
        assertThatThrownBy(() -> new StreamRepeaterConfig(ServerConfig.defaults(), List.of(show, talk)))
                .hasMessage("input talk/cam has the same key as input show/primary;"
                        + " each input key must be unique across all channels");
        assertThatThrownBy(() -> new StreamRepeaterConfig(ServerConfig.defaults(), List.of(show, show)))
                .hasMessage("duplicate channel name 'show'");
    }

    @Test
    void channelIsFoundByName() {
        ChannelConfig show = new ChannelConfig("show", List.of(PRIMARY), FailoverConfig.defaults(), null, List.of());
        StreamRepeaterConfig config = new StreamRepeaterConfig(ServerConfig.defaults(), List.of(show));
        assertThat(config.channel("show")).contains(show);
        assertThat(config.channel("other")).isEmpty();
    }
}
