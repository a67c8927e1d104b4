package io.streamrepeater.srt;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The port through which the SRT listener asks the application about stream keys and hands it what
 * arrives. The application implements it; tests use lambdas.
 */
public interface SrtIngestGate {
    /**
     * Called during the handshake, on libsrt's receiving thread: keep it quick and never block.
     *
     * @param streamKey the secret key the caller sent; never log it
     * @return the input this key names, or empty when no input has it (the caller is refused)
     */
    Optional<SrtInputAccess> lookup(String streamKey);

    /**
     * Called during the handshake, before {@link #lookup}, on libsrt's receiving thread (never block): how long every
     * handshake from {@code peer} is still refused outright, after too many unknown keys from it (the application's
     * per-address slowdown, as for wrong RTMP keys: the handshake cannot be answered later, so it is refused).
     *
     * @return milliseconds left; 0 (the default) when the caller may go on
     */
    default long refusedForMs(InetSocketAddress peer) {
        return 0;
    }

    /** Called during the handshake when {@code peer} named a key no input has (on libsrt's thread; never block). */
    default void unknownKey(InetSocketAddress peer) {}

    /**
     * Called once the connection is up (on the connection's own thread) to start a publish.
     *
     * @param streamKey the key {@link #lookup} accepted
     * @param peer the caller's address
     * @param disconnect closes this SRT connection, from any thread; the sink then gets {@code end}
     * @return where the media goes, or {@code null} to refuse (e.g. the input is already live), which closes
     *     the connection
     */
    SrtPublishSink open(String streamKey, InetSocketAddress peer, Runnable disconnect);
}
