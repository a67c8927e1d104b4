package io.streamrepeater.rtmp.message;

/** A message whose body cannot be decoded; the connection that sent it is closed. */
public final class MalformedMessageException extends RuntimeException {
    public MalformedMessageException(String message) {
        super(message);
    }
}
