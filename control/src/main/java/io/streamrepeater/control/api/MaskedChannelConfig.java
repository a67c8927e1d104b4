package io.streamrepeater.control.api;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.FailoverConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel's configuration as the API shows it: every field an operator set, with every secret masked (input keys,
 * SRT passphrases, webhook secrets, and the keys in destination URLs). Keys are shown only by the explicit reveal of
 * {@link InputRoutes}.
 */
final class MaskedChannelConfig {
    private MaskedChannelConfig() {}

    /** A channel's configuration as JSON with every secret masked. */
    static Map<String, Object> of(ChannelConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put(
                "inputs",
                c.inputs().stream()
                        .map(i -> {
                            Map<String, Object> im = new LinkedHashMap<>();
                            im.put("name", i.name());
                            im.put("key", "****");
                            im.put("allowTakeover", i.allowTakeover());
                            if (i.srtPassphrase() != null) {
                                im.put("srtPassphrase", "****"); // says that SRT publishes to it must be encrypted
                            }
                            return im;
                        })
                        .toList());
        FailoverConfig f = c.failover();
        Map<String, Object> failover = ordered(
                "inputLossMs",
                f.inputLossMs(),
                "failback",
                f.failback().yamlName(),
                "clearMs",
                f.clearMs(),
                "start",
                f.start().yamlName(),
                "timeline",
                f.timeline().yamlName());
        if (f.lowBitrate() != null) {
            failover.put(
                    "lowBitrate",
                    ordered(
                            "belowKbps",
                            f.lowBitrate().belowKbps(),
                            "forMs",
                            f.lowBitrate().forMs()));
        }
        m.put("failover", failover);
        if (c.slate() != null) {
            m.put("slate", c.slate());
        }
        m.put(
                "relay",
                ordered(
                        "retryMaxMs",
                        c.relay().retryMaxMs(),
                        "stallTimeoutMs",
                        c.relay().stallTimeoutMs()));
        m.put(
                "destinations",
                c.destinations().stream()
                        .map(d -> {
                            Map<String, Object> dm = new LinkedHashMap<>();
                            dm.put("name", d.name());
                            dm.put("url", d.maskedUrl());
                            dm.put("enabled", d.enabled());
                            if (d.backupUrl() != null) {
                                dm.put("backupUrl", d.maskedBackupUrl());
                                dm.put("mode", d.mode().yamlName());
                            }
                            if (d.platform() != null) {
                                dm.put("platform", d.platform().yamlName());
                            }
                            return dm;
                        })
                        .toList());
        m.put(
                "webhooks",
                c.webhooks().stream()
                        .map(w -> ordered("url", w.maskedUrl(), "secret", "****"))
                        .toList());
        return m;
    }

    /** A map of {@code key, value, key, value...} in that order (Map.of's order changes from one JVM run to the next). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }
}
