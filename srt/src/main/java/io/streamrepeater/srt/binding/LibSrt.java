package io.streamrepeater.srt.binding;

import com.sun.jna.Callback;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The few calls of libsrt 1.5 ({@code srt/srt.h}) that the SRT listener uses, mapped by JNA. Names and
 * argument order are those of the C API so that the header is the documentation; {@code SRTSOCKET} is an
 * {@code int}. Most calls return {@code -1} ({@code SRT_ERROR}) on failure; the reason is then
 * {@link #srt_getlasterror(Pointer)} and {@link #srt_getlasterror_str()}, both per thread.
 */
@SuppressWarnings("checkstyle:MethodName")
public interface LibSrt extends Library {

    /** {@code srt_listen_callback_fn}: called on libsrt's receiving thread during a caller's handshake. */
    interface ListenCallback extends Callback {
        /**
         * @param opaque the pointer given to {@link #srt_listen_callback}
         * @param socket the socket that the connection will have (what {@code srt_accept} returns later)
         * @param handshakeVersion 4 or 5
         * @param peerAddress the caller's {@code struct sockaddr}, valid during the call only
         * @param streamId the caller's {@code SRTO_STREAMID} as a C string (may be empty), valid during the call only
         * @return 0 to go on with the handshake, -1 to reject it (after {@link #srt_setrejectreason})
         */
        int invoke(Pointer opaque, int socket, int handshakeVersion, Pointer peerAddress, Pointer streamId);
    }

    /** {@code SRT_LOG_HANDLER_FN}: receives every line libsrt logs, on whichever thread logs it. */
    interface LogHandler extends Callback {
        void invoke(Pointer opaque, int level, String file, int line, String area, String message);
    }

    int srt_startup();

    int srt_cleanup();

    /** {@code uint32_t}: major in bits 16-23, minor in 8-15, patch in 0-7. */
    int srt_getversion();

    int srt_create_socket();

    int srt_bind(int socket, Pointer address, int addressLength);

    int srt_listen(int socket, int backlog);

    int srt_listen_callback(int listener, ListenCallback callback, Pointer opaque);

    /** Blocks until a connection is ready; fails with {@code SRT_ESCLOSED} once the listener is closed. */
    int srt_accept(int listener, Pointer address, IntByReference addressLength);

    int srt_close(int socket);

    /** The local address a socket is bound to (the port the system chose for port 0). */
    int srt_getsockname(int socket, Pointer address, IntByReference addressLength);

    int srt_setsockflag(int socket, int option, Pointer value, int valueLength);

    int srt_getsockflag(int socket, int option, Pointer value, IntByReference valueLength);

    /** Reads one message (one UDP payload in live mode) into {@code buffer}; the number of bytes, or -1. */
    int srt_recvmsg(int socket, Pointer buffer, int length);

    /** {@code SRT_SOCKSTATUS} of a socket ({@link SrtSocketStatus}). */
    int srt_getsockstate(int socket);

    /** Fills {@code stats}; {@code clear} 1 resets the interval counters, 0 keeps them running. */
    int srt_bstats(int socket, TraceBStats stats, int clear);

    /** The last error of the calling thread ({@link SrtErrors}); {@code errnoLocation} may be null. */
    int srt_getlasterror(Pointer errnoLocation);

    String srt_getlasterror_str();

    int srt_setrejectreason(int socket, int reason);

    int srt_getrejectreason(int socket);

    String srt_rejectreason_str(int reason);

    /** Only lines of this syslog level or more severe are produced ({@link SrtLogLevel}). */
    void srt_setloglevel(int level);

    void srt_setlogflags(int flags);

    /** Replaces libsrt's default (stderr) log output for the whole process. */
    void srt_setloghandler(Pointer opaque, LogHandler handler);
}
