package io.streamrepeater.status.platform;

/**
 * One rule of a platform checked against one input.
 *
 * @param level {@link #OK}, {@link #WARNING} (against a recommendation) or {@link #VIOLATION} (against a requirement:
 *     the platform may refuse or drop the stream)
 * @param rule what the platform asks, e.g. "keyframe interval 2 s"
 * @param measured what the input sends, e.g. "5000 ms"
 * @param source the public page the rule comes from
 */
public record Finding(String level, String rule, String measured, String source) {
    public static final String OK = "ok";
    public static final String WARNING = "warning";
    public static final String VIOLATION = "violation";

    /** The worse of two levels. */
    public static String worse(String a, String b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(String level) {
        return switch (level) {
            case VIOLATION -> 2;
            case WARNING -> 1;
            default -> 0;
        };
    }
}
