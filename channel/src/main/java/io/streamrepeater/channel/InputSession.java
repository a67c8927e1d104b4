package io.streamrepeater.channel;

import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.SrtLinkStatus;

/**
 * One publish on an input, as handed to the ingest side. Methods may be called from any thread;
 * work is moved to the channel's event loop.
 */
public final class InputSession {
    private final LiveChannel channel;
    private final Input input;
    private final String remoteAddress;
    private final Runnable disconnect;
    private final String transport;
    /** The cluster node where the encoder is connected, when its media is forwarded here; null = this node. */
    private final String node;

    private volatile SrtLinkStatus link;

    InputSession(
            LiveChannel channel,
            Input input,
            String remoteAddress,
            Runnable disconnect,
            String transport,
            String node) {
        this.channel = channel;
        this.input = input;
        this.remoteAddress = remoteAddress;
        this.disconnect = disconnect;
        this.transport = transport;
        this.node = node;
    }

    /** The latest link statistics of an SRT publish (from the SRT connection's thread). */
    public void linkStatus(SrtLinkStatus status) {
        this.link = status;
    }

    String transport() {
        return transport;
    }

    String node() {
        return node;
    }

    SrtLinkStatus link() {
        return link;
    }

    /** One packet from the encoder; ownership passes to the channel. */
    public void packet(MediaPacket packet) {
        channel.submit(this, packet);
    }

    /** The publish ended; no packet follows. */
    public void close(String reason) {
        if (input.endSession(this)) {
            channel.inputEnded(this, reason);
        }
    }

    public String inputName() {
        return input.name();
    }

    String remoteAddress() {
        return remoteAddress;
    }

    Input input() {
        return input;
    }

    /** Closes the encoder's connection: used when another publisher takes the input over. */
    void disconnect() {
        disconnect.run();
    }
}
