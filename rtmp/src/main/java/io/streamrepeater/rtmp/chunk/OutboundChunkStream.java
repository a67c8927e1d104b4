package io.streamrepeater.rtmp.chunk;

/**
 * What the encoder last sent on one chunk stream, to pick the smallest header the peer can still decode
 * unambiguously.
 */
final class OutboundChunkStream {
    private static final long HALF_RANGE = 0x80000000L;

    private boolean started;
    private long timestamp;
    private long delta;
    private boolean deltaKnown;
    private int length;
    private int typeId;
    private int messageStreamId;

    /** The header format and timestamp field for {@code message}; records it as the last message sent. */
    HeaderChoice next(RawMessage message) {
        long ts = message.timestamp();
        int len = message.payload().readableBytes();
        long newDelta = (ts - timestamp) & ChunkFramer.TIMESTAMP_MASK;
        HeaderChoice choice;
        // Timestamps are serial numbers modulo 2^32: a "delta" of half the range or more is a step backwards,
        // which only format 0 can express.
        if (!started || message.messageStreamId() != messageStreamId || newDelta >= HALF_RANGE) {
            choice = new HeaderChoice(0, ts);
            // Peers disagree on the delta a format-3 header implies right after a format-0 one, so we never rely on it.
            deltaKnown = false;
        } else {
            int format;
            if (len != length || message.typeId() != typeId) {
                format = 1;
            } else if (deltaKnown && newDelta == delta) {
                format = 3;
            } else {
                format = 2;
            }
            choice = new HeaderChoice(format, newDelta);
            delta = newDelta;
            deltaKnown = true;
        }
        started = true;
        timestamp = ts;
        length = len;
        typeId = message.typeId();
        messageStreamId = message.messageStreamId();
        return choice;
    }

    /** @param timestampField what goes into the header: absolute timestamp for format 0, delta otherwise */
    record HeaderChoice(int format, long timestampField) {}
}
