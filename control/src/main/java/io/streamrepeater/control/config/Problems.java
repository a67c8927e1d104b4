package io.streamrepeater.control.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The problems of one pass over a configuration. The independent parts (the server, each channel, each section of
 * a channel) are each checked on their own, so that a file with three mistakes is fixed in one round.
 */
final class Problems {
    private final List<ConfigException> found = new ArrayList<>();

    /**
     * Runs one independent part of the check; a problem there is noted (and null returned) so that the other parts
     * are still checked.
     */
    <T> T attempt(Supplier<T> part) {
        try {
            return part.get();
        } catch (ConfigException e) {
            found.add(e);
            return null;
        }
    }

    /** @throws ConfigException every problem noted, in order, as one; nothing when there is none */
    void throwIfAny() {
        if (!found.isEmpty()) {
            throw ConfigException.combine(flatten(found));
        }
    }

    /** The single problems inside combined ones, in order (a channel's own list joins the file's list). */
    private static List<ConfigException> flatten(List<ConfigException> problems) {
        List<ConfigException> all = new ArrayList<>();
        for (ConfigException p : problems) {
            all.add(p.getSuppressed().length == 0 ? p : (ConfigException) p.getCause());
            for (Throwable more : p.getSuppressed()) {
                all.add((ConfigException) more);
            }
        }
        return all;
    }
}
