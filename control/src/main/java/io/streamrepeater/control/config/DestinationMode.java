package io.streamrepeater.control.config;

import java.util.Locale;

/** How a destination with a {@code backupUrl} uses it. */
public enum DestinationMode {
    /** Push to the primary and the backup address at once (the platform's own redundancy). */
    BOTH,
    /** Push to the backup address only while the primary address fails. */
    FALLBACK;

    /** @return the spelling used in the YAML file and the API, e.g. {@code both} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
