package io.streamrepeater.bench.load;

/** Waiting in a benchmark driver (never on a server thread): the windows are wall-clock by definition. */
final class Pause {
    private Pause() {}

    static void millis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
