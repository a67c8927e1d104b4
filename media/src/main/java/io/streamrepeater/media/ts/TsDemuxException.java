package io.streamrepeater.media.ts;

/**
 * A transport stream that breaks one of the demuxer's limits: the stream cannot be followed further
 * and the ingest should be closed with this message.
 */
public final class TsDemuxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TsDemuxException(String message) {
        super(message);
    }
}
