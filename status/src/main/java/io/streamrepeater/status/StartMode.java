package io.streamrepeater.status;

import java.util.Locale;

/**
 * Where a newly active input starts after a switch (DESIGN §3, step 2). One definition for the configuration
 * file, the API, the store and the channel's switcher.
 */
public enum StartMode {
    /** Start at once from the new input's GOP cache; may repeat up to one GOP of content. */
    CACHED,
    /** Wait for the new input's next keyframe; repeats nothing. */
    NEXT_KEYFRAME;

    /** @return the spelling used in the YAML file and the API, e.g. {@code next-keyframe} */
    public String yamlName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
