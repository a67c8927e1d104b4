package io.streamrepeater.srt;

/**
 * What the listener needs to know, during a handshake, about the input a stream key names.
 *
 * @param label {@code channel/input}, for log lines (never the key)
 * @param passphrase the SRT passphrase the caller must use (10 to 79 characters), or {@code null} for an
 *     input that takes unencrypted streams only
 */
public record SrtInputAccess(String label, String passphrase) {
    /** libsrt's bounds for {@code SRTO_PASSPHRASE}. */
    public static final int MIN_PASSPHRASE_LENGTH = 10;

    public static final int MAX_PASSPHRASE_LENGTH = 79;

    public SrtInputAccess {
        if (label == null || label.isBlank()) {
            throw new IllegalArgumentException("an SRT input needs a label (channel/input) for its log lines");
        }
        if (passphrase != null
                && (passphrase.length() < MIN_PASSPHRASE_LENGTH || passphrase.length() > MAX_PASSPHRASE_LENGTH)) {
            throw new IllegalArgumentException("the SRT passphrase of " + label + " has " + passphrase.length()
                    + " characters; SRT needs " + MIN_PASSPHRASE_LENGTH + " to " + MAX_PASSPHRASE_LENGTH);
        }
    }

    /** True when callers must encrypt with {@link #passphrase()}. */
    public boolean encrypted() {
        return passphrase != null;
    }

    @Override
    public String toString() {
        return "SrtInputAccess[label=" + label + ", passphrase=" + (passphrase == null ? "none" : "<redacted>") + "]";
    }
}
