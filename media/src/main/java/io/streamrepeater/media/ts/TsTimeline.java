package io.streamrepeater.media.ts;

/**
 * Turns the 33-bit 90 kHz timestamps of all elementary streams of one transport stream into
 * milliseconds on one time line: each stream is unwrapped across the 2^33 wrap (about every 26.5
 * hours) by taking the step from its previous timestamp modulo 2^33 as a signed value, and the
 * first timestamp of the whole transport stream becomes 0 ms.
 *
 * <p>A stream's first timestamp is unwrapped against the latest timestamp of any stream, so that
 * streams joining after a wrap land on the same side of it as the others.
 */
final class TsTimeline {
    static final long WRAP = 1L << 33;
    private static final long MASK = WRAP - 1;
    private static final long TICKS_PER_MS = 90;

    private boolean started;
    private long origin;
    private long latest;

    /** The position of one elementary stream on the time line. */
    final class Clock {
        private boolean clockStarted;
        private long last;

        /**
         * @param raw a 33-bit timestamp of this stream, in decoding order
         * @return the timestamp unwrapped, in 90 kHz ticks on the shared time line (not yet rebased)
         */
        long unwrap(long raw) {
            long reference = clockStarted ? last : started ? latest : raw;
            long unwrapped = reference + signedStep(reference, raw);
            clockStarted = true;
            last = unwrapped;
            if (!started) {
                started = true;
                origin = unwrapped;
            }
            latest = unwrapped;
            return unwrapped;
        }
    }

    Clock newClock() {
        return new Clock();
    }

    /**
     * The step from {@code reference} (any unwrapped value) to the 33-bit {@code raw}, taken modulo 2^33 and
     * read as signed: in [-2^32, 2^32).
     */
    static long signedStep(long reference, long raw) {
        long step = (raw - reference) & MASK;
        return step >= WRAP / 2 ? step - WRAP : step;
    }

    /** Milliseconds since the first timestamp of the transport stream, rounded to the nearest. */
    long toMillis(long unwrapped) {
        return Math.floorDiv(unwrapped - origin + TICKS_PER_MS / 2, TICKS_PER_MS);
    }
}
