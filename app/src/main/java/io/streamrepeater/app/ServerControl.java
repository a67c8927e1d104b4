package io.streamrepeater.app;

import io.streamrepeater.channel.LiveChannel;
import io.streamrepeater.control.api.ControlPort;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.RehearsalReport;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The running server as the control plane sees it. */
final class ServerControl implements ControlPort {
    private final Server server;

    ServerControl(Server server) {
        this.server = server;
    }

    @Override
    public List<ChannelStatus> channels() {
        return server.status();
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
    public void addDestination(String channel, DestinationConfig destination) {
        server.relay(channel).addDestination(Server.destinationSpec(destination));
    }

    @Override
    public boolean removeDestination(String channel, String destination) {
        return server.relay(channel).removeDestination(destination);
    }

    @Override
    public boolean setDestinationEnabled(String channel, String destination, boolean enabled) {
        return enabled ? server.relay(channel).enableDestination(destination) : server.relay(channel).disableDestination(destination);
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
        server.channels().values().forEach(ch -> ch.events().addListener(listener));
    }

    @Override
    public void unsubscribe(Consumer<ChannelEvent> listener) {
        server.channels().values().forEach(ch -> ch.events().removeListener(listener));
    }
}
