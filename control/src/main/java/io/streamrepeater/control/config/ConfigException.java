package io.streamrepeater.control.config;

/**
 * A configuration that cannot be used, with the place that is wrong: {@code show.yaml:7:9: problem}.
 *
 * <p>The message never contains a secret (input key, destination stream key, admin token).
 */
public final class ConfigException extends RuntimeException {
    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    /**
     * @param source file name or other label of the configuration text
     * @param line 1-based line, or 0 when the problem has no position (e.g. the file cannot be read)
     * @param column 1-based column, or 0 when unknown
     * @param problem what is wrong, naming the offending key or value
     */
    public ConfigException(String source, int line, int column, String problem) {
        this(source, line, column, problem, null);
    }

    /** As {@link #ConfigException(String, int, int, String)}, keeping the underlying cause. */
    public ConfigException(String source, int line, int column, String problem, Throwable cause) {
        super(format(source, line, column, problem), cause);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    private static String format(String source, int line, int column, String problem) {
        if (line <= 0) {
            return source + ": " + problem;
        }
        return source + ":" + line + ":" + column + ": " + problem;
    }

    /** @return the file name or label given to the loader */
    public String source() {
        return source;
    }

    /** @return 1-based line of the problem, 0 if it has none */
    public int line() {
        return line;
    }

    /** @return 1-based column of the problem, 0 if it has none */
    public int column() {
        return column;
    }

    /** @return the problem without the {@code source:line:column: } prefix */
    public String problem() {
        return problem;
    }

    /**
     * One exception for several problems found in one pass: the first one's position and problem, then every
     * other one on its own line with its position, so a file with three mistakes is fixed in one round.
     *
     * @param problems at least one, in file order
     */
    public static ConfigException combine(java.util.List<ConfigException> problems) {
        if (problems.isEmpty()) {
            throw new IllegalArgumentException("no problems to combine");
        }
        ConfigException first = problems.get(0);
        if (problems.size() == 1) {
            return first;
        }
        StringBuilder text = new StringBuilder(first.problem);
        text.append("\n(")
                .append(problems.size() - 1)
                .append(problems.size() == 2 ? " more problem:)" : " more problems:)");
        for (ConfigException other : problems.subList(1, problems.size())) {
            text.append("\n  ").append(other.getMessage());
        }
        ConfigException combined = new ConfigException(first.source, first.line, first.column, text.toString(), first);
        problems.subList(1, problems.size()).forEach(combined::addSuppressed);
        return combined;
    }
}
