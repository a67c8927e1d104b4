package io.streamrepeater.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void parallelTestJvmsTakeDisjointPartsOfTheRange() {
        assertThat(FreePorts.slice(20_000, 32_767, "1/2")).containsExactly(20_000, 26_383);
        assertThat(FreePorts.slice(20_000, 32_767, "2/2")).containsExactly(26_384, 32_767);
        assertThat(FreePorts.slice(20_000, 32_767, null)).containsExactly(20_000, 32_767);
        assertThat(FreePorts.slice(20_000, 32_767, "1/1")).containsExactly(20_000, 32_767);
        assertThat(FreePorts.slice(20_000, 32_767, "3/2")).containsExactly(20_000, 32_767);
        assertThat(FreePorts.slice(20_000, 32_767, "${surefire.forkNumber}/2")).containsExactly(20_000, 32_767);
    }

    @Test
    void loopbackPortCanBeBoundOn127001() throws Exception {
        int port = FreePorts.loopback();

        assertThat(port).isBetween(1024, 65535);
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }

    @Test
    void portsComeFromBelowTheEphemeralRangeSoOutgoingConnectionsCannotTakeThem() {
        int low = FreePorts.ephemeralLow();
        int port = FreePorts.loopback();
        if (low - 20_000 >= 1000) {
            assertThat(port).isBetween(20_000, low - 1);
        }
    }

    @Test
    void noPortIsHandedOutTwice() {
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            assertThat(seen.add(FreePorts.loopback())).isTrue();
        }
    }

    @Test
    void udpPortCanBeBound() throws Exception {
        int port = FreePorts.loopbackUdp();
        try (DatagramSocket socket = new DatagramSocket(port, InetAddress.getLoopbackAddress())) {
            assertThat(socket.getLocalPort()).isEqualTo(port);
        }
    }
}
