package io.streamrepeater.srt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.media.MediaKind;
import io.streamrepeater.status.SrtLinkStatus;
import io.streamrepeater.testkit.CapturedLogs;
import io.streamrepeater.testkit.ExternalProcess;
import io.streamrepeater.testkit.FreePorts;
import io.streamrepeater.testkit.TestMedia;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The listener against ffmpeg as a real SRT caller, on the loopback interface. */
class SrtIngestServerTest {
    private static final String KEY = "srt-key-4f9c2b7d1e";
    private static final String PASSPHRASE = "right-passphrase-8d31";
    private static final String WRONG_PASSPHRASE = "wrong-passphrase-5a72";
    private static final String LABEL = "show/primary";
    private static final Duration MEDIA_WAIT = Duration.ofSeconds(20);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(15);
    /**
     * libsrt breaks a silent connection after SRTO_PEERIDLETIMEO and 16 keep-alive periods (about 4.8 s on
     * loopback), so lowering the 5 s default would not make this sooner: measured 4.9 s from the kill with
     * 1000, 2000 and 5000 alike. The wait allows that plus the receive timeout and a slow machine.
     */
    private static final Duration DEAD_PEER_WAIT = Duration.ofSeconds(12);

    private static Path media;
    private static SrtLibrary library;

    private final List<ExternalProcess> callers = new ArrayList<>();
    private CapturedLogs logs;
    private SrtIngestServer server;
    private int port;

    @BeforeAll
    static void prepare() {
        media = TestMedia.h264AacTs(Duration.ofSeconds(4), 25, "320x180", 25, 0);
        library = SrtLibrary.load();
        assertThat(library.unavailableReason()).isEmpty();
    }

    @BeforeEach
    void captureLogs() {
        logs = CapturedLogs.everything("io.streamrepeater.srt");
        port = FreePorts.loopbackUdp();
    }

    @AfterEach
    void stop() {
        try {
            callers.forEach(ExternalProcess::kill);
            if (server != null) {
                server.close();
            }
            assertThat(logs.lines())
                    .as("no log line may hold the stream key or a passphrase")
                    .noneMatch(
                            line -> line.contains(KEY) || line.contains(PASSPHRASE) || line.contains(WRONG_PASSPHRASE));
        } finally {
            logs.close();
        }
    }

    @Test
    void plainStreamIdDeliversVideoAndAudioAndStatisticsUntilTheEncoderDies() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        start(gate, SrtIngestSettings.defaults());
        ExternalProcess ffmpeg = call(KEY, null);

        await().atMost(MEDIA_WAIT)
                .until(() -> gate.opened() == 1
                        && gate.sink(0).of(MediaKind.VIDEO).size() >= 30
                        && gate.sink(0).of(MediaKind.AUDIO).size() >= 30);
        RecordingSink sink = gate.sink(0);
        List<RecordingSink.Received> video = sink.of(MediaKind.VIDEO);
        assertThat(video.get(0).sequenceHeader())
                .as("AVC sequence header first")
                .isTrue();
        assertThat(video.get(1).keyframe()).as("then a keyframe").isTrue();
        List<RecordingSink.Received> frames = video.subList(1, 30);
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).dts())
                    .as("video DTS increases")
                    .isGreaterThan(frames.get(i - 1).dts());
        }
        List<RecordingSink.Received> audio = sink.of(MediaKind.AUDIO);
        assertThat(audio.get(0).sequenceHeader())
                .as("AAC sequence header first")
                .isTrue();
        for (int i = 2; i < 30; i++) {
            assertThat(audio.get(i).dts())
                    .as("audio DTS increases")
                    .isGreaterThan(audio.get(i - 1).dts());
        }
        assertThat(gate.peers.get(0).getAddress().isLoopbackAddress()).isTrue();

        await().atMost(MEDIA_WAIT).until(() -> sink.statistics.stream().anyMatch(s -> s.packetsReceived() > 0));
        SrtLinkStatus sample = sink.statistics.stream()
                .filter(s -> s.packetsReceived() > 0)
                .findFirst()
                .orElseThrow();
        assertThat(sample.rttMs()).isGreaterThanOrEqualTo(0);
        assertThat(sample.bytesReceived()).isGreaterThan(0);
        assertThat(sample.receiveRateMbps()).isGreaterThan(0);
        assertThat(sample.latencyMs()).isGreaterThanOrEqualTo(SrtIngestSettings.DEFAULT_LATENCY_MS);
        assertThat(sample.packetsDropped()).isZero();
        assertThat(server.connectionCount()).isEqualTo(1);
        assertThat(logs.linesWith("event=srt-connected input=" + LABEL + " remote="))
                .hasSize(1);

        ffmpeg.kill();
        await().atMost(DEAD_PEER_WAIT).until(sink::ended);
        assertThat(sink.endReason.get()).isEqualTo("peer timed out");
        assertThat(sink.ends.get()).isEqualTo(1);
        assertThat(sink.callsAfterEnd.get()).isZero();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
        assertThat(logs.linesWith("event=srt-ended input=" + LABEL)).hasSize(1);
    }

    @Test
    void accessControlStreamIdIsAccepted() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        start(gate, SrtIngestSettings.defaults());
        call("#!::u=encoder1,m=publish,r=" + KEY, null);

        awaitVideo(gate);
    }

    @Test
    void unknownKeyIsRefusedInTheHandshakeAndLoggedWithoutTheKey() {
        TestGate gate = new TestGate().with("another-key-0000", LABEL, null);
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call(KEY, null));
        assertThat(gate.opened()).isZero();
        assertThat(logs.linesWith("event=srt-rejected reason=unknown-stream-key remote=/127.0.0.1:"))
                .hasSize(1);
    }

    @Test
    void aCallerTheGateSlowsDownIsRefusedEvenWithTheRightKey() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        gate.slowdownMs = 60_000;
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call("wrong-key-000000000", null));
        assertThat(gate.unknownKeys.get()).isEqualTo(1);
        assertRefused(call(KEY, null));
        assertThat(gate.opened())
                .as("refused in the handshake, before the key is looked at")
                .isZero();
        assertThat(gate.unknownKeys.get()).isEqualTo(1);

        gate.slowdownMs = 0; // the slowdown is over
        call(KEY, null);
        awaitVideo(gate);
    }

    @Test
    void playRequestIsRefused() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call("#!::r=" + KEY + ",m=request", null));
        assertThat(gate.opened()).isZero();
        assertThat(logs.linesWith("event=srt-rejected reason=not-a-publish")).hasSize(1);
    }

    @Test
    void rightPassphraseIsAcceptedAndTheApplicationCanDisconnect() {
        TestGate gate = new TestGate().with(KEY, LABEL, PASSPHRASE);
        start(gate, SrtIngestSettings.defaults());
        call(KEY, PASSPHRASE);

        awaitVideo(gate);
        assertThat(logs.linesWith("event=srt-connected input=" + LABEL))
                .singleElement()
                .asString()
                .contains("encrypted=true");

        gate.disconnects.get(0).run();
        RecordingSink sink = gate.sink(0);
        await().atMost(Duration.ofSeconds(5)).until(sink::ended);
        assertThat(sink.endReason.get()).isEqualTo("disconnected by the application");
    }

    @Test
    void wrongPassphraseIsRefusedAndLoggedAsBadPassphrase() {
        TestGate gate = new TestGate().with(KEY, LABEL, PASSPHRASE);
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call(KEY, WRONG_PASSPHRASE));
        assertThat(gate.opened()).isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !logs.linesWith("event=srt-rejected reason=bad-passphrase")
                        .isEmpty());
        assertThat(logs.linesWith("event=srt-rejected reason=bad-passphrase input=" + LABEL + " remote=/127.0.0.1:"))
                .hasSize(1);
    }

    @Test
    void noPassphraseForAnInputWithOneIsRefused() {
        TestGate gate = new TestGate().with(KEY, LABEL, PASSPHRASE);
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call(KEY, null));
        assertThat(gate.opened()).isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !logs.linesWith("event=srt-rejected reason=missing-passphrase input=" + LABEL)
                        .isEmpty());
    }

    @Test
    void aPassphraseForAnInputWithoutOneIsRefused() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        start(gate, SrtIngestSettings.defaults());

        assertRefused(call(KEY, PASSPHRASE));
        assertThat(gate.opened()).isZero();
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !logs.linesWith("event=srt-rejected reason=unexpected-passphrase input=" + LABEL)
                        .isEmpty());
    }

    @Test
    void callersBeyondMaxConnectionsAreRefused() {
        TestGate gate = new TestGate().with(KEY, LABEL, null).with("second-key-7777", "show/backup", null);
        start(gate, SrtIngestSettings.defaults().withMaxConnections(1));
        call(KEY, null);
        awaitVideo(gate);

        assertRefused(call("second-key-7777", null));
        assertThat(gate.opened()).isEqualTo(1);
        assertThat(logs.linesWith("event=srt-rejected reason=too-many-connections max=1"))
                .hasSize(1);
    }

    @Test
    void aGateThatThrowsDuringTheHandshakeRefusesTheCaller() {
        // JNA answers 0 (go on) for a callback that throws: the admission must catch and refuse
        AtomicInteger opened = new AtomicInteger();
        start(
                new SrtIngestGate() {
                    @Override
                    public Optional<SrtInputAccess> lookup(String streamKey) {
                        throw new IllegalStateException("store unreachable");
                    }

                    @Override
                    public SrtPublishSink open(String streamKey, InetSocketAddress peer, Runnable disconnect) {
                        opened.incrementAndGet();
                        return new RecordingSink();
                    }
                },
                SrtIngestSettings.defaults());

        assertRefused(call(KEY, null));
        assertThat(opened.get()).isZero();
        assertThat(logs.linesWith("event=srt-rejected reason=internal-error")).hasSize(1);
    }

    @Test
    void aPublishTheGateRefusesIsClosed() {
        AtomicInteger opened = new AtomicInteger();
        start(
                new SrtIngestGate() {
                    @Override
                    public Optional<SrtInputAccess> lookup(String streamKey) {
                        return Optional.of(new SrtInputAccess(LABEL, null));
                    }

                    @Override
                    public SrtPublishSink open(String streamKey, InetSocketAddress peer, Runnable disconnect) {
                        opened.incrementAndGet();
                        return null; // e.g. the input is already live
                    }
                },
                SrtIngestSettings.defaults());

        assertRefused(call(KEY, null));
        assertThat(opened.get()).isEqualTo(1);
        assertThat(logs.linesWith("event=srt-rejected reason=input-refused input=" + LABEL))
                .hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.connectionCount() == 0);
    }

    @Test
    void closeEndsEveryConnectionAndItsThreads() {
        TestGate gate = new TestGate().with(KEY, LABEL, null);
        start(gate, SrtIngestSettings.defaults());
        call(KEY, null);
        awaitVideo(gate);
        RecordingSink sink = gate.sink(0);

        server.close();

        assertThat(sink.ends.get()).isEqualTo(1);
        assertThat(sink.endReason.get()).isEqualTo("server closed");
        assertThat(sink.callsAfterEnd.get()).isZero();
        assertThat(server.connectionCount()).isZero();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.isAlive()
                        && (thread.getName().equals("srt-accept")
                                || thread.getName().startsWith("srt-ingest-")));
        assertThat(logs.linesWith("event=srt-stopped port=" + port)).hasSize(1);
        server.close(); // idempotent
    }

    private void start(SrtIngestGate gate, SrtIngestSettings settings) {
        server = SrtIngestServer.start(
                library, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), settings, gate);
        assertThat(server.localAddress().getPort()).isEqualTo(port);
        assertThat(logs.linesWith("event=srt-listening address=127.0.0.1 port=" + port))
                .hasSize(1);
    }

    private ExternalProcess call(String streamId, String passphrase) {
        ExternalProcess ffmpeg = SrtCaller.publish(media, port, streamId, passphrase);
        callers.add(ffmpeg);
        return ffmpeg;
    }

    private static void awaitVideo(TestGate gate) {
        await().atMost(MEDIA_WAIT)
                .until(() ->
                        gate.opened() == 1 && gate.sink(0).packets.stream().anyMatch(RecordingSink.Received::keyframe));
    }

    private static void assertRefused(ExternalProcess ffmpeg) {
        Optional<Integer> exit = ffmpeg.waitFor(EXIT_WAIT);
        assertThat(exit).as("ffmpeg exits: %s", ffmpeg.log()).isPresent();
        assertThat(exit.get()).as("ffmpeg's exit code: %s", ffmpeg.log()).isNotZero();
    }
}
