package io.streamrepeater.amf0;

/**
 * Malformed or truncated AMF0/AMF3 input. The message names the marker or length at fault and the
 * byte offset, counted from where the read started.
 */
public final class Amf0Exception extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Amf0Exception(String message) {
        super(message);
    }
}
