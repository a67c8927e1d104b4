package io.streamrepeater.testkit;

/**
 * One line of the {@code sessions.log} that {@link NginxRtmp} writes from nginx-rtmp's
 * {@code exec_publish} / {@code exec_publish_done} hooks. Recordings are named by the second and
 * overwrite each other; these events tell publish sessions apart to the nanosecond.
 *
 * @param epochNanos wall-clock time the hook ran ({@code date +%s%N}); only for ordering and counting
 */
public record PublishEvent(Kind kind, String name, long epochNanos) {

    public enum Kind {
        PUBLISH,
        PUBLISH_DONE
    }

    /** Parses {@code "publish|publish_done NAME EPOCH_NANOS"}. */
    static PublishEvent parse(String line) {
        String[] fields = line.trim().split(" ");
        if (fields.length != 3) {
            throw new IllegalArgumentException("sessions.log line is not 'publish|publish_done NAME NANOS': " + line);
        }
        Kind kind = switch (fields[0]) {
            case "publish" -> Kind.PUBLISH;
            case "publish_done" -> Kind.PUBLISH_DONE;
            default -> throw new IllegalArgumentException("unknown event '" + fields[0] + "' in sessions.log: " + line);
        };
        return new PublishEvent(kind, fields[1], Long.parseLong(fields[2]));
    }
}
