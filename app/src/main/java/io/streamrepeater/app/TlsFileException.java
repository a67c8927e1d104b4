package io.streamrepeater.app;

import java.nio.file.Path;

/**
 * A certificate or key file of the RTMPS listener that cannot be used. The message names the file and
 * what is wrong with it, never the contents of a key.
 */
final class TlsFileException extends RuntimeException {
    private final transient Path file;
    private final String reason;

    /**
     * @param role how the configuration calls the file: {@code certFile} or {@code keyFile}
     * @param file the file
     * @param reason what is wrong, e.g. "no such file"
     */
    TlsFileException(String role, Path file, String reason, Throwable cause) {
        super(role + " " + file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    Path file() {
        return file;
    }

    String reason() {
        return reason;
    }
}
