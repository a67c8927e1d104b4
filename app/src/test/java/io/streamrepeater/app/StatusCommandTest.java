package io.streamrepeater.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class StatusCommandTest {

    @Test
    void tableShowsEachInputsTransportAndSrtsOwnFigures() throws Exception {
        String table = StatusCommand.render(new ObjectMapper().readTree("""
                [{"name":"show","activeInput":"primary","inputs":[
                  {"name":"primary","state":"ACTIVE","transport":"rtmp","srt":null,"bitrateBps":1500000,"fps":30.0,
                   "lastPacketAgeMs":12,"reason":null,"format":"AVC 1280x720 30fps"},
                  {"name":"backup","state":"STANDBY","transport":"srt","bitrateBps":1400000,"fps":30.0,
                   "lastPacketAgeMs":20,"reason":null,"format":"AVC 1280x720 30fps",
                   "srt":{"rttMs":48.25,"packetsLost":17,"packetsRetransmitted":16,"packetsDropped":1}},
                  {"name":"spare","state":"DOWN","transport":null,"srt":null,"bitrateBps":0,"fps":0,
                   "lastPacketAgeMs":-1,"reason":"no encoder connected","format":null}],
                 "destinations":[
                  {"name":"yt","state":"LIVE","idle":true,"bitrateBps":0,"packetsSent":0,"reconnects":0},
                  {"name":"tw","state":"LIVE","idle":false,"bitrateBps":1500000,"packetsSent":900,"reconnects":0}]}]
                """));

        assertThat(table)
                .containsPattern("primary +ACTIVE +rtmp +1500 ")
                .containsPattern("backup +STANDBY +srt +1400 .*AVC 1280x720 30fps \\(SRT rtt 48\\.3 ms, lost 17,"
                        + " retransmitted 16, dropped 1\\)")
                .containsPattern("spare +DOWN +- +0 .*no encoder connected")
                .containsPattern("yt +IDLE ")
                .containsPattern("tw +LIVE ");
    }
}
