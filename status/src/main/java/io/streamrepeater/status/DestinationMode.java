package io.streamrepeater.status;

import java.util.Locale;

/**
 * How a destination with a {@code backupUrl} uses it. One definition for the configuration file, the API, the
 * store and the relay's destination supervision.
 */
public enum DestinationMode {
    /** Push to the primary and the backup address at once (the platform's own redundancy), two supervised connections. */
    BOTH,
    /** Push to the backup address only while the primary address fails. */
    FALLBACK;

    /** @return the spelling used in the YAML file and the API, e.g. {@code both} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
