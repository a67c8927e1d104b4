package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamrepeater.app.FailoverRig.Transport;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.SrtLinkStatus;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SRT input is interchangeable with an RTMP one (issue #9): ffmpeg publishes MPEG-TS over {@code srt://} to one
 * input and FLV over RTMP to the other; the encoder of the active input is killed; the two nginx-rtmp destinations
 * keep one publish session each, decode with no errors, and the media gap stays within the failover bound (two
 * frames, the same bound as RTMP to RTMP).
 */
class SrtFailoverEndToEndTest {
    private static final long TWO_FRAMES = 2 * 1000 / FailoverRig.FPS + 1;

    @Test
    void killedRtmpPrimaryFailsOverToTheSrtBackupWithoutTheDestinationsNoticing(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig =
                new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky }", Transport.RTMP, Transport.SRT)) {
            rig.startEncoders();
            SrtLinkStatus link = awaitSrtLink(rig, FailoverRig.BACKUP);
            assertThat(link.latencyMs()).as("negotiated SRT latency").isGreaterThanOrEqualTo(20);
            assertThat(input(rig, FailoverRig.PRIMARY).transport()).isEqualTo("rtmp");
            assertThat(input(rig, FailoverRig.PRIMARY).srt()).isNull();
            assertThat(rig.server.channel("show").compatibility().inputsMatch())
                    .as(
                            "the same media over RTMP and over SRT match: %s",
                            rig.server.channel("show").compatibility())
                    .isTrue();
            rig.flowFor(Duration.ofSeconds(2));

            killPrimaryAndCheckTheSwitch(rig);
        }
    }

    @Test
    void killedSrtPrimaryFailsOverToTheRtmpBackupWithoutTheDestinationsNoticing(@TempDir Path tmp) throws Exception {
        try (FailoverRig rig =
                new FailoverRig(tmp, "{ inputLossMs: 500, failback: sticky }", Transport.SRT, Transport.RTMP)) {
            rig.startEncoders();
            awaitSrtLink(rig, FailoverRig.PRIMARY);
            rig.flowFor(Duration.ofSeconds(2));

            // SIGKILL: no SRT shutdown reaches the server, so the input-loss threshold finds it
            assertThat(killPrimaryAndCheckTheSwitch(rig).reason()).contains("no media for");
        }
    }

    /**
     * SIGKILLs the primary's encoder, waits for the backup to feed the destinations for a while, checks the switch
     * event (primary to backup, gap within two frames) and both recordings (one session, clean, same bound).
     */
    private static ChannelEvent killPrimaryAndCheckTheSwitch(FailoverRig rig) throws Exception {
        rig.primary.kill();
        rig.awaitActive(FailoverRig.BACKUP, Duration.ofSeconds(5));
        rig.flowFor(Duration.ofSeconds(3));
        ChannelEvent sw = rig.switches().get(rig.switches().size() - 1);
        assertThat(sw.from()).isEqualTo(FailoverRig.PRIMARY);
        assertThat(sw.to()).isEqualTo(FailoverRig.BACKUP);
        assertThat(sw.gapMs()).isBetween(1L, TWO_FRAMES);
        rig.finishAndCheckRecordings(TWO_FRAMES);
        return sw;
    }

    private static InputStatus input(FailoverRig rig, String name) {
        return rig.server.channel("show").inputs().stream()
                .filter(i -> i.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** Waits until SRT's own statistics of the input's link arrive, with packets counted. */
    private static SrtLinkStatus awaitSrtLink(FailoverRig rig, String name) {
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            InputStatus i = input(rig, name);
            return "srt".equals(i.transport()) && i.srt() != null && i.srt().packetsReceived() > 0;
        });
        SrtLinkStatus link = input(rig, name).srt();
        assertThat(link.rttMs()).isGreaterThanOrEqualTo(0);
        return link;
    }
}
