package io.streamrepeater.srt;

import com.sun.jna.Pointer;
import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.NativeSocketAddress;
import io.streamrepeater.srt.binding.SrtRejectReason;
import io.streamrepeater.srt.binding.SrtSocketOption;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listen callback: decides, during each caller's handshake and on libsrt's receiving thread, whether
 * it may go on, and with which passphrase.
 *
 * <p>Refused here, with an access-control code the caller sees: a server closing or full
 * ({@code 1402 overload}), a stream id that does not parse ({@code 1400}), one asking to play
 * ({@code 1403}), a key no input has ({@code 1404}), any key from an address the gate slows down after too many
 * unknown keys ({@code 1402}, {@link SrtIngestGate#refusedForMs}). Otherwise the new socket gets the input's passphrase
 * (or none) and libsrt itself then refuses, with enforced encryption on, a caller whose passphrase differs
 * or who encrypts when the input does not or the reverse; {@link LibsrtLog} tells the server of that.
 */
final class HandshakeAdmission implements LibSrt.ListenCallback {
    private static final Logger LOG = LoggerFactory.getLogger(SrtIngestServer.class);
    private static final int GO_ON = 0;
    private static final int REJECT = -1;

    private final LibSrt api;
    private final SrtIngestGate gate;
    private final PendingHandshakes pending;
    private final IntSupplier connectionsInUse;
    private final int maxConnections;
    private final BooleanSupplier closed;

    HandshakeAdmission(
            LibSrt api,
            SrtIngestGate gate,
            PendingHandshakes pending,
            IntSupplier connectionsInUse,
            int maxConnections,
            BooleanSupplier closed) {
        this.api = api;
        this.gate = gate;
        this.pending = pending;
        this.connectionsInUse = connectionsInUse;
        this.maxConnections = maxConnections;
        this.closed = closed;
    }

    @Override
    public int invoke(Pointer opaque, int socket, int handshakeVersion, Pointer peerAddress, Pointer streamId) {
        SrtSocket candidate = new SrtSocket(api, socket);
        InetSocketAddress peer = null;
        try {
            peer = NativeSocketAddress.read(peerAddress);
            String raw = streamId == null ? "" : streamId.getString(0, StandardCharsets.UTF_8.name());
            return admit(candidate, peer, raw);
        } catch (RuntimeException | Error e) {
            // an exception must not unwind into libsrt; JNA would return 0, which lets the caller in
            LOG.error("event=srt-rejected reason=internal-error remote={} error=\"{}\"", peer, e.toString());
            candidate.setRejectReason(SrtRejectReason.X_ISE);
            return REJECT;
        }
    }

    private int admit(SrtSocket candidate, InetSocketAddress peer, String raw) {
        if (closed.getAsBoolean()) {
            return reject(candidate, SrtRejectReason.X_OVERLOAD, "server-closing", peer, null);
        }
        if (connectionsInUse.getAsInt() >= maxConnections) {
            return reject(
                    candidate, SrtRejectReason.X_OVERLOAD, "too-many-connections max=" + maxConnections, peer, null);
        }
        StreamId id;
        try {
            id = StreamId.parse(raw);
        } catch (StreamId.InvalidStreamIdException invalid) {
            boolean notPublish = invalid.problem() == StreamId.Problem.NOT_A_PUBLISH;
            return reject(
                    candidate,
                    notPublish ? SrtRejectReason.X_FORBIDDEN : SrtRejectReason.X_BAD_REQUEST,
                    notPublish ? "not-a-publish" : "bad-stream-id",
                    peer,
                    invalid.getMessage());
        }
        long refusedForMs = gate.refusedForMs(peer);
        if (refusedForMs > 0) {
            // logged once per slowdown by the gate: a scanner's every attempt would flood the log
            candidate.setRejectReason(SrtRejectReason.X_OVERLOAD);
            LOG.debug("event=srt-rejected reason=too-many-unknown-keys remote={} retryAfterMs={}", peer, refusedForMs);
            return REJECT;
        }
        Optional<SrtInputAccess> access = gate.lookup(id.streamKey());
        if (access.isEmpty()) {
            gate.unknownKey(peer);
            return reject(candidate, SrtRejectReason.X_NOTFOUND, "unknown-stream-key", peer, null);
        }
        SrtInputAccess input = access.get();
        if (input.encrypted()) {
            candidate.setString(SrtSocketOption.PASSPHRASE, input.passphrase(), "the input's passphrase");
        }
        pending.add(candidate.id(), new PendingHandshakes.Pending(id.streamKey(), input, peer, System.nanoTime()));
        LOG.debug("event=srt-handshake input={} remote={} encrypted={}", input.label(), peer, input.encrypted());
        return GO_ON;
    }

    private static int reject(SrtSocket candidate, int code, String reason, InetSocketAddress peer, String detail) {
        candidate.setRejectReason(code);
        if (detail == null) {
            LOG.warn("event=srt-rejected reason={} remote={} code={}", reason, peer, code);
        } else {
            LOG.warn("event=srt-rejected reason={} remote={} code={} detail=\"{}\"", reason, peer, code, detail);
        }
        return REJECT;
    }
}
