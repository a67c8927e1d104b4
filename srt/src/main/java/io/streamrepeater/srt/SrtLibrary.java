package io.streamrepeater.srt;

import com.sun.jna.Native;
import io.streamrepeater.srt.binding.LibSrt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system's libsrt, loaded through JNA, or the reason it could not be: SRT ingest is optional, so a
 * machine without libsrt runs everything else and says why SRT is off instead of failing to start.
 *
 * <p>Loading also routes libsrt's own log (global to the process) to SLF4J, so libsrt never writes to
 * stderr by itself (see {@link LibsrtLog}). A library is loaded once per JVM; later calls return the same
 * instance.
 */
public final class SrtLibrary {
    /**
     * Debian's {@code libsrt1.5-openssl} (no unversioned symlink without the -dev package), then the
     * GnuTLS build that ffmpeg pulls in, then whatever {@code libsrt.so} the system's search path has.
     */
    public static final List<String> DEFAULT_CANDIDATES = List.of("libsrt.so.1.5", "libsrt-gnutls.so.1.5", "srt");

    private static final int REQUIRED_MAJOR = 1;
    private static final int REQUIRED_MINOR = 5;
    private static final int MAX_REASON_CHARS = 200;
    private static final Map<String, SrtLibrary> LOADED = new ConcurrentHashMap<>();

    private final LibSrt api;
    private final String name;
    private final String version;
    /** libsrt calls it for every log line: this reference keeps it from the garbage collector. */
    private final LibsrtLog log;

    private final String unavailableReason;

    private SrtLibrary(LibSrt api, String name, String version, LibsrtLog log, String unavailableReason) {
        this.api = api;
        this.name = name;
        this.version = version;
        this.log = log;
        this.unavailableReason = unavailableReason;
    }

    /** Loads the first of {@link #DEFAULT_CANDIDATES} that is there and is libsrt 1.5. Never throws. */
    public static SrtLibrary load() {
        return load(DEFAULT_CANDIDATES);
    }

    /**
     * Loads the first of {@code candidates} (file names such as {@code libsrt.so.1.5}, or a bare name such as
     * {@code srt}) that opens and reports version 1.5.x. Never throws for a missing or unsuitable library.
     *
     * @return an available library, or an unavailable one whose {@link #unavailableReason()} lists what each
     *     candidate failed with
     */
    public static synchronized SrtLibrary load(List<String> candidates) {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no libsrt candidate names to try");
        }
        List<String> failures = new ArrayList<>();
        for (String candidate : candidates) {
            SrtLibrary loaded = LOADED.get(candidate);
            if (loaded != null) {
                return loaded;
            }
            LibSrt api;
            try {
                api = Native.load(candidate, LibSrt.class);
            } catch (LinkageError | RuntimeException notLoadable) {
                failures.add(candidate + ": " + firstLine(notLoadable.getMessage()));
                continue;
            }
            int packed = api.srt_getversion();
            int major = (packed >>> 16) & 0xff;
            int minor = (packed >>> 8) & 0xff;
            String version = major + "." + minor + "." + (packed & 0xff);
            if (major != REQUIRED_MAJOR || minor != REQUIRED_MINOR) {
                failures.add(candidate + ": version " + version + ", but the statistics layout read here is "
                        + REQUIRED_MAJOR + "." + REQUIRED_MINOR + "'s");
                continue;
            }
            SrtLibrary library = new SrtLibrary(api, candidate, version, LibsrtLog.install(api), null);
            LOADED.put(candidate, library);
            return library;
        }
        String reason = "libsrt " + REQUIRED_MAJOR + "." + REQUIRED_MINOR + " not loadable ("
                + String.join("; ", failures) + "); on Debian/Ubuntu install libsrt1.5-openssl";
        return new SrtLibrary(null, null, null, null, reason);
    }

    /** True when SRT ingest can run. */
    public boolean available() {
        return api != null;
    }

    /** Why SRT ingest cannot run (one line); empty when it can. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** The library version, e.g. {@code 1.5.1}. */
    public String version() {
        return requireAvailable().version;
    }

    /** The candidate name the library was loaded by. */
    public String libraryName() {
        return requireAvailable().name;
    }

    LibSrt api() {
        return requireAvailable().api;
    }

    private SrtLibrary requireAvailable() {
        if (api == null) {
            throw new IllegalStateException("SRT is unavailable: " + unavailableReason);
        }
        return this;
    }

    private static String firstLine(String message) {
        String text = Objects.requireNonNullElse(message, "no message").strip();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline).strip();
        }
        return text.length() > MAX_REASON_CHARS ? text.substring(0, MAX_REASON_CHARS) + "…" : text;
    }

    @Override
    public String toString() {
        return available() ? "libsrt " + version + " (" + name + ")" : "libsrt unavailable: " + unavailableReason;
    }
}
