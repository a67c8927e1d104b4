package io.streamrepeater.status;

import java.util.Locale;

/**
 * What the channel does once a higher-priority input is healthy again (DESIGN §3). One definition for the
 * configuration file, the API, the store and the channel's switcher, so none of them maps between copies.
 */
public enum Failback {
    /** Stay on the current input until it fails (Restream's behaviour). */
    STICKY,
    /** Return to the highest-priority input once it has been healthy for {@code clearMs}, at its keyframe. */
    AUTO,
    /** Only the operator switches back. */
    MANUAL;

    /** @return the spelling used in the YAML file and the API, e.g. {@code sticky} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
