package io.streamrepeater.channel;

import io.netty.util.concurrent.EventExecutor;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.status.InputStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One broadcast: its inputs in priority order, the choice of the active one, and the output
 * timeline the relay consumes. All media work runs on the channel's own event loop, so the switch
 * and the fan-out need no locks.
 *
 * <p>The active input is the highest-priority input that is publishing. A feed starts (or restarts
 * after a reconnect or a change of input) on a video keyframe: audio and inter frames before it are
 * dropped, codec headers that differ from what the destinations last received are sent first, and
 * timestamps are rebased onto one monotonic output timeline.
 */
public final class LiveChannel {
    private static final Logger log = LoggerFactory.getLogger(LiveChannel.class);
    static final long GOP_MAX_BYTES = 64L << 20;
    static final int GOP_MAX_PACKETS = 20_000;

    private final String name;
    private final EventExecutor loop;
    private final List<Input> inputs = new ArrayList<>();
    private final List<ChannelOutput> outputs = new CopyOnWriteArrayList<>();
    private final OutputTimeline timeline = new OutputTimeline();
    /** What the destinations last received: replayed to a destination that (re)connects. */
    private final CodecHeaders outputHeaders = new CodecHeaders();
    private final GopCache outputGop = new GopCache(GOP_MAX_BYTES, GOP_MAX_PACKETS);
    private Input active;
    private volatile String activeName;
    private boolean closed;

    public LiveChannel(String name, List<InputSpec> inputSpecs, EventExecutor loop) {
        this.name = name;
        this.loop = loop;
        int priority = 0;
        for (InputSpec spec : inputSpecs) {
            inputs.add(new Input(spec.name(), priority++, spec.allowTakeover(), new GopCache(GOP_MAX_BYTES, GOP_MAX_PACKETS)));
        }
    }

    public String name() {
        return name;
    }

    public EventExecutor loop() {
        return loop;
    }

    /** The active input's name, or null; safe from any thread. */
    public String activeInput() {
        return activeName;
    }

    /**
     * Opens a publish on the named input. When the input is already publishing, the new publisher
     * takes it over (the old connection is closed), unless the input refuses takeovers.
     *
     * @param disconnect closes the new publisher's connection if it is taken over later
     * @return the session, or null when refused (unknown input, or takeover refused)
     */
    public InputSession openInput(String inputName, String remoteAddress, Runnable disconnect) {
        Input input = find(inputName);
        if (input == null) {
            return null;
        }
        InputSession session = new InputSession(this, input, remoteAddress, disconnect);
        InputSession previous;
        if (input.allowTakeover) {
            previous = input.current.getAndSet(session);
        } else {
            if (!input.current.compareAndSet(null, session)) {
                log.warn("event=publish-refused channel={} input={} remote={} reason=\"input already live; takeover disabled\"",
                        name, inputName, remoteAddress);
                return null;
            }
            previous = null;
        }
        if (previous != null) {
            log.warn("event=input-takeover channel={} input={} old={} new={}", name, inputName, previous.remoteAddress(), remoteAddress);
            previous.disconnect();
        }
        execute(() -> inputStarted(input, session));
        return session;
    }

    /** Adds a consumer of the output timeline. */
    public void addOutput(ChannelOutput output) {
        outputs.add(output);
    }

    public void removeOutput(ChannelOutput output) {
        outputs.remove(output);
    }

    /**
     * What a destination that connects now must receive first: metadata, sequence headers, then the
     * current GOP from its keyframe, all on the output timeline. Call on the channel loop.
     *
     * @return retained packets; the caller releases each
     */
    public List<MediaPacket> startupPackets() {
        List<MediaPacket> all = new ArrayList<>(outputHeaders.retainedAll());
        all.addAll(outputGop.snapshot());
        return all;
    }

    /** Snapshot of the inputs; call from any thread (values may be a moment old). */
    public List<InputStatus> inputStatus() {
        Input a = active;
        List<InputStatus> list = new ArrayList<>();
        for (Input i : inputs) {
            list.add(i.status(i == a));
        }
        return list;
    }

    void submit(InputSession session, MediaPacket packet) {
        if (loop.inEventLoop()) {
            onPacket(session, packet);
        } else {
            try {
                loop.execute(() -> onPacket(session, packet));
            } catch (RuntimeException e) {
                packet.release();
                throw e;
            }
        }
    }

    void inputEnded(InputSession session, String reason) {
        execute(() -> {
            Input input = session.input();
            log.info("event=input-down channel={} input={} reason=\"{}\"", name, input.name, reason);
            input.clearHot();
            if (input == active) {
                timeline.endSegment();
                chooseActive("input " + input.name + " down: " + reason);
            }
        });
    }

    private void inputStarted(Input input, InputSession session) {
        if (input.current.get() != session) {
            return;
        }
        log.info("event=input-up channel={} input={} remote={}", name, input.name, session.remoteAddress());
        // A new session on the active input restarts its feed at the next keyframe.
        input.clearHot();
        if (input == active) {
            timeline.endSegment();
        }
        chooseActive("input " + input.name + " up");
    }

    private void chooseActive(String reason) {
        Input best = null;
        for (Input i : inputs) {
            if (i.publishing()) {
                best = i;
                break;
            }
        }
        if (best != active) {
            log.info("event=active-input channel={} from={} to={} reason=\"{}\"", name,
                    active == null ? "-" : active.name, best == null ? "-" : best.name, reason);
            active = best;
            activeName = best == null ? null : best.name;
            timeline.endSegment();
        }
    }

    private void onPacket(InputSession session, MediaPacket packet) {
        try {
            Input input = session.input();
            if (closed || input.current.get() != session) {
                return; // a packet from a session that was taken over or closed
            }
            input.packets++;
            if (packet.sequenceHeader() || packet.metadata()) {
                input.headers.update(packet);
                if (input == active && timeline.segmentOpen()) {
                    emitHeader(packet);
                }
                return;
            }
            input.gop.add(packet);
            if (input != active) {
                return;
            }
            if (!timeline.segmentOpen()) {
                if (!packet.isVideoKeyframe()) {
                    return; // a feed starts on a keyframe; audio before it is dropped
                }
                timeline.beginSegment(packet.dts());
                for (MediaPacket h : input.headers.retainedAll()) {
                    try {
                        emitHeader(h);
                    } finally {
                        h.release();
                    }
                }
            }
            emit(packet);
        } finally {
            packet.release();
        }
    }

    /** Sends a header/metadata packet at the current output time if it differs from what was sent. */
    private void emitHeader(MediaPacket header) {
        MediaPacket out = header.withDts(timeline.lastDts());
        try {
            if (outputHeaders.update(out)) {
                fanOut(out);
            }
        } finally {
            out.release();
        }
    }

    private void emit(MediaPacket packet) {
        MediaPacket out = packet.withDts(timeline.map(packet.kind(), packet.dts()));
        try {
            outputGop.add(out);
            fanOut(out);
        } finally {
            out.release();
        }
    }

    private void fanOut(MediaPacket out) {
        for (ChannelOutput o : outputs) {
            try {
                o.packet(out);
            } catch (RuntimeException e) {
                log.error("event=output-error channel={} error=\"{}\"", name, e.toString(), e);
            }
        }
    }

    private Input find(String inputName) {
        for (Input i : inputs) {
            if (i.name.equals(inputName)) {
                return i;
            }
        }
        return null;
    }

    private void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    /** Releases everything the channel holds; call on the channel loop (or after it stopped). */
    public void close() {
        closed = true;
        for (Input i : inputs) {
            InputSession s = i.current.getAndSet(null);
            if (s != null) {
                s.disconnect();
            }
            i.close();
        }
        outputHeaders.close();
        outputGop.close();
    }
}
