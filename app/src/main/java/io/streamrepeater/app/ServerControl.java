package io.streamrepeater.app;

import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.ControlPort;
import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.control.metrics.MetricsSource;
import io.streamrepeater.control.store.ApiRole;
import io.streamrepeater.control.store.ApiToken;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.LatencySnapshot;
import io.streamrepeater.status.RehearsalReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The running server as the control plane sees it: the HTTP API's port and what the metrics read. */
final class ServerControl implements ControlPort, MetricsSource {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ServerControl.class);

    private final Server server;
    /** Where the API tokens are kept. */
    private final ConfigStore store;

    private final java.security.SecureRandom random = new java.security.SecureRandom();

    ServerControl(Server server, ConfigStore store) {
        this.server = server;
        this.store = store;
    }

    @Override
    public List<ApiToken> apiTokens() {
        return store.apiTokens();
    }

    @Override
    public ApiToken.Issued createApiToken(String name, ApiRole role) {
        ApiToken.Issued issued = ApiToken.issue(name, role, random, java.time.Instant.now());
        if (!store.addApiToken(issued.stored())) {
            throw new IllegalArgumentException("an API token named '" + name + "' exists");
        }
        LOG.info("event=api-token-created name={} role={}", name, role.label());
        return issued;
    }

    /** Live previews watched at once, over the whole server: each holds an HTTP thread and a packet queue. */
    static final int MAX_PREVIEWS = 8;

    private final java.util.concurrent.atomic.AtomicInteger previews = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public io.streamrepeater.control.api.PreviewFeed openPreview(
            String channel, String input, boolean endOnFormatChange) {
        io.streamrepeater.channel.LiveChannel live = server.channel(channel);
        if (live == null) {
            throw new java.util.NoSuchElementException("no channel '" + channel + "'");
        }
        if (input != null && live.inputStatus().stream().noneMatch(i -> i.name().equals(input))) {
            throw new java.util.NoSuchElementException("channel " + channel + " has no input '" + input + "'");
        }
        try {
            return PreviewReader.open(live, input, previews, MAX_PREVIEWS, endOnFormatChange);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("channel " + channel + " did not start the preview: " + e, e);
        }
    }

    @Override
    public void audit(io.streamrepeater.control.store.AuditEntry entry) {
        store.audit(entry);
    }

    @Override
    public List<io.streamrepeater.control.store.AuditEntry> auditLog(int limit) {
        return store.auditLog(limit);
    }

    @Override
    public boolean revokeApiToken(String name) {
        boolean removed = store.removeApiToken(name);
        if (removed) {
            LOG.info("event=api-token-revoked name={}", name);
        }
        return removed;
    }

    @Override
    public List<ChannelStatus> channels() {
        return server.status();
    }

    @Override
    public Optional<ClusterStatus> cluster() {
        return server.clusterStatus();
    }

    @Override
    public Optional<Boolean> setDraining(String node, boolean draining) {
        return server.setDraining(node, draining);
    }

    @Override
    public boolean ready() {
        return server.ready();
    }

    @Override
    public Optional<ChannelStatus> channel(String name) {
        return server.status().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    @Override
    public CompletableFuture<Void> switchInput(String channel, String input) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        server.channel(channel).switchTo(input).addListener(f -> {
            if (f.isSuccess()) {
                result.complete(null);
            } else {
                result.completeExceptionally(f.cause());
            }
        });
        return result;
    }

    @Override
    public CompletableFuture<RehearsalReport> rehearse(String channel, Duration duration) {
        return server.rehearse(channel, duration);
    }

    @Override
    public StreamRepeaterConfig currentConfig() {
        return server.currentConfig();
    }

    @Override
    public void applyChannel(ChannelConfig channel) {
        server.applyChannel(channel);
    }

    @Override
    public Optional<String> inputKey(String channel, String input) {
        return server.currentConfig()
                .channel(channel)
                .flatMap(c ->
                        c.inputs().stream().filter(i -> i.name().equals(input)).findFirst())
                .map(i -> i.key());
    }

    @Override
    public int rtmpPort() {
        return server.rtmpPort();
    }

    @Override
    public boolean deleteChannel(String name) {
        return server.deleteChannel(name);
    }

    private ChannelConfig config(String channel) {
        return server.currentConfig()
                .channel(channel)
                .orElseThrow(() -> new IllegalArgumentException("no channel '" + channel + "'"));
    }

    private static ChannelConfig withDestinations(ChannelConfig c, List<DestinationConfig> destinations) {
        return c.withDestinations(destinations);
    }

    @Override
    public void addDestination(String channel, DestinationConfig destination) {
        synchronized (server) {
            ChannelConfig c = config(channel);
            List<DestinationConfig> list = new ArrayList<>(c.destinations());
            list.add(destination);
            server.applyChannel(withDestinations(c, list));
        }
    }

    @Override
    public boolean removeDestination(String channel, String destination) {
        synchronized (server) {
            ChannelConfig c = config(channel);
            List<DestinationConfig> list = new ArrayList<>(c.destinations());
            if (!list.removeIf(d -> d.name().equals(destination))) {
                return false;
            }
            server.applyChannel(withDestinations(c, list));
            return true;
        }
    }

    @Override
    public boolean setDestinationEnabled(String channel, String destination, boolean enabled) {
        synchronized (server) {
            ChannelConfig c = config(channel);
            List<DestinationConfig> list = new ArrayList<>();
            boolean found = false;
            for (DestinationConfig d : c.destinations()) {
                if (d.name().equals(destination)) {
                    found = true;
                    list.add(ChannelMapping.withEnabled(d, enabled));
                } else {
                    list.add(d);
                }
            }
            if (found) {
                server.applyChannel(withDestinations(c, list));
            }
            return found;
        }
    }

    @Override
    public Optional<byte[]> thumbnail(String channel, String input) {
        return server.thumbnail(channel, input);
    }

    @Override
    public Boolean thumbnailsAvailable() {
        return server.thumbnailsAvailable();
    }

    @Override
    public List<ChannelEvent> eventsSince(long afterSequence) {
        List<ChannelEvent> all = new ArrayList<>();
        for (LiveChannel ch : server.channels().values()) {
            all.addAll(ch.events().since(afterSequence));
        }
        all.sort(Comparator.comparingLong(ChannelEvent::sequence));
        return all;
    }

    @Override
    public void subscribe(Consumer<ChannelEvent> listener) {
        server.addEventListener(listener);
    }

    @Override
    public void unsubscribe(Consumer<ChannelEvent> listener) {
        server.removeEventListener(listener);
    }

    @Override
    public int rtmpsPort() {
        return server.rtmpsPort();
    }

    @Override
    public int srtPort() {
        return server.srtPort();
    }

    @Override
    public LatencySnapshot relayLatency() {
        return server.relayLatency().snapshot();
    }

    @Override
    public void resetRelayLatency() {
        server.relayLatency().reset();
    }
}
