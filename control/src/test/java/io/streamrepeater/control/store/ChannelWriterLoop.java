package io.streamrepeater.control.store;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.util.ArrayList;
import java.util.List;

/**
 * The child JVM of {@link KilledWriterTest}: writes version after version of channel {@value #CHANNEL} until it
 * is killed, printing {@code committed N} after each write returned. Every part of a version (policy, slate,
 * number of inputs and destinations, keys, URLs) depends on N, so a store that mixed two versions is caught.
 *
 * <p>Arguments: JDBC URL, directory of the key file, first version, last version (it stops there if nobody
 * kills it).
 */
public final class ChannelWriterLoop {
    static final String CHANNEL = "show";
    static final String COMMITTED = "committed ";

    private ChannelWriterLoop() {}

    public static void main(String[] args) {
        String jdbcUrl = args[0];
        java.nio.file.Path keyDirectory = java.nio.file.Path.of(args[1]);
        int first = Integer.parseInt(args[2]);
        int last = Integer.parseInt(args[3]);
        try (ConfigStore store = ConfigStore.open(jdbcUrl, keyDirectory)) {
            System.out.println("opened");
            for (int version = first; version <= last; version++) {
                store.upsertChannel(version(version));
                System.out.println(COMMITTED + version);
            }
        }
    }

    /** @return the channel as version {@code n} writes it; {@code clearMs} is n, so a read version names itself */
    static ChannelConfig version(int n) {
        List<InputConfig> inputs = new ArrayList<>();
        for (int i = 0; i < 1 + n % 3; i++) {
            inputs.add(new InputConfig("input-" + i, "key-" + n + "-" + i, (n + i) % 2 == 0));
        }
        List<DestinationConfig> destinations = new ArrayList<>();
        for (int d = 0; d < n % 4; d++) {
            destinations.add(new DestinationConfig("out-" + d, "rtmp://127.0.0.1/live/v" + n + "-" + d, d % 2 == 0));
        }
        FailoverConfig failover = new FailoverConfig(
                100 + n % 900,
                Failback.values()[n % Failback.values().length],
                n,
                StartMode.values()[n % 2],
                Timeline.values()[(n / 2) % 2]);
        return new ChannelConfig(CHANNEL, inputs, failover, "slate-" + n + ".flv", destinations);
    }
}
