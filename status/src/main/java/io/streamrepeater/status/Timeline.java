package io.streamrepeater.status;

import java.util.Locale;

/**
 * How output timestamps continue across a switch (DESIGN §3, step 3). One definition for the configuration
 * file, the API, the store and the channel's output timeline.
 */
public enum Timeline {
    /** The first output DTS after a switch is the last one plus one frame: no hole, latency grows. */
    CONTINUOUS,
    /** The output DTS advances by the wall-clock length of the outage: latency stays, the recording freezes. */
    REALTIME;

    /** @return the spelling used in the YAML file and the API, e.g. {@code continuous} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
