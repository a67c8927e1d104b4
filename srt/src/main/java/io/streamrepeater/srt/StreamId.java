package io.streamrepeater.srt;

import java.util.HashSet;
import java.util.Set;

/**
 * What an SRT caller asks for in its stream id ({@code SRTO_STREAMID}), reduced to what this server
 * serves: publishing to the input that a stream key names.
 *
 * <p>Two forms are accepted: the plain key ({@code srt://host:port?streamid=KEY}), and SRT's access-control
 * syntax {@code #!::r=KEY,m=publish} with its keys in any order, where {@code r} is the stream key, {@code m}
 * the mode ({@code publish}, the default when absent; {@code request} and {@code bidirectional} are refused
 * because this server only ingests), and {@code u} (user), {@code h} (host), {@code s} (session) and
 * {@code t} (type) are ignored. Error messages never contain the key.
 *
 * @param streamKey the secret stream key; never log it
 */
public record StreamId(String streamKey) {
    private static final String ACCESS_CONTROL_PREFIX = "#!::";
    private static final Set<String> IGNORED_KEYS = Set.of("u", "h", "s", "t");

    public StreamId {
        if (streamKey == null || streamKey.isEmpty()) {
            throw new IllegalArgumentException("the stream key is empty");
        }
    }

    /** Why a stream id is refused. */
    public enum Problem {
        /** It does not parse, or names no key: the caller's URL is wrong. */
        MALFORMED,
        /** It asks to play or for both directions; this server only takes publishers. */
        NOT_A_PUBLISH
    }

    /** A refused stream id; the message says what is wrong without repeating the id. */
    public static final class InvalidStreamIdException extends Exception {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        InvalidStreamIdException(Problem problem, String message) {
            super(message, null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /**
     * Parses a caller's stream id.
     *
     * @param raw what the caller sent; null and empty are refused
     * @throws InvalidStreamIdException when it is malformed or asks for something other than publishing
     */
    public static StreamId parse(String raw) throws InvalidStreamIdException {
        if (raw == null || raw.isEmpty()) {
            throw new InvalidStreamIdException(Problem.MALFORMED, "the stream id is empty: give streamid=KEY");
        }
        if (!raw.startsWith("#!")) {
            return new StreamId(raw);
        }
        if (!raw.startsWith(ACCESS_CONTROL_PREFIX)) {
            throw new InvalidStreamIdException(
                    Problem.MALFORMED, "only the flat access-control form #!::key=value,… is supported");
        }
        String resource = null;
        String mode = null;
        Set<String> seen = new HashSet<>();
        for (String pair : raw.substring(ACCESS_CONTROL_PREFIX.length()).split(",", -1)) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new InvalidStreamIdException(
                        Problem.MALFORMED,
                        "each access-control item must be key=value (an empty item or one without '=' was given)");
            }
            String key = pair.substring(0, equals);
            String value = pair.substring(equals + 1);
            if (!seen.add(key)) {
                throw new InvalidStreamIdException(
                        Problem.MALFORMED, "the access-control key '" + sanitized(key) + "' is given twice");
            }
            if (key.equals("r")) {
                resource = value;
            } else if (key.equals("m")) {
                mode = value;
            } else if (!IGNORED_KEYS.contains(key)) {
                throw new InvalidStreamIdException(
                        Problem.MALFORMED,
                        "unsupported access-control key '" + sanitized(key)
                                + "': only r, m, u, h, s and t are understood");
            }
        }
        if (mode != null && !mode.equals("publish")) {
            if (mode.equals("request") || mode.equals("bidirectional")) {
                throw new InvalidStreamIdException(
                        Problem.NOT_A_PUBLISH, "m=" + mode + " refused: this server only ingests (m=publish)");
            }
            throw new InvalidStreamIdException(Problem.MALFORMED, "unknown mode in m=: expected publish");
        }
        if (resource == null || resource.isEmpty()) {
            throw new InvalidStreamIdException(Problem.MALFORMED, "no stream key: give r=KEY");
        }
        return new StreamId(resource);
    }

    /** A short printable rendering of a non-secret field a caller sent, for error messages. */
    private static String sanitized(String text) {
        String printable = text.codePoints()
                .limit(16)
                .map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return text.length() > 16 ? printable + "…" : printable;
    }

    @Override
    public String toString() {
        return "StreamId[streamKey=<redacted>]";
    }
}
