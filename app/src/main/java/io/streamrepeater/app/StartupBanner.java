package io.streamrepeater.app;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;

/** What a start prints for the operator: where to point encoders (keys on a first run only) and the dashboard. */
final class StartupBanner {
    private StartupBanner() {}

    /** What a normal start prints: where the dashboard and the ingest are (keys are not shown again). */
    static void printRunning(StreamRepeaterConfig config, int rtmpPort, int httpPort, int httpsPort) {
        StringBuilder sb = new StringBuilder("Stream Repeater is running: ")
                .append(config.channels().size())
                .append(config.channels().size() == 1 ? " channel" : " channels");
        if (rtmpPort > 0) {
            sb.append(", RTMP ingest rtmp://HOST:").append(rtmpPort).append("/live/STREAM-KEY");
        }
        if (httpsPort > 0) {
            sb.append(", dashboard https://HOST:").append(httpsPort).append("/");
        } else if (httpPort > 0) {
            sb.append(", dashboard http://HOST:").append(httpPort).append("/");
        }
        System.out.println(sb.append(" (HOST is this machine's address; a lost admin token: admin-token --reset)"));
    }

    static void printFirstRun(
            StreamRepeaterConfig config, String adminToken, int rtmpPort, int rtmpsPort, int srtPort, int httpPort) {
        StringBuilder sb = new StringBuilder();
        sb.append("\nStream Repeater is running for the first time. Point your encoders at:\n");
        for (ChannelConfig cc : config.channels()) {
            for (InputConfig ic : cc.inputs()) {
                sb.append(String.format(
                        "  channel %-8s %-8s rtmp://HOST:%d/live/%s%n", cc.name(), ic.name(), rtmpPort, ic.key()));
                if (rtmpsPort > 0) {
                    sb.append(String.format(
                            "  channel %-8s %-8s rtmps://HOST:%d/live/%s%n",
                            cc.name(), ic.name(), rtmpsPort, ic.key()));
                }
                if (srtPort > 0) {
                    sb.append(String.format(
                            "  channel %-8s %-8s srt://HOST:%d?streamid=%s (MPEG-TS)%n",
                            cc.name(), ic.name(), srtPort, ic.key()));
                }
            }
        }
        sb.append("(HOST is this machine's address.)\n");
        if (adminToken != null) {
            sb.append("Admin token: ").append(adminToken).append(" (stored hashed: note it now)\n");
        }
        if (httpPort > 0) {
            sb.append("Dashboard: http://HOST:").append(httpPort).append("/ (sign in with the admin token)\n");
            sb.append("HTTP API: http://HOST:")
                    .append(httpPort)
                    .append("/api/v1/channels (Authorization: Bearer ADMIN-TOKEN)\n");
        }
        sb.append("This configuration is saved in the data directory; these keys are shown only now.\n");
        System.out.println(sb);
    }
}
