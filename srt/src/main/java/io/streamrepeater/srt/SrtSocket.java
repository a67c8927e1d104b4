package io.streamrepeater.srt;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import io.streamrepeater.srt.binding.LibSrt;
import io.streamrepeater.srt.binding.NativeSocketAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * One libsrt socket id with the calls made on it. Failures throw {@link SrtException} with libsrt's error,
 * which is per thread: read on the thread that made the call, which these methods do.
 */
final class SrtSocket {
    private static final int SRT_ERROR = -1;

    private final LibSrt api;
    private final int id;

    SrtSocket(LibSrt api, int id) {
        this.api = api;
        this.id = id;
    }

    int id() {
        return id;
    }

    void setInt(int option, int value, String what) {
        Memory memory = new Memory(Integer.BYTES);
        memory.setInt(0, value);
        check(api.srt_setsockflag(id, option, memory, Integer.BYTES), "set " + what + " to " + value);
    }

    /** Sets a string option; {@code what} names it in the error, the value is never repeated (it may be secret). */
    void setString(int option, String value, String what) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        Memory memory = new Memory(Math.max(1, bytes.length));
        memory.write(0, bytes, 0, bytes.length);
        check(api.srt_setsockflag(id, option, memory, bytes.length), "set " + what);
    }

    int getInt(int option, String what) {
        Memory memory = new Memory(Integer.BYTES);
        IntByReference length = new IntByReference(Integer.BYTES);
        check(api.srt_getsockflag(id, option, memory, length), "read " + what);
        return memory.getInt(0);
    }

    InetSocketAddress localAddress() {
        Memory memory = new Memory(NativeSocketAddress.STORAGE_BYTES);
        memory.clear();
        IntByReference length = new IntByReference((int) memory.size());
        check(api.srt_getsockname(id, memory, length), "read the local address");
        return NativeSocketAddress.read(memory);
    }

    /** Receives one message into {@code buffer}: its length, or -1 (see {@link #lastError()}). */
    int receive(Pointer buffer, int capacity) {
        return api.srt_recvmsg(id, buffer, capacity);
    }

    int state() {
        return api.srt_getsockstate(id);
    }

    int setRejectReason(int reason) {
        return api.srt_setrejectreason(id, reason);
    }

    int lastError() {
        return api.srt_getlasterror(null);
    }

    String lastErrorText() {
        return api.srt_getlasterror_str();
    }

    /** Closes the socket; a socket already gone is not an error. */
    void close() {
        api.srt_close(id);
    }

    void check(int result, String attempted) {
        if (result == SRT_ERROR) {
            int code = lastError();
            throw new SrtException(
                    "cannot " + attempted + " on SRT socket @" + id + ": " + lastErrorText() + " (SRT error " + code
                            + ")",
                    code);
        }
    }
}
