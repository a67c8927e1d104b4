package io.streamrepeater.app;

/** The server could not start (port in use, unreadable file…); the message says what to fix. */
public final class StartupException extends RuntimeException {
    public StartupException(String message, Throwable cause) {
        super(message, cause);
    }
}
