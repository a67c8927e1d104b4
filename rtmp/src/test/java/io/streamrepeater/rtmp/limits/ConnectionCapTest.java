package io.streamrepeater.rtmp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamrepeater.testkit.CapturedLogs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionCapTest {
    private final IngestLimitEvents events = new IngestLimitEvents(System::nanoTime, 100);
    private final List<PeerChannel> opened = new ArrayList<>();

    @AfterEach
    void closeAll() {
        opened.forEach(c -> assertThat(c.finishAndReleaseAll()).isFalse());
    }

    private PeerChannel connect(ConnectionCap cap, String host, int port, ActiveRecorder behind) {
        PeerChannel c = new PeerChannel(host, port, cap, behind);
        opened.add(c);
        return c;
    }

    @Test
    void aConnectionOverThePerAddressCapIsClosedBeforeTheRestOfThePipelineSeesIt() {
        ConnectionCap cap = new ConnectionCap(10, 2, events);
        ActiveRecorder first = new ActiveRecorder();
        ActiveRecorder second = new ActiveRecorder();
        ActiveRecorder third = new ActiveRecorder();
        ActiveRecorder elsewhere = new ActiveRecorder();
        try (CapturedLogs log = CapturedLogs.of(IngestLimitEvents.class)) {
            PeerChannel a = connect(cap, "127.0.0.2", 40001, first);
            PeerChannel b = connect(cap, "127.0.0.2", 40002, second);
            PeerChannel c = connect(cap, "127.0.0.2", 40003, third);
            PeerChannel d = connect(cap, "127.0.0.3", 40004, elsewhere);

            assertThat(a.isOpen()).isTrue();
            assertThat(b.isOpen()).isTrue();
            assertThat(c.isOpen()).as("third from 127.0.0.2").isFalse();
            assertThat(third.active)
                    .as("the refused connection went no further")
                    .isFalse();
            assertThat(d.isOpen()).as("another address").isTrue();
            assertThat(first.active && second.active && elsewhere.active).isTrue();
            assertThat(log.messages())
                    .containsExactly(
                            "event=ingest-limit limit=max-connections-per-address remote=127.0.0.2:40003 max=2");
        }
        assertThat(cap.connections()).isEqualTo(3);
        assertThat(events.count(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS)).isEqualTo(1);
    }

    @Test
    void aConnectionOverTheTotalCapIsClosedAndAClosedConnectionGivesItsPlaceBack() {
        ConnectionCap cap = new ConnectionCap(3, 3, events);
        PeerChannel a = connect(cap, "127.0.0.2", 1, new ActiveRecorder());
        connect(cap, "127.0.0.3", 2, new ActiveRecorder());
        connect(cap, "127.0.0.4", 3, new ActiveRecorder());
        PeerChannel refused = connect(cap, "127.0.0.5", 4, new ActiveRecorder());
        assertThat(refused.isOpen()).isFalse();
        assertThat(events.count(IngestLimit.MAX_CONNECTIONS)).isEqualTo(1);
        assertThat(cap.connectionsFrom(refused.remoteAddress()))
                .as("the refused one holds no per-address place")
                .isZero();

        a.close();
        assertThat(cap.connections()).isEqualTo(2);
        assertThat(cap.connectionsFrom(a.remoteAddress())).isZero();
        PeerChannel later = connect(cap, "127.0.0.5", 5, new ActiveRecorder());
        assertThat(later.isOpen()).isTrue();
        assertThat(cap.connections()).isEqualTo(3);
    }

    @Test
    void thePerAddressCountFollowsClosesSoAReconnectingEncoderGetsBackIn() {
        ConnectionCap cap = new ConnectionCap(10, 1, events);
        PeerChannel first = connect(cap, "127.0.0.2", 1, new ActiveRecorder());
        assertThat(cap.connectionsFrom(first.remoteAddress())).isEqualTo(1);
        first.close();
        PeerChannel again = connect(cap, "127.0.0.2", 2, new ActiveRecorder());
        assertThat(again.isOpen()).isTrue();
        assertThat(events.count(IngestLimit.MAX_CONNECTIONS_PER_ADDRESS)).isZero();
    }
}
