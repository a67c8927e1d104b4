package io.streamrepeater.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.concurrent.ImmediateEventExecutor;
import io.streamrepeater.channel.InputSpec;
import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.rtmp.session.PublishDecision;
import io.streamrepeater.rtmp.session.Publisher;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.testkit.CapturedLogs;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The owner's gate on the cluster port, with a scripted publisher and a real channel. */
class ClusterLinkGateTest {
    private static final long NOW = 1_767_225_600L;
    private static final LinkKey KEY = LinkKey.of(new byte[32]);

    private final LiveChannel channel = new LiveChannel(
            "show",
            List.of(new InputSpec("primary", true), new InputSpec("backup", true)),
            ImmediateEventExecutor.INSTANCE);
    private final ClusterLinkGate gate = new ClusterLinkGate(
            KEY, name -> name.equals("show") ? channel : null, Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC));

    @AfterEach
    void close() {
        channel.close();
    }

    /** A publisher from {@code host}, recording why it was disconnected. */
    private record Peer(String host, List<String> disconnects) implements Publisher {
        Peer(String host) {
            this(host, new ArrayList<>());
        }

        @Override
        public String id() {
            return "ingest-1";
        }

        @Override
        public SocketAddress remoteAddress() {
            return new InetSocketAddress(host, 40000);
        }

        @Override
        public void disconnect(String reason) {
            disconnects.add(reason);
        }
    }

    private InputStatus input(String name) {
        return channel.inputStatus().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aValidNameOpensTheNamedInputWithTheNodeOfItsEncoder() {
        String name = LinkStreamName.startingAt("show", "backup", "b", NOW).sign(KEY);

        PublishDecision d = gate.publish(name, new Peer("127.0.0.12"));

        assertThat(d).isInstanceOf(PublishDecision.Accepted.class);
        assertThat(((PublishDecision.Accepted) d).label()).isEqualTo("show/backup from node b");
        assertThat(input("backup").node()).isEqualTo("b");
        assertThat(input("backup").transport()).isEqualTo("cluster");
        assertThat(input("backup").remoteAddress()).isEqualTo("127.0.0.12:40000");
        assertThat(input("primary").remoteAddress()).isNull();

        ((PublishDecision.Accepted) d).sink().end("link closed");
        assertThat(input("backup").remoteAddress()).isNull();
    }

    @Test
    void refusedNamesOpenNothingAndAreLoggedOncePerAddressWithoutTheName() {
        String expired = new LinkStreamName("show", "backup", "b", NOW - 1).sign(KEY);
        byte[] otherKey = new byte[32];
        otherKey[0] = 1;
        String forged = LinkStreamName.startingAt("show", "backup", "b", NOW).sign(LinkKey.of(otherKey));
        String unknownChannel =
                LinkStreamName.startingAt("other", "backup", "b", NOW).sign(KEY);
        String unknownInput =
                LinkStreamName.startingAt("show", "spare", "b", NOW).sign(KEY);
        try (CapturedLogs logs = CapturedLogs.of(ClusterLinkGate.class)) {
            for (String name : List.of(expired, forged, unknownChannel, unknownInput, "backup-key-456")) {
                PublishDecision d = gate.publish(name, new Peer("127.0.0.12"));
                assertThat(d).as(name).isInstanceOf(PublishDecision.Rejected.class);
                assertThat(((PublishDecision.Rejected) d).statusCode()).isEqualTo("NetStream.Publish.BadName");
            }
            gate.publish(forged, new Peer("127.0.0.13"));

            assertThat(channel.inputStatus())
                    .allSatisfy(i -> assertThat(i.remoteAddress()).isNull());
            List<String> refused = logs.linesWith("event=cluster-link-refused");
            assertThat(refused).hasSize(2);
            assertThat(refused.get(0)).contains("remote=127.0.0.12").contains("expired 1 s ago");
            assertThat(refused.get(1)).contains("remote=127.0.0.13").contains("wrong signature");
            for (String name : List.of(expired, forged)) {
                assertThat(String.join("\n", logs.lines())).doesNotContain(name.substring(name.lastIndexOf('.')));
            }
        }
    }
}
