package io.streamrepeater.channel;

import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.status.InputState;
import io.streamrepeater.status.InputStatus;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One input of a channel (primary, backup, …): the current publish session, if any, and what is kept
 * hot for a switch (codec headers, GOP cache). Fields other than {@link #current} are touched only
 * on the channel's event loop.
 */
final class Input {
    final String name;
    final int priority;
    final boolean allowTakeover;
    /** The live publish session; swapped from ingest threads (takeover), read on the channel loop. */
    final AtomicReference<InputSession> current = new AtomicReference<>();
    final CodecHeaders headers = new CodecHeaders();
    GopCache gop;
    long packets;

    Input(String name, int priority, boolean allowTakeover, GopCache gop) {
        this.name = name;
        this.priority = priority;
        this.allowTakeover = allowTakeover;
        this.gop = gop;
    }

    boolean publishing() {
        return current.get() != null;
    }

    InputStatus status(boolean active) {
        InputSession s = current.get();
        InputState state = s == null ? InputState.DOWN : active ? InputState.ACTIVE : InputState.STANDBY;
        return new InputStatus(name, priority, state, s == null ? null : s.remoteAddress(), packets);
    }

    /** Drops what was kept for the ended session (a new session brings its own headers). */
    void clearHot() {
        gop.close();
        gop = new GopCache(LiveChannel.GOP_MAX_BYTES, LiveChannel.GOP_MAX_PACKETS);
    }

    void close() {
        headers.close();
        gop.close();
    }
}
