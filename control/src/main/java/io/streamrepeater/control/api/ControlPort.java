package io.streamrepeater.control.api;

import io.streamrepeater.control.config.ChannelConfig;
import io.streamrepeater.control.config.DestinationConfig;
import io.streamrepeater.control.config.StreamRepeaterConfig;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelStatus;
import io.streamrepeater.status.ClusterStatus;
import io.streamrepeater.status.LatencySnapshot;
import io.streamrepeater.status.RehearsalReport;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What the HTTP API needs from the running server: snapshots to read and a few operations. The
 * composition root implements it; the API never sees Netty, RTMP or the media path.
 */
public interface ControlPort {
    List<ChannelStatus> channels();

    /** True once every listener is bound and every channel started, false again while stopping. */
    boolean ready();

    Optional<ChannelStatus> channel(String name);

    /** Switches a channel to the named input; fails with a message an operator can act on. */
    CompletableFuture<Void> switchInput(String channel, String input);

    /** Starts a failover drill; completes with its report when the drill ends. */
    CompletableFuture<RehearsalReport> rehearse(String channel, Duration duration);

    /** The configuration in force (channels with their keys and URLs: mask before showing). */
    StreamRepeaterConfig currentConfig();

    /** Creates or updates a channel while live; throws IllegalArgumentException when it conflicts. */
    void applyChannel(ChannelConfig channel);

    /** The stream key of an input, for an operator's explicit reveal (never part of an ordinary read). */
    Optional<String> inputKey(String channel, String input);

    /** The bound RTMP ingest port, 0 when RTMP ingest is disabled. */
    int rtmpPort();

    /** The RTMPS ingest port, 0 when RTMPS ingest is off. */
    int rtmpsPort();

    /** The SRT ingest port (UDP), 0 when SRT ingest is off or libsrt is missing. */
    default int srtPort() {
        return 0;
    }

    /** Deletes a channel; false when there is none of that name. */
    boolean deleteChannel(String name);

    /** Adds a destination to a live channel (the others are untouched). */
    void addDestination(String channel, DestinationConfig destination);

    /** Removes a destination; false when there is none of that name. */
    boolean removeDestination(String channel, String destination);

    /** Enables or disables a destination; false when there is none of that name. */
    boolean setDestinationEnabled(String channel, String destination, boolean enabled);

    /**
     * The latest JPEG picture of an input, empty when there is none yet (input not live, ffmpeg
     * absent, or the first picture not made). Asking marks the input as watched, so pictures are
     * made only while someone looks.
     */
    Optional<byte[]> thumbnail(String channel, String input);

    /** Whether the server can take input pictures (ffmpeg ran at start); null while that is not known yet. */
    default Boolean thumbnailsAvailable() {
        return null;
    }

    /** Channel events after {@code afterSequence}, oldest first, from the in-memory history. */
    List<ChannelEvent> eventsSince(long afterSequence);

    /** Calls {@code listener} for each new event (on a server thread; it must not block). */
    void subscribe(Consumer<ChannelEvent> listener);

    void unsubscribe(Consumer<ChannelEvent> listener);

    /** The relay's added latency (ingest to socket write, per destination write) since start or the last reset. */
    LatencySnapshot relayLatency();

    /** Starts a new latency counting period (for a benchmark's measurement window). */
    void resetRelayLatency();

    /**
     * The cluster as this node sees it: nodes and channel leases; empty when the server runs alone.
     *
     * @throws IllegalStateException when the shared store does not answer (the message says so)
     */
    default Optional<ClusterStatus> cluster() {
        return Optional.empty();
    }

    /**
     * Drains (or undrains) a node of the cluster: it hands its channels to other nodes, break before make, and takes
     * no new ones.
     *
     * @return empty when the server runs alone; false when no node of that name ever joined
     * @throws IllegalStateException when the shared store does not answer
     */
    default Optional<Boolean> setDraining(String node, boolean draining) {
        return Optional.empty();
    }

    /** @return every API token (name, role, creation; never a token) */
    List<io.streamrepeater.control.store.ApiToken> apiTokens();

    /**
     * Creates an API token; the token itself is in the answer only.
     *
     * @throws IllegalArgumentException if the name is not allowed or already used
     */
    io.streamrepeater.control.store.ApiToken.Issued createApiToken(
            String name, io.streamrepeater.control.store.ApiRole role);

    /** @return true if the token existed; it is refused from the next request on */
    boolean revokeApiToken(String name);

    /** Keeps a state-changing API call in the audit (the store). */
    void audit(io.streamrepeater.control.store.AuditEntry entry);

    /** @return the latest {@code limit} audit entries, oldest first */
    List<io.streamrepeater.control.store.AuditEntry> auditLog(int limit);

    /**
     * Opens a live preview of the channel's output (what its destinations receive), or of one of its inputs.
     *
     * @param input the input to watch; null: the channel's output
     * @param endOnFormatChange end the feed where the video's sequence header changes (a failover to an encoder with
     *     another picture size), so that a player which cannot change its decoder's configuration mid-stream (a
     *     browser's Media Source Extensions) starts again on the new one; false: the new header goes in-band
     * @throws java.util.NoSuchElementException if there is no such channel or input
     * @throws IllegalStateException if as many previews as the server allows are being watched
     */
    PreviewFeed openPreview(String channel, String input, boolean endOnFormatChange);
}
