package io.streamrepeater.rtmp.handshake;

import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.PLAYER_KEY_30;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.SIZE;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.digestOffset;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.hmacWithout;
import static io.streamrepeater.rtmp.handshake.HandshakeTestPackets.slice;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamrepeater.rtmp.CapturedClientBytes;
import io.streamrepeater.rtmp.CapturedSessions;
import io.streamrepeater.testkit.Mutations;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;
import net.jqwik.api.statistics.Statistics;
import org.slf4j.LoggerFactory;

/**
 * The server handshake against random and mutated C0/C1/C2 (the captured ffmpeg and GStreamer openings, the first
 * bytes of their sessions), split at random points (DESIGN.md §6.3). Whatever arrives, the handler throws nothing and
 * ends in exactly one of the documented ways, decided by the input alone: a first byte other than 3 closes the
 * connection with the C0 reason; fewer than 1537 bytes get no answer; 1537 bytes get S0+S1+S2 (digest form exactly
 * when C1 carries a digest the test's own HMAC validates); 3073 bytes complete the handshake, remove the handler
 * and pass every later byte on; anything short of completion is closed by the deadline with the timeout reason.
 * Every buffer written in either direction ends released.
 */
class HandshakeServerFuzzTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int C0_C1 = 1 + SIZE;
    private static final int C0_C1_C2 = 1 + 2 * SIZE;

    private final Logger logger = (Logger) LoggerFactory.getLogger(HandshakeHandler.class);
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeProperty
    void captureLogQuietly() {
        log.start();
        logger.addAppender(log);
        logger.setAdditive(false); // a thousand expected warnings would bury the build output
    }

    @AfterProperty
    void restoreLog() {
        logger.setAdditive(true);
        logger.detachAppender(log);
        log.stop();
    }

    @Property(tries = 1000)
    void anyInputEndsInTheDocumentedOutcomeWithoutThrowingOrLeaking(
            @ForAll("handshakeInputs") byte[] input, @ForAll long splitSeed) {
        log.list.clear();
        RecordingHandler next = new RecordingHandler();
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeServerHandler(TIMEOUT), next);
        List<ByteBuf> written = new ArrayList<>();
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        try {
            for (byte[] piece : randomPieces(input, splitSeed)) {
                if (!channel.isOpen()) {
                    break; // a closed socket delivers nothing more
                }
                ByteBuf buf = Unpooled.buffer(piece.length).writeBytes(piece);
                written.add(buf);
                channel.writeInbound(buf); // throws if the handler throws anything
                drainOutbound(channel, answer);
            }
            channel.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            drainOutbound(channel, answer);

            Outcome outcome = expectedOutcome(input);
            Statistics.label("outcome").collect(outcome);
            switch (outcome) {
                case REJECTED_C0 -> {
                    assertThat(channel.isOpen()).isFalse();
                    assertThat(answer.size()).isZero();
                    assertThat(reasons())
                            .singleElement()
                            .asString()
                            .startsWith("handshake rejected from ")
                            .contains(": C0 ")
                            .endsWith(", expected 3, closing");
                }
                case TIMED_OUT_BEFORE_C1, TIMED_OUT_BEFORE_C2 -> {
                    assertThat(channel.isOpen()).isFalse();
                    assertThat(answer.size()).isEqualTo(outcome == Outcome.TIMED_OUT_BEFORE_C1 ? 0 : C0_C1_C2);
                    assertThat(reasons()).singleElement().asString().startsWith("handshake not completed within 10s");
                }
                case COMPLETED -> {
                    assertThat(channel.isOpen()).isTrue();
                    assertThat(answer.size()).isEqualTo(C0_C1_C2);
                    assertThat(reasons()).isEmpty();
                    assertThat(channel.pipeline().get(HandshakeServerHandler.class))
                            .as("pipeline shrank")
                            .isNull();
                    assertThat(next.bytes.toByteArray()).isEqualTo(Arrays.copyOfRange(input, C0_C1_C2, input.length));
                }
            }
            assertThat(next.events).hasSize(outcome == Outcome.COMPLETED ? 1 : 0);
            if (answer.size() > 0) {
                byte[] c1 = slice(input, 1, C0_C1);
                HandshakeForm form = carriesValidDigest(c1) ? HandshakeForm.DIGEST : HandshakeForm.SIMPLE;
                Statistics.label("form").collect(form);
                byte[] s0s1s2 = answer.toByteArray();
                assertThat(s0s1s2[0]).as("S0").isEqualTo((byte) 3);
                if (form == HandshakeForm.SIMPLE) {
                    assertThat(slice(s0s1s2, 1 + SIZE, C0_C1_C2))
                            .as("S2 echoes C1")
                            .isEqualTo(c1);
                }
                if (outcome == Outcome.COMPLETED) {
                    assertThat(next.events).containsExactly(new HandshakeCompleted(form));
                }
            }
        } finally {
            channel.finishAndReleaseAll();
        }
        for (ByteBuf buf : written) {
            assertThat(buf.refCnt())
                    .as("inbound buffer released by the handshake or the next handler")
                    .isZero();
        }
    }

    private enum Outcome {
        REJECTED_C0,
        TIMED_OUT_BEFORE_C1,
        TIMED_OUT_BEFORE_C2,
        COMPLETED
    }

    /** What the input alone decides; the test's own reading of the handshake rules. */
    private static Outcome expectedOutcome(byte[] input) {
        if (input.length > 0 && input[0] != 3) {
            return Outcome.REJECTED_C0;
        }
        if (input.length < C0_C1) {
            return Outcome.TIMED_OUT_BEFORE_C1;
        }
        return input.length < C0_C1_C2 ? Outcome.TIMED_OUT_BEFORE_C2 : Outcome.COMPLETED;
    }

    /** Version bytes 4..7 not all zero and a player-key digest at the place scheme 0 or scheme 1 selects. */
    private static boolean carriesValidDigest(byte[] c1) {
        if (c1[4] == 0 && c1[5] == 0 && c1[6] == 0 && c1[7] == 0) {
            return false;
        }
        for (int base : new int[] {8, 772}) {
            int at = digestOffset(c1, base);
            if (Arrays.equals(hmacWithout(c1, at, PLAYER_KEY_30), slice(c1, at, at + 32))) {
                return true;
            }
        }
        return false;
    }

    private List<String> reasons() {
        return log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private static void drainOutbound(EmbeddedChannel channel, ByteArrayOutputStream answer) {
        for (ByteBuf buf; (buf = channel.readOutbound()) != null; ) {
            try {
                answer.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
    }

    @Provide
    Arbitrary<byte[]> handshakeInputs() {
        byte[] ffmpegOpening = Arrays.copyOf(CapturedSessions.FFMPEG_PUBLISH, C0_C1_C2 + 200);
        byte[] gstreamerOpening = Arrays.copyOf(CapturedSessions.GSTREAMER_PUBLISH, C0_C1_C2 + 200);
        List<byte[]> seeds = List.of(
                CapturedClientBytes.FFMPEG_C0_C1, CapturedClientBytes.GSTREAMER_C0_C1, ffmpegOpening, gstreamerOpening);
        Arbitrary<byte[]> mutated = Arbitraries.longs().map(seed -> {
            Random random = new Random(seed);
            byte[] first = seeds.get(random.nextInt(seeds.size()));
            byte[] donor = seeds.get(random.nextInt(seeds.size()));
            return Mutations.apply(first, donor, random, random.nextInt(4));
        });
        Arbitrary<byte[]> random = Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            byte[] bytes = new byte[r.nextInt(C0_C1_C2 + 100)];
            r.nextBytes(bytes);
            if (bytes.length > 0 && r.nextBoolean()) {
                bytes[0] = 3;
            }
            return bytes;
        });
        return Arbitraries.frequencyOf(Tuple.of(3, mutated), Tuple.of(1, random));
    }

    /** {@code bytes} cut into pieces of random sizes: single bytes, a few bytes, or up to 2000. */
    private static List<byte[]> randomPieces(byte[] bytes, long seed) {
        Random random = new Random(seed);
        List<byte[]> pieces = new ArrayList<>();
        for (int from = 0; from < bytes.length; ) {
            int size = switch (random.nextInt(3)) {
                case 0 -> 1 + random.nextInt(4);
                case 1 -> 1 + random.nextInt(64);
                default -> 1 + random.nextInt(2000);
            };
            int to = Math.min(bytes.length, from + size);
            pieces.add(Arrays.copyOfRange(bytes, from, to));
            from = to;
        }
        return pieces;
    }
}
