package io.streamrepeater.rtmp.session;

/**
 * Turns RTMP's 32-bit millisecond timestamps into a continuous {@code long} timeline: a step back of
 * more than half the 32-bit range is taken as a wrap (after about 49.7 days), not as a jump back.
 */
final class TimestampUnwrapper {
    private static final long RANGE = 1L << 32;
    private long epoch;
    private long last = -1;

    long unwrap(long timestamp32) {
        if (last >= 0) {
            long delta = timestamp32 - last;
            if (delta < -(RANGE / 2)) {
                epoch += RANGE;
            } else if (delta > RANGE / 2 && epoch > 0) {
                // a late packet from before the wrap
                last = timestamp32;
                return epoch - RANGE + timestamp32;
            }
        }
        last = timestamp32;
        return epoch + timestamp32;
    }
}
