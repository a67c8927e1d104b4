package io.streamrepeater.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.Compatibility;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.status.StartMode;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One broadcast: its inputs in priority order, the switch between them, and the output timeline the
 * relay consumes (DESIGN.md §3). All media work runs on the channel's own event loop, so the switch
 * and the fan-out need no locks.
 *
 * <p>The switch: when the active input stops being usable (disconnect, unpublish, no media for
 * {@code inputLossMs}, a rehearsal) the channel chooses the highest-priority healthy input (else any
 * usable one, else the slate, else it holds the destinations open). The new input starts on a
 * keyframe — at once from its GOP cache ({@code cached}) or at its next keyframe
 * ({@code next-keyframe}) — after the codec headers that differ from what the destinations last got,
 * with timestamps rebased so the output never goes backwards. Failback follows the policy.
 *
 * <p>Why this class is longer than the others: it is the channel's thread boundary. Each public method may be called
 * from any thread and moves its work onto the channel's event loop, and the Javadoc of each states that contract and
 * who owns the buffers. The work itself is done elsewhere: the decision in {@link Switcher}, its execution in
 * {@link Switchover}, the inputs in {@link InputRegistry} and {@link InputHealth}, the output in {@link OutputFeed}.
 */
public final class LiveChannel {
    private static final Logger LOG = LoggerFactory.getLogger(LiveChannel.class);
    static final long GOP_MAX_BYTES = 64L << 20;
    static final int GOP_MAX_PACKETS = 20_000;
    static final String SLATE = InputRegistry.SLATE;

    private final String name;
    private final EventExecutor loop;
    private final Clock clock;
    private volatile FailoverPolicy policy;
    /** Priority order; replaced on reconfiguration, read by status snapshots on other threads. */
    private final InputRegistry inputs;

    private final OutputFeed output;
    private final ChannelEvents events = new ChannelEvents(1000);
    private final Switchover switchover;
    private final EventRecorder recorder;
    /** Set by an operator switch: automatic failback waits until the chosen input fails. */
    private boolean operatorHold;

    private Rehearsal rehearsal;
    /** The next health check; null before {@link #start()} and while no input publishes (nothing can go stale). */
    private ScheduledFuture<?> healthTask;
    /** {@link #start()} was called: health checks run whenever an input publishes. */
    private volatile boolean started;

    private SlatePlayer slate;
    private boolean closed;

    /** A channel with the default failover policy and the system clock (tests and simple set-ups). */
    public LiveChannel(String name, List<InputSpec> inputSpecs, EventExecutor loop) {
        this(name, inputSpecs, FailoverPolicy.defaults(), loop, Clock.systemUTC());
    }

    public LiveChannel(
            String name, List<InputSpec> inputSpecs, FailoverPolicy policy, EventExecutor loop, Clock clock) {
        this.name = name;
        this.loop = loop;
        this.clock = clock;
        this.policy = policy;
        this.output = new OutputFeed(name);
        this.recorder = new EventRecorder(name, clock, events);
        this.switchover = new Switchover(name, output, recorder);
        this.inputs = new InputRegistry(inputSpecs);
    }

    public String name() {
        return name;
    }

    public EventExecutor loop() {
        return loop;
    }

    public FailoverPolicy policy() {
        return policy;
    }

    /** Replaces the failover policy; takes effect at the next health check. */
    public void policy(FailoverPolicy newPolicy) {
        this.policy = newPolicy;
    }

    public ChannelEvents events() {
        return events;
    }

    /** The active input's name, or null; safe from any thread. */
    public String activeInput() {
        return switchover.activeName();
    }

    /**
     * Gives the channel a slate: a file played in a real-time loop as its last-resort input, used when
     * no input is usable and left as soon as one is. Call before {@link #start()}.
     *
     * @param file ownership passes to the channel, which closes it with itself
     */
    public void useSlate(FlvFile file) {
        if (slate != null) {
            file.close();
            throw new IllegalStateException("channel " + name + " already has a slate");
        }
        inputs.addSlate();
        InputSession session = openInput(SLATE, "file " + file.source(), () -> {});
        slate = new SlatePlayer(file, session, loop, clock::millis);
    }

    /**
     * Reconfigures the inputs of a live channel: inputs keep their sessions and caches by name, new
     * ones are added, missing ones are closed (their encoders disconnected), and the priority order
     * follows the list. The switch re-evaluates at once. Safe from any thread.
     */
    public Future<Void> updateInputs(List<InputSpec> specs) {
        Promise<Void> done = loop.newPromise();
        execute(() -> {
            for (Input old : inputs.reconfigure(specs)) {
                LOG.info("event=input-removed channel={} input={}", name, old.name());
                InputSession s = old.detach();
                if (s != null) {
                    s.disconnect();
                }
                switchover.forget(old);
                old.tellListeners(name, l -> l.ended("input removed from the channel"));
                old.clearListeners();
                old.close();
            }
            evaluate(clock.millis());
            done.setSuccess(null);
        });
        return done;
    }

    /**
     * Replaces the slate of a running channel (or removes it with null). The new file starts as a new
     * session of the slate input, so a slate on air restarts at its first keyframe.
     *
     * @param file ownership passes to the channel
     */
    public Future<Void> replaceSlate(FlvFile file) {
        Promise<Void> done = loop.newPromise();
        execute(() -> {
            if (slate != null) {
                slate.stop();
                slate = null;
            }
            if (file == null) {
                Input slateInput = inputs.removeSlate();
                if (slateInput != null) {
                    slateInput.detach();
                    switchover.forget(slateInput);
                    slateInput.close();
                }
                evaluate(clock.millis());
            } else {
                inputs.addSlate();
                InputSession session = openInput(SLATE, "file " + file.source(), () -> {});
                slate = new SlatePlayer(file, session, loop, clock::millis);
                if (started) {
                    slate.start();
                }
            }
            done.setSuccess(null);
        });
        return done;
    }

    /** Starts the periodic health check that detects inputs with no media (a frozen encoder), and the slate. */
    public void start() {
        started = true;
        execute(() -> scheduleHealthCheck(healthPeriodMs()));
        if (slate != null) {
            execute(slate::start);
        }
    }

    /**
     * Opens a publish on the named input. When the input is already publishing, the new publisher
     * takes it over (the old connection is closed), unless the input refuses takeovers.
     *
     * @param disconnect closes the new publisher's connection if it is taken over later
     * @return the session, or null when refused (unknown input, or takeover refused)
     */
    public InputSession openInput(String inputName, String remoteAddress, Runnable disconnect) {
        return openInput(inputName, remoteAddress, disconnect, "rtmp");
    }

    /**
     * As {@link #openInput(String, String, Runnable)}, for an encoder that publishes over {@code transport}
     * ({@code rtmp}, {@code rtmps}, {@code srt}; shown in the input's status).
     */
    public InputSession openInput(String inputName, String remoteAddress, Runnable disconnect, String transport) {
        return openInput(inputName, remoteAddress, disconnect, transport, null);
    }

    /**
     * As {@link #openInput(String, String, Runnable, String)}, for an encoder connected to another node of the
     * cluster whose media that node forwards here: {@code node} is shown in the input's status.
     *
     * @param node the cluster node where the encoder is connected; null = this node
     */
    public InputSession openInput(
            String inputName, String remoteAddress, Runnable disconnect, String transport, String node) {
        Input input = find(inputName);
        if (input == null) {
            return null;
        }
        InputSession session = new InputSession(this, input, remoteAddress, disconnect, transport, node);
        InputSession previous = input.claim(session);
        if (previous == session) {
            LOG.warn(
                    "event=publish-refused channel={} input={} remote={} reason=\"input already live; takeover disabled\"",
                    name,
                    inputName,
                    remoteAddress);
            return null;
        }
        if (previous != null) {
            LOG.warn(
                    "event=input-takeover channel={} input={} old={} new={}",
                    name,
                    inputName,
                    previous.remoteAddress(),
                    remoteAddress);
            previous.disconnect();
        }
        execute(() -> inputStarted(input, session));
        return session;
    }

    /**
     * Taps one input: {@code listener} gets every packet of that input on its own timestamps (active or not) and the
     * start and end of its encoder sessions, on the channel loop; if an encoder is connected now, {@code started()}
     * is called at once. Safe from any thread.
     *
     * @return completes once the listener is added; fails when the channel has no such input
     */
    public Future<Void> addInputListener(String inputName, InputListener listener) {
        Promise<Void> done = loop.newPromise();
        execute(() -> {
            Input input = find(inputName);
            if (input == null || closed) {
                done.setFailure(new IllegalArgumentException("channel " + name + " has no input '" + inputName + "'"));
                return;
            }
            input.addListener(listener);
            if (input.publishing()) {
                input.tell(name, listener, InputListener::started);
            }
            done.setSuccess(null);
        });
        return done;
    }

    /** Removes a tap added by {@link #addInputListener}; no call reaches it once this ran on the loop. Any thread. */
    public void removeInputListener(InputListener listener) {
        execute(() -> {
            for (Input i : inputs) {
                if (i.removeListener(listener)) {
                    return;
                }
            }
        });
    }

    /**
     * What a consumer of one input that starts now must receive first: its metadata and sequence headers, then its
     * cached GOP from the keyframe (audio and video), on the input's own timestamps. Call on the channel loop; the
     * packets an {@link InputListener} gets afterwards follow on from these.
     *
     * @return retained packets; the caller releases each. Empty when there is no such input or nothing cached
     */
    public List<MediaPacket> inputStartupPackets(String inputName) {
        Input input = find(inputName);
        return input == null ? List.of() : input.startupPackets();
    }

    /** Adds a consumer of the output timeline. */
    public void addOutput(ChannelOutput consumer) {
        output.add(consumer);
    }

    public void removeOutput(ChannelOutput consumer) {
        output.remove(consumer);
    }

    /**
     * What a destination that connects now must receive first: metadata, sequence headers, then the
     * current GOP from its keyframe, all on the output timeline. Call on the channel loop.
     *
     * @return retained packets; the caller releases each
     */
    public List<MediaPacket> startupPackets() {
        return output.startupPackets();
    }

    /**
     * What a decoder needs to show an input's latest picture: its metadata, its video sequence header
     * and the video packets of its cached GOP from the keyframe, in that order (audio left out).
     * Taken on the channel loop; safe to call from any thread. Empty when the input has no GOP yet.
     *
     * @return completes with retained packets that the caller owns and must release, each one; fails
     *     when the channel has no such input
     */
    public Future<List<MediaPacket>> inputSnapshot(String inputName) {
        Promise<List<MediaPacket>> result = loop.newPromise();
        execute(() -> {
            Input input = find(inputName);
            if (input == null) {
                result.setFailure(
                        new IllegalArgumentException("channel " + name + " has no input '" + inputName + "'"));
                return;
            }
            List<MediaPacket> packets = input.picture();
            if (!result.trySuccess(packets)) {
                packets.forEach(MediaPacket::release);
            }
        });
        return result;
    }

    /** Snapshot of the inputs; call from any thread (values may be a moment old). */
    public List<InputStatus> inputStatus() {
        return inputs.status(clock.millis(), policy, switchover.activeName());
    }

    /** What each input with a connected encoder sends (platform rules judge it); call from any thread. */
    public java.util.Map<String, io.streamrepeater.status.platform.MediaFacts> inputMedia() {
        return inputs.media(clock.millis());
    }

    /** Whether the connected inputs could replace each other; call from any thread. */
    public Compatibility compatibility() {
        return inputs.compatibility();
    }

    /**
     * Operator switch to a named input. Automatic failback then waits until that input fails.
     *
     * @return completes when the switch is decided; fails when the input is unknown or unusable
     */
    public Future<Void> switchTo(String inputName) {
        Promise<Void> done = loop.newPromise();
        execute(() -> {
            Input target = find(inputName);
            long now = clock.millis();
            if (target == null) {
                done.setFailure(new IllegalArgumentException("channel " + name + " has no input '" + inputName + "'"));
                return;
            }
            if (target == switchover.active()) {
                done.setFailure(new IllegalStateException("input " + inputName + " already feeds channel " + name));
                return;
            }
            if (target == switchover.pending()) {
                done.setFailure(new IllegalStateException("channel " + name + " is already switching to input "
                        + inputName + " (waiting for its keyframe)"));
                return;
            }
            String why = target.unusableReason(now, policy);
            if (why != null) {
                done.setFailure(new IllegalStateException(
                        "input " + inputName + " of channel " + name + " cannot take over: " + why));
                return;
            }
            operatorHold = true;
            beginSwitch(target, "operator switch", policy.start(), now);
            done.setSuccess(null);
        });
        return done;
    }

    /**
     * Starts a failover drill: the active input is treated as failed for {@code duration} without
     * touching its encoder; the switch is real. The future completes with the report at the end.
     */
    public Future<RehearsalReport> rehearse(Duration duration) {
        Promise<RehearsalReport> result = loop.newPromise();
        execute(() -> {
            long now = clock.millis();
            if (rehearsal != null) {
                result.setFailure(new IllegalStateException("a rehearsal is already running on channel " + name));
                return;
            }
            Input active = switchover.active();
            if (active == null || active.slate()) {
                result.setFailure(new IllegalStateException("channel " + name + " has no active input to fail"));
                return;
            }
            rehearsal = new Rehearsal(active, now, clock.instant().toEpochMilli(), duration.toMillis(), result);
            active.failedByRehearsalUntil(now + duration.toMillis());
            event(
                    ChannelEventType.REHEARSAL_STARTED,
                    active.name(),
                    null,
                    "input " + active.name() + " marked failed for " + duration.toMillis() + " ms");
            LOG.info(
                    "event=rehearsal-started channel={} input={} durationMs={}",
                    name,
                    active.name(),
                    duration.toMillis());
            evaluate(now);
            loop.schedule(this::endRehearsal, duration.toMillis(), TimeUnit.MILLISECONDS);
        });
        return result;
    }

    private void endRehearsal() {
        Rehearsal r = rehearsal;
        if (r == null) {
            return;
        }
        rehearsal = null;
        r.failed.failedByRehearsalUntil(-1);
        RehearsalReport report = r.report(name, compatibility(), policy.timeline());
        String to = r.switchedTo();
        event(
                ChannelEventType.REHEARSAL_ENDED,
                r.failed.name(),
                to,
                to == null ? "no input could take over" : "switched to " + to);
        LOG.info(
                "event=rehearsal-ended channel={} input={} switchedTo={} gapMs={}",
                name,
                r.failed.name(),
                report.switchedTo(),
                report.gapMs());
        evaluate(clock.millis());
        r.result.trySuccess(report);
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
            input.ended(reason);
            LOG.info("event=input-disconnected channel={} input={} reason=\"{}\"", name, input.name(), reason);
            input.tellListeners(name, l -> l.ended(reason));
            evaluate(clock.millis());
        });
    }

    private void inputStarted(Input input, InputSession session) {
        if (input.session() != session) {
            return;
        }
        LOG.info("event=input-connected channel={} input={} remote={}", name, input.name(), session.remoteAddress());
        input.started();
        input.tellListeners(name, InputListener::started);
        evaluate(clock.millis());
        if (started && healthTask == null) {
            scheduleHealthCheck(healthPeriodMs()); // the checks were idle while no input published
        }
    }

    /** Plays the slate packets due by now (the slate's own task calls this; tests call it by hand). */
    void playSlate() {
        if (slate != null) {
            slate.play();
        }
    }

    /** Runs the health check now (the periodic task calls this; tests call it with their own clock). */
    void tick() {
        checkHealth();
    }

    private void checkHealth() {
        if (!closed) {
            evaluate(clock.millis());
        }
    }

    /** The longest wait between two health checks: a fifth of {@code inputLossMs}, 20 to 100 ms. */
    private long healthPeriodMs() {
        return Math.max(20, Math.min(100, policy.inputLossMs() / 5));
    }

    /**
     * Checks health, then schedules the next check: after the period, or sooner when an input's media would be
     * {@code inputLossMs} old before that, so a frozen encoder is found within a few ms of the loss threshold rather
     * than up to a period later, without waking the loop more often.
     */
    private void checkHealthAndReschedule() {
        healthTask = null;
        if (closed) {
            return;
        }
        long now = clock.millis();
        evaluate(now);
        long next = healthPeriodMs();
        FailoverPolicy p = policy;
        boolean anyPublishing = false;
        for (Input i : inputs) {
            anyPublishing |= i.publishing();
            long last = i.lastSyncAtMs();
            if (i.publishing() && last >= 0 && !i.stale(now, p)) {
                next = Math.min(next, last + p.inputLossMs() + 1 - now);
            }
        }
        if (anyPublishing) {
            scheduleHealthCheck(Math.max(2, next));
        }
        // else idle until an input connects: an input without an encoder has nothing that can change with time (its
        // disconnection was evaluated when it happened), and a channel waiting for its show wakes no thread
    }

    /** Whether a health check is due (tests); on the channel loop. */
    boolean healthCheckScheduled() {
        return healthTask != null;
    }

    private void scheduleHealthCheck(long delayMs) {
        if (!closed && healthTask == null) {
            healthTask = loop.schedule(this::checkHealthAndReschedule, delayMs, TimeUnit.MILLISECONDS);
        }
    }

    /** Reports input transitions and switches when the choice of input changed. */
    private void evaluate(long now) {
        FailoverPolicy p = policy;
        for (Input i : inputs) {
            i.checkBitrate(now, p);
            for (InputHealth.Transition t : i.transitions(now, p)) {
                switch (t) {
                    case DOWN -> {
                        String why = i.unusableReason(now, p);
                        LOG.info("event=input-down channel={} input={} reason=\"{}\"", name, i.name(), why);
                        event(ChannelEventType.INPUT_DOWN, i.name(), null, why);
                    }
                    case UP -> {
                        LOG.info("event=input-up channel={} input={}", name, i.name());
                        event(ChannelEventType.INPUT_UP, i.name(), null, "media with a keyframe");
                    }
                    case HEALTHY ->
                        event(ChannelEventType.INPUT_HEALTHY, i.name(), null, "media for " + p.clearMs() + " ms");
                }
            }
        }
        Input heading = switchover.heading();
        List<Switcher.View> views = inputs.views(now, p);
        Switcher.Decision d = Switcher.decide(views, heading == null ? null : heading.name(), operatorHold, p);
        operatorHold = d.operatorHold();
        if (d.action() != Switcher.Action.STAY) {
            beginSwitch(d.target() == null ? null : find(d.target()), d.reason(), d.start(), now);
        }
    }

    private void beginSwitch(Input target, String reason, StartMode start, long now) {
        Input from = switchover.active();
        FailoverPolicy p = policy;
        boolean fromUsable = from != null && from.candidate(now, p);
        // a detection delay only for a failure: an operator switch, a failback or a first start detected nothing
        long detection = from != null && !fromUsable ? (from.lastSyncAtMs() >= 0 ? now - from.lastSyncAtMs() : 0) : -1;
        if (rehearsal != null && from == rehearsal.failed) {
            detection = now - rehearsal.startedAtMs;
        }
        switchover.begin(target, reason, start, p.timeline(), fromUsable, detection, now, rehearsal);
    }

    private void onPacket(InputSession session, MediaPacket packet) {
        try {
            Input input = session.input();
            if (closed || input.session() != session) {
                return; // a packet from a session that was taken over or closed
            }
            long now = clock.millis();
            if (packet.sequenceHeader() || packet.metadata()) {
                input.header(packet);
                switchover.header(input, packet);
                input.tellPacket(name, packet);
                return;
            }
            FailoverPolicy p = policy;
            boolean wasCandidate = input.candidate(now, p);
            boolean wasStale = input.stale(now, p);
            input.onMedia(now, packet, p);
            if ((!wasCandidate && input.candidate(now, p)) || wasStale) {
                evaluate(now); // may start a switch to (or away from) this input right now
            }
            switchover.media(input, packet, p, now, rehearsal);
            input.cache(packet);
            input.tellPacket(name, packet);
        } finally {
            packet.release();
        }
    }

    /**
     * Cluster mode: this node took ({@code acquired}) or lost the channel's lease; the event joins the channel's
     * stream (SSE, webhooks). Safe from any thread: recorded on the channel's event loop.
     */
    public void recordLeaseEvent(boolean acquired, String node, String reason) {
        loop.execute(() -> recorder.lease(acquired, node, reason));
    }

    /**
     * Cluster mode: a node came up, went down, began or finished draining ({@link ChannelEventType#NODE_UP},
     * {@code NODE_DOWN}, {@code DRAIN_STARTED}, {@code DRAIN_FINISHED}); the event joins the channel's stream (SSE,
     * webhooks). Safe from any thread: recorded on the channel's event loop.
     *
     * @throws IllegalArgumentException for a type that is not a node event
     */
    public void recordNodeEvent(ChannelEventType type, String node, String reason) {
        switch (type) {
            case NODE_UP, NODE_DOWN, DRAIN_STARTED, DRAIN_FINISHED ->
                loop.execute(() -> recorder.node(type, node, reason));
            default -> throw new IllegalArgumentException(type + " is not a node event");
        }
    }

    /**
     * Adds a destination's state change to the channel's event stream (SSE, webhooks), so operators
     * see inputs, switches and destinations in one timeline. Safe from any thread.
     */
    public void recordDestinationEvent(String destination, String fromState, String toState, String reason) {
        recorder.destination(destination, fromState, toState, reason);
    }

    /**
     * Adds a change of a destination's platform verdict on an input to the channel's event stream (SSE, webhooks).
     * Safe from any thread.
     */
    public void recordVerdictEvent(String destination, String input, String from, String to, String reason) {
        recorder.verdict(destination, input, from, to, reason);
    }

    private void event(ChannelEventType type, String input, String to, String reason) {
        recorder.record(type, input, to, reason);
    }

    private Input find(String inputName) {
        return inputs.find(inputName);
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
        if (healthTask != null) {
            healthTask.cancel(false);
        }
        if (slate != null) {
            slate.stop();
        }
        for (Input i : inputs) {
            InputSession s = i.detach();
            if (s != null) {
                s.disconnect();
            }
            i.tellListeners(name, l -> l.ended("channel closed"));
            i.clearListeners();
            i.close();
        }
        output.close();
        Rehearsal r = rehearsal;
        if (r != null) {
            r.result.tryFailure(new IllegalStateException("channel " + name + " closed during the rehearsal"));
        }
    }
}
