package io.streamrepeater.app;

import io.netty.buffer.PooledByteBufAllocator;
import io.streamrepeater.channel.FailoverPolicy;
import io.streamrepeater.channel.InputSpec;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.FailoverConfig;
import io.streamrepeater.control.config.InputConfig;
import io.streamrepeater.control.config.RelayConfig;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.FlvFileReader;
import io.streamrepeater.relay.ChannelRelay;
import io.streamrepeater.relay.DestinationSpec;
import io.streamrepeater.relay.SupervisionSettings;
import io.streamrepeater.rtmp.session.RtmpUrl;
import io.streamrepeater.status.DestinationMode;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** From a channel's configuration to the domain: input specs, destination specs, supervision, the failover policy, the slate. */
final class ChannelMapping {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private ChannelMapping() {}

    static List<InputSpec> inputSpecs(ChannelConfig cc) {
        List<InputSpec> specs = new ArrayList<>();
        for (InputConfig ic : cc.inputs()) {
            specs.add(new InputSpec(ic.name(), ic.allowTakeover()));
        }
        return specs;
    }

    static boolean sameExceptEnabled(DestinationConfig a, DestinationConfig b) {
        return a.url().equals(b.url())
                && Objects.equals(a.backupUrl(), b.backupUrl())
                && Objects.equals(a.mode(), b.mode())
                && a.enabled() != b.enabled()
                && a.equals(withEnabled(b, a.enabled()));
    }

    static DestinationConfig withEnabled(DestinationConfig d, boolean enabled) {
        return new DestinationConfig(d.name(), d.url(), enabled, d.backupUrl(), d.mode(), d.platform());
    }

    static DestinationSpec destinationSpec(DestinationConfig dc) {
        return new DestinationSpec(
                dc.name(),
                RtmpUrl.parse(dc.url()),
                dc.backupUrl() == null ? null : RtmpUrl.parse(dc.backupUrl()),
                dc.mode() == null ? DestinationMode.BOTH : dc.mode(), // no backup address: the mode is not used
                dc.enabled(),
                dc.effectivePlatform());
    }

    /**
     * Cluster mode, the channel owner's relay: as {@link #destinationSpec}, but a destination that publishes to its
     * backup ingest at the same time ({@code mode: both}) gets only its primary address here; the backup address is
     * pushed by the node holding the channel's backup-ingest lease ({@link #backupIngestSpecs}).
     */
    static DestinationSpec primaryIngestSpec(DestinationConfig dc) {
        DestinationSpec spec = destinationSpec(dc);
        return spec.backupUrl() != null && spec.mode() == DestinationMode.BOTH
                ? new DestinationSpec(spec.name(), spec.url(), null, spec.mode(), spec.enabled(), spec.platform())
                : spec;
    }

    /**
     * Cluster mode: the backup-ingest addresses of the destinations that publish to both ingests at once, each as a
     * destination of its own named {@code NAME/backup} (the name the single-node relay gives that connection).
     */
    static List<DestinationSpec> backupIngestSpecs(ChannelConfig cc) {
        List<DestinationSpec> specs = new ArrayList<>();
        for (DestinationConfig dc : cc.destinations()) {
            DestinationSpec spec = destinationSpec(dc);
            if (spec.backupUrl() != null && spec.mode() == DestinationMode.BOTH) {
                specs.add(new DestinationSpec(
                        spec.name() + ChannelRelay.BACKUP_SUFFIX,
                        spec.backupUrl(),
                        null,
                        DestinationMode.BOTH,
                        spec.enabled(),
                        spec.platform()));
            }
        }
        return specs;
    }

    /**
     * Changes a live relay's destinations from {@code before} to {@code after}, touching only what differs: a new
     * one is added, a removed one removed, one that differs only in {@code enabled} enabled or disabled (its
     * connection kept), any other change reconnects it.
     */
    static void applyDestinationChanges(
            ChannelRelay relay,
            List<DestinationConfig> before,
            List<DestinationConfig> after,
            java.util.function.Function<DestinationConfig, DestinationSpec> spec) {
        java.util.Map<String, DestinationConfig> left = new java.util.LinkedHashMap<>();
        before.forEach(d -> left.put(d.name(), d));
        for (DestinationConfig d : after) {
            DestinationConfig was = left.remove(d.name());
            if (was == null) {
                relay.addDestination(spec.apply(d));
            } else if (!was.equals(d)) {
                if (sameExceptEnabled(was, d)) {
                    if (d.enabled()) {
                        relay.enableDestination(d.name());
                    } else {
                        relay.disableDestination(d.name());
                    }
                } else {
                    relay.removeDestination(d.name());
                    relay.addDestination(spec.apply(d));
                }
            }
        }
        left.keySet().forEach(relay::removeDestination);
    }

    /** Slate files may be large, but a slate is a short loop: refuse anything absurd. */
    static final long MAX_SLATE_BYTES = 256L << 20;

    /** Reads a channel's slate; a relative path is resolved against the configuration file's folder. */
    static FlvFile readSlate(ChannelConfig cc, Path configDir) {
        Path file = configDir.resolve(cc.slate());
        try {
            FlvFile flv = FlvFileReader.read(file, PooledByteBufAllocator.DEFAULT, MAX_SLATE_BYTES);
            if (!flv.hasVideoKeyframe()) {
                flv.close();
                throw new StartupException(
                        "slate " + file + " of channel " + cc.name() + " has no video keyframe", null);
            }
            LOG.info(
                    "event=slate-loaded channel={} file={} packets={} loopMs={}",
                    cc.name(),
                    file,
                    flv.packets().size(),
                    flv.durationMs());
            return flv;
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new StartupException("cannot use the slate of channel " + cc.name() + ": " + e.getMessage(), e);
        }
    }

    /** The channel's {@code relay:} section over the defaults of destination supervision. */
    static SupervisionSettings supervisionSettings(RelayConfig r) {
        return SupervisionSettings.defaults().withBackoffCapMs(r.retryMaxMs()).withStallTimeoutMs(r.stallTimeoutMs());
    }

    static FailoverPolicy failoverPolicy(FailoverConfig f) {
        return new FailoverPolicy(
                f.inputLossMs(),
                f.failback(),
                f.clearMs(),
                f.start(),
                f.timeline(),
                f.lowBitrate() == null
                        ? null
                        : new FailoverPolicy.LowBitrate(
                                f.lowBitrate().belowKbps(), f.lowBitrate().forMs()));
    }
}
