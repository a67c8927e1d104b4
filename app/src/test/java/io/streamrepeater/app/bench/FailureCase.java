package io.streamrepeater.app.bench;

import io.streamrepeater.app.FailoverRig;

/** How the benchmark fails the active input's encoder, and how it brings that encoder back afterwards. */
enum FailureCase {
    /** The encoder crashes: SIGKILL closes its TCP connection; it is restarted afterwards. */
    DISCONNECT("disconnect") {
        @Override
        void fail(FailoverRig rig, String input) {
            rig.encoder(input).kill();
        }

        @Override
        void recover(FailoverRig rig, String input) {
            rig.restartEncoder(input);
        }
    },
    /** The encoder hangs: SIGSTOP keeps its TCP connection open and sends nothing; SIGCONT afterwards. */
    STALL("stall") {
        @Override
        void fail(FailoverRig rig, String input) {
            rig.encoder(input).pause();
        }

        @Override
        void recover(FailoverRig rig, String input) {
            rig.encoder(input).resume();
        }
    };

    private final String label;

    FailureCase(String label) {
        this.label = label;
    }

    /** Makes the encoder of {@code input} fail. */
    abstract void fail(FailoverRig rig, String input);

    /** Brings the failed encoder of {@code input} back so that it can stand by again. */
    abstract void recover(FailoverRig rig, String input);

    String label() {
        return label;
    }
}
