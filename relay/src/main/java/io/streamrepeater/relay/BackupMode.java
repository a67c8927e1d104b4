package io.streamrepeater.relay;

/** How a destination with a backup address uses it. */
public enum BackupMode {
    /** Publish to the primary and the backup address at once, two supervised connections. */
    BOTH,
    /** Publish to the primary; use the backup address only while the primary fails. */
    FALLBACK
}
