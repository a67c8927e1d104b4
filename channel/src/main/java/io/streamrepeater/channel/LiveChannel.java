package io.streamrepeater.channel;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamrepeater.media.CodecHeaders;
import io.streamrepeater.media.FlvFile;
import io.streamrepeater.media.GopCache;
import io.streamrepeater.media.MediaKind;
import io.streamrepeater.media.MediaPacket;
import io.streamrepeater.status.ChannelEvent;
import io.streamrepeater.status.ChannelEventType;
import io.streamrepeater.status.Compatibility;
import io.streamrepeater.status.Failback;
import io.streamrepeater.status.InputStatus;
import io.streamrepeater.status.RehearsalReport;
import io.streamrepeater.status.StartMode;
import io.streamrepeater.status.Timeline;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
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
 */
public final class LiveChannel {
    private static final Logger log = LoggerFactory.getLogger(LiveChannel.class);
    static final long GOP_MAX_BYTES = 64L << 20;
    static final int GOP_MAX_PACKETS = 20_000;
    static final String SLATE = "slate";

    private final String name;
    private final EventExecutor loop;
    private final Clock clock;
    private volatile FailoverPolicy policy;
    /** Priority order; replaced on reconfiguration, read by status snapshots on other threads. */
    private final List<Input> inputs = new CopyOnWriteArrayList<>();

    private final List<ChannelOutput> outputs = new CopyOnWriteArrayList<>();
    private final OutputTimeline timeline = new OutputTimeline();
    /** What the destinations last received: replayed to a destination that (re)connects. */
    private final CodecHeaders outputHeaders = new CodecHeaders();

    private final GopCache outputGop = new GopCache(GOP_MAX_BYTES, GOP_MAX_PACKETS);
    private final ChannelEvents events = new ChannelEvents(1000);
    /** The input whose packets reach the output now (null while holding). */
    private Input active;
    /** The input the channel is switching to, waiting for its keyframe. */
    private Input pending;

    private SwitchInProgress switching;
    /** Set by an operator switch: automatic failback waits until the chosen input fails. */
    private boolean operatorHold;

    private Rehearsal rehearsal;
    private volatile String activeName;
    private ScheduledFuture<?> healthTask;
    private SlatePlayer slate;
    private boolean closed;

    private record SwitchInProgress(String from, String to, String reason, long decidedAtMs, long detectionDelayMs) {}

    private static final class Rehearsal {
        final Input failed;
        final long startedAtMs;
        final long startedAtEpochMs;
        final long durationMs;
        final Promise<RehearsalReport> result;
        ChannelEvent switchEvent;

        Rehearsal(
                Input failed,
                long startedAtMs,
                long startedAtEpochMs,
                long durationMs,
                Promise<RehearsalReport> result) {
            this.failed = failed;
            this.startedAtMs = startedAtMs;
            this.startedAtEpochMs = startedAtEpochMs;
            this.durationMs = durationMs;
            this.result = result;
        }
    }

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
        int priority = 0;
        for (InputSpec spec : inputSpecs) {
            inputs.add(new Input(spec.name(), priority++, spec.allowTakeover()));
        }
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
        return activeName;
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
        Input input = new Input(SLATE, inputs.size(), true);
        input.isSlate = true;
        inputs.add(input);
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
            List<Input> next = new ArrayList<>();
            for (InputSpec spec : specs) {
                Input existing = find(spec.name());
                Input input = existing != null && !existing.isSlate
                        ? existing
                        : new Input(spec.name(), next.size(), spec.allowTakeover());
                input.priority = next.size();
                input.allowTakeover = spec.allowTakeover();
                next.add(input);
            }
            Input slateInput =
                    inputs.stream().filter(i -> i.isSlate).findFirst().orElse(null);
            for (Input old : inputs) {
                if (!old.isSlate && !next.contains(old)) {
                    log.info("event=input-removed channel={} input={}", name, old.name);
                    InputSession s = old.current.getAndSet(null);
                    if (s != null) {
                        s.disconnect();
                    }
                    if (old == pending) {
                        pending = null;
                    }
                    if (old == active) {
                        active = null;
                        activeName = null;
                        timeline.endSegment();
                    }
                    old.close();
                }
            }
            if (slateInput != null) {
                slateInput.priority = next.size();
                next.add(slateInput);
            }
            inputs.clear();
            inputs.addAll(next);
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
            Input slateInput = find(SLATE);
            if (file == null) {
                if (slateInput != null) {
                    inputs.remove(slateInput);
                    slateInput.current.set(null);
                    if (slateInput == active) {
                        active = null;
                        activeName = null;
                        timeline.endSegment();
                    }
                    if (slateInput == pending) {
                        pending = null;
                    }
                    slateInput.close();
                }
                evaluate(clock.millis());
            } else {
                if (slateInput == null) {
                    Input input = new Input(SLATE, inputs.size(), true);
                    input.isSlate = true;
                    inputs.add(input);
                }
                InputSession session = openInput(SLATE, "file " + file.source(), () -> {});
                slate = new SlatePlayer(file, session, loop, clock::millis);
                if (healthTask != null) {
                    slate.start();
                }
            }
            done.setSuccess(null);
        });
        return done;
    }

    /** Starts the periodic health check that detects inputs with no media (a frozen encoder), and the slate. */
    public void start() {
        healthTask = loop.schedule(this::checkHealthAndReschedule, healthPeriodMs(), TimeUnit.MILLISECONDS);
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
        Input input = find(inputName);
        if (input == null) {
            return null;
        }
        InputSession session = new InputSession(this, input, remoteAddress, disconnect, transport);
        InputSession previous;
        if (input.allowTakeover) {
            previous = input.current.getAndSet(session);
        } else {
            if (!input.current.compareAndSet(null, session)) {
                log.warn(
                        "event=publish-refused channel={} input={} remote={} reason=\"input already live; takeover disabled\"",
                        name,
                        inputName,
                        remoteAddress);
                return null;
            }
            previous = null;
        }
        if (previous != null) {
            log.warn(
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
            List<MediaPacket> packets = new ArrayList<>();
            List<MediaPacket> gop = input.gop.snapshot();
            if (!gop.isEmpty()) {
                if (input.headers.metadata() != null) {
                    packets.add(input.headers.metadata().retainedDuplicate());
                }
                if (input.headers.videoHeader() != null) {
                    packets.add(input.headers.videoHeader().retainedDuplicate());
                }
            }
            for (MediaPacket p : gop) {
                if (p.kind() == MediaKind.VIDEO) {
                    packets.add(p);
                } else {
                    p.release();
                }
            }
            if (!result.trySuccess(packets)) {
                packets.forEach(MediaPacket::release);
            }
        });
        return result;
    }

    /** Snapshot of the inputs; call from any thread (values may be a moment old). */
    public List<InputStatus> inputStatus() {
        long now = clock.millis();
        String a = activeName;
        FailoverPolicy p = policy;
        List<InputStatus> list = new ArrayList<>();
        for (Input i : inputs) {
            InputFormat f = i.format;
            list.add(i.status(i.name.equals(a), now, p, f == null ? null : f.describe()));
        }
        return list;
    }

    /** Whether the connected inputs could replace each other; call from any thread. */
    public Compatibility compatibility() {
        List<String> mismatches = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Input reference = null;
        for (Input i : inputs) {
            if (i.isSlate || !i.publishing() || i.format == null) {
                continue;
            }
            if (reference == null) {
                reference = i;
                continue;
            }
            mismatches.addAll(reference.format.differencesFrom(i.format, reference.name, i.name));
        }
        List<Input> connected =
                inputs.stream().filter(i -> !i.isSlate && i.publishing()).toList();
        for (int a = 0; a < connected.size(); a++) {
            for (int b = a + 1; b < connected.size(); b++) {
                String hostA = host(connected.get(a).current.get());
                String hostB = host(connected.get(b).current.get());
                if (hostA != null && hostA.equals(hostB)) {
                    warnings.add(connected.get(a).name + " and " + connected.get(b).name
                            + " arrive from the same address " + hostA + ": one network failure takes both down");
                }
            }
        }
        return new Compatibility(mismatches.isEmpty(), mismatches, warnings);
    }

    private static String host(InputSession s) {
        if (s == null || s.remoteAddress() == null) {
            return null;
        }
        String r = s.remoteAddress();
        int colon = r.lastIndexOf(':');
        String h = colon > 0 ? r.substring(0, colon) : r;
        return h.startsWith("/") ? h.substring(1) : h;
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
            if (target == active) {
                done.setFailure(new IllegalStateException("input " + inputName + " already feeds channel " + name));
                return;
            }
            if (target == pending) {
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
            beginSwitch(target, "operator switch", now);
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
            if (active == null || active.isSlate) {
                result.setFailure(new IllegalStateException("channel " + name + " has no active input to fail"));
                return;
            }
            rehearsal = new Rehearsal(active, now, clock.instant().toEpochMilli(), duration.toMillis(), result);
            active.rehearsalUntilMs = now + duration.toMillis();
            event(
                    ChannelEventType.REHEARSAL_STARTED,
                    active.name,
                    null,
                    null,
                    "input " + active.name + " marked failed for " + duration.toMillis() + " ms",
                    -1,
                    -1,
                    -1,
                    -1);
            log.info(
                    "event=rehearsal-started channel={} input={} durationMs={}",
                    name,
                    active.name,
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
        r.failed.rehearsalUntilMs = -1;
        ChannelEvent sw = r.switchEvent;
        RehearsalReport report = new RehearsalReport(
                name,
                r.failed.name,
                r.durationMs,
                r.startedAtEpochMs,
                sw == null ? null : sw.to(),
                sw == null ? -1 : sw.detectionDelayMs(),
                sw == null ? -1 : sw.switchMs(),
                sw == null ? -1 : sw.gapMs(),
                sw == null ? -1 : sw.repeatedMs(),
                Map.of(),
                compatibility(),
                policy.timeline() == Timeline.REALTIME ? "realtime" : "continuous",
                List.of());
        event(
                ChannelEventType.REHEARSAL_ENDED,
                r.failed.name,
                null,
                sw == null ? null : sw.to(),
                sw == null ? "no input could take over" : "switched to " + sw.to(),
                -1,
                -1,
                -1,
                -1);
        log.info(
                "event=rehearsal-ended channel={} input={} switchedTo={} gapMs={}",
                name,
                r.failed.name,
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
            input.downReason = reason;
            log.info("event=input-disconnected channel={} input={} reason=\"{}\"", name, input.name, reason);
            evaluate(clock.millis());
        });
    }

    private void inputStarted(Input input, InputSession session) {
        if (input.current.get() != session) {
            return;
        }
        log.info("event=input-connected channel={} input={} remote={}", name, input.name, session.remoteAddress());
        input.resetForNewSession();
        input.downReason = null;
        evaluate(clock.millis());
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
        if (closed) {
            return;
        }
        long now = clock.millis();
        evaluate(now);
        long next = healthPeriodMs();
        FailoverPolicy p = policy;
        for (Input i : inputs) {
            long last = i.lastSyncAtMs();
            if (i.publishing() && last >= 0 && !i.stale(now, p)) {
                next = Math.min(next, last + p.inputLossMs() + 1 - now);
            }
        }
        healthTask = loop.schedule(this::checkHealthAndReschedule, Math.max(2, next), TimeUnit.MILLISECONDS);
    }

    /** Reports input transitions and switches when the choice of input changed. */
    private void evaluate(long now) {
        FailoverPolicy p = policy;
        for (Input i : inputs) {
            i.checkBitrate(now, p);
            String why = i.unusableReason(now, p);
            if (why != null && !i.reportedDown) {
                i.reportedDown = true;
                i.reportedHealthy = false;
                log.info("event=input-down channel={} input={} reason=\"{}\"", name, i.name, why);
                event(ChannelEventType.INPUT_DOWN, i.name, null, null, why, -1, -1, -1, -1);
            } else if (why == null && i.reportedDown) {
                i.reportedDown = false;
                log.info("event=input-up channel={} input={}", name, i.name);
                event(ChannelEventType.INPUT_UP, i.name, null, null, "media with a keyframe", -1, -1, -1, -1);
            }
            if (why == null && !i.reportedHealthy && i.healthy(now, p)) {
                i.reportedHealthy = true;
                event(
                        ChannelEventType.INPUT_HEALTHY,
                        i.name,
                        null,
                        null,
                        "media for " + p.clearMs() + " ms",
                        -1,
                        -1,
                        -1,
                        -1);
            }
        }
        Input heading = pending != null ? pending : active;
        Input desired = choose(now, p);
        if (desired != heading) {
            beginSwitch(desired, reasonFor(heading, desired, now, p), now);
        }
    }

    private Input choose(long now, FailoverPolicy p) {
        Input current = pending != null ? pending : active;
        boolean currentUsable = current != null && current.candidate(now, p);
        if (!currentUsable) {
            operatorHold = false;
        }
        if (currentUsable && current.isSlate) {
            // The slate is a last resort: leave it as soon as a real input can feed the output.
            Input real = best(now, p, false);
            return real != null ? real : current;
        }
        if (currentUsable) {
            if (p.failback() == Failback.AUTO && !operatorHold) {
                for (Input i : inputs) {
                    if (i.priority < current.priority && !i.isSlate && i.healthy(now, p)) {
                        return i;
                    }
                }
            }
            return current;
        }
        Input real = best(now, p, false);
        return real != null ? real : best(now, p, true);
    }

    /** Highest-priority healthy input, else highest-priority usable one; the slate only when allowed. */
    private Input best(long now, FailoverPolicy p, boolean slateAllowed) {
        for (Input i : inputs) {
            if ((slateAllowed || !i.isSlate) && i.healthy(now, p)) {
                return i;
            }
        }
        for (Input i : inputs) {
            if ((slateAllowed || !i.isSlate) && i.candidate(now, p)) {
                return i;
            }
        }
        return null;
    }

    private String reasonFor(Input from, Input to, long now, FailoverPolicy p) {
        if (from == null) {
            return to == null ? "no input" : "input " + to.name + " available";
        }
        String why = from.unusableReason(now, p);
        if (why != null) {
            return "input " + from.name + ": " + why;
        }
        if (from.isSlate) {
            return "input " + to.name + " available";
        }
        return "failback to " + to.name + " (healthy for " + p.clearMs() + " ms)";
    }

    private void beginSwitch(Input target, String reason, long now) {
        Input from = active;
        boolean fromUsable = from != null && from.candidate(now, policy);
        // a detection delay only for a failure: an operator switch, a failback or a first start detected nothing
        long detection = from != null && !fromUsable ? (from.lastSyncAtMs() >= 0 ? now - from.lastSyncAtMs() : 0) : -1;
        if (rehearsal != null && from == rehearsal.failed) {
            detection = now - rehearsal.startedAtMs;
        }
        String fromName = from == null ? null : from.name;
        String toName = target == null ? null : target.name;
        log.info(
                "event=switch-decided channel={} from={} to={} reason=\"{}\" detectionDelayMs={}",
                name,
                fromName == null ? "-" : fromName,
                toName == null ? "-" : toName,
                reason,
                detection);
        switching = new SwitchInProgress(fromName, toName, reason, now, detection);
        if (!fromUsable) {
            active = null;
            activeName = null;
            timeline.endSegment();
        }
        if (target == null) {
            pending = null;
            event(
                    ChannelEventType.SWITCH,
                    null,
                    fromName,
                    null,
                    reason + "; holding the destinations open",
                    detection,
                    -1,
                    -1,
                    -1);
            switching = null;
            return;
        }
        pending = target;
        if (policy.start() == StartMode.CACHED && startFromCache(target, now)) {
            return;
        }
        // next-keyframe (or an empty cache): the switch completes at the target's next keyframe
    }

    /** Starts {@code target} at once from its GOP cache; false when the cache holds no keyframe. */
    private boolean startFromCache(Input target, long now) {
        List<MediaPacket> gop = target.gop.snapshot();
        try {
            if (gop.isEmpty() || !gop.get(0).isVideoKeyframe()) {
                return false;
            }
            long newest = gop.get(gop.size() - 1).dts();
            MediaPacket first = gop.get(0);
            completeSwitch(target, first, now, Math.max(0, newest - first.dts()));
            for (MediaPacket p : gop) {
                emit(p, now);
            }
            return true;
        } finally {
            gop.forEach(MediaPacket::release);
        }
    }

    /** Makes {@code target} active: a new segment starting at its keyframe {@code first}, headers first. */
    private void completeSwitch(Input target, MediaPacket first, long now, long contentAgeMs) {
        long lastBefore = timeline.started() ? timeline.lastDts() : -1;
        active = target;
        activeName = target.name;
        pending = null;
        InputFormat format = target.format;
        double frameMs = target.cadence.frameMs(format == null ? 0 : format.frameRate());
        double gridMs = timeline.gridFrameMs();
        if (frameMs > 0 && gridMs > 0 && Math.abs(frameMs - gridMs) <= gridMs * 0.002) {
            frameMs = gridMs; // the same rate as far as its frames can tell: keep to what was sent
        }
        long firstOut = timeline.beginSegment(
                first.dts(),
                first.pts(),
                first.isVideoKeyframe(),
                frameMs,
                target.cadence.phaseMs(frameMs),
                policy.timeline(),
                now,
                contentAgeMs);
        for (MediaPacket h : target.headers.retainedAll()) {
            try {
                emitHeader(h);
            } finally {
                h.release();
            }
        }
        SwitchInProgress s = switching;
        switching = null;
        long gap = lastBefore < 0 ? -1 : firstOut - lastBefore;
        long switchMs = s == null ? 0 : now - s.decidedAtMs();
        String from = s == null ? null : s.from();
        String reason = s == null ? "input " + target.name + " available" : s.reason();
        long detection = s == null ? -1 : s.detectionDelayMs();
        log.info(
                "event=switch channel={} from={} to={} reason=\"{}\" detectionDelayMs={} switchMs={} gapMs={} repeatedMs={}",
                name,
                from == null ? "-" : from,
                target.name,
                reason,
                detection,
                switchMs,
                gap,
                contentAgeMs);
        ChannelEvent e =
                event(ChannelEventType.SWITCH, null, from, target.name, reason, detection, switchMs, gap, contentAgeMs);
        if (rehearsal != null && rehearsal.switchEvent == null && rehearsal.failed.name.equals(from)) {
            rehearsal.switchEvent = e;
        }
    }

    private void onPacket(InputSession session, MediaPacket packet) {
        try {
            Input input = session.input();
            if (closed || input.current.get() != session) {
                return; // a packet from a session that was taken over or closed
            }
            input.packets++;
            long now = clock.millis();
            if (packet.sequenceHeader() || packet.metadata()) {
                input.headers.update(packet);
                input.format = InputFormat.of(input.headers, input.gop.keyframeIntervalMs());
                if (input == active && timeline.segmentOpen()) {
                    emitHeader(packet);
                }
                return;
            }
            FailoverPolicy p = policy;
            boolean wasCandidate = input.candidate(now, p);
            boolean wasStale = input.stale(now, p);
            input.onMedia(now, packet, p);
            if ((!wasCandidate && input.candidate(now, p)) || wasStale) {
                evaluate(now); // may start a switch to (or away from) this input right now
            }
            if (input == pending && input.syncPoint(packet, now, p)) {
                completeSwitch(input, packet, now, 0);
            }
            if (input == active && timeline.segmentOpen()) {
                emit(packet, now);
            }
            long kfBefore = input.gop.keyframeIntervalMs();
            input.gop.add(packet);
            if (packet.isVideoKeyframe() && input.gop.keyframeIntervalMs() != kfBefore) {
                input.format = InputFormat.of(input.headers, input.gop.keyframeIntervalMs());
            }
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

    private void emit(MediaPacket packet, long now) {
        if (packet.kind() == MediaKind.VIDEO && !timeline.admitsVideo(packet.isVideoKeyframe(), packet.pts())) {
            return; // refers to frames the destinations never got
        }
        if (packet.kind() == MediaKind.AUDIO && !timeline.admitsAudio(packet.dts())) {
            return; // overlaps audio already sent (late audio of a new input)
        }
        MediaPacket out = packet.withDts(timeline.map(packet.kind(), packet.dts(), packet.compositionTimeMs(), now));
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

    /**
     * Adds a destination's state change to the channel's event stream (SSE, webhooks), so operators
     * see inputs, switches and destinations in one timeline. Safe from any thread.
     */
    public void recordDestinationEvent(String destination, String fromState, String toState, String reason) {
        events.add(new ChannelEvent(
                ChannelEvents.nextSequence(),
                clock.instant().toEpochMilli(),
                name,
                ChannelEventType.DESTINATION_STATE,
                null,
                fromState,
                toState,
                reason,
                -1,
                -1,
                -1,
                -1,
                destination));
    }

    private ChannelEvent event(
            ChannelEventType type,
            String input,
            String from,
            String to,
            String reason,
            long detection,
            long switchMs,
            long gap,
            long repeated) {
        ChannelEvent e = new ChannelEvent(
                ChannelEvents.nextSequence(),
                clock.instant().toEpochMilli(),
                name,
                type,
                input,
                from,
                to,
                reason,
                detection,
                switchMs,
                gap,
                repeated);
        events.add(e);
        return e;
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
        if (healthTask != null) {
            healthTask.cancel(false);
        }
        if (slate != null) {
            slate.stop();
        }
        for (Input i : inputs) {
            InputSession s = i.current.getAndSet(null);
            if (s != null) {
                s.disconnect();
            }
            i.close();
        }
        outputHeaders.close();
        outputGop.close();
        Rehearsal r = rehearsal;
        if (r != null) {
            r.result.tryFailure(new IllegalStateException("channel " + name + " closed during the rehearsal"));
        }
    }
}
