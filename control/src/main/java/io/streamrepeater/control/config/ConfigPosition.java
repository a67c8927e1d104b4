package io.streamrepeater.control.config;

/**
 * Where a setting is written in a configuration file, kept past loading for the rules that can only be checked at
 * start (e.g. {@code server.cluster} needs a PostgreSQL store, which may come from the command line), so that their
 * message still names the file, the line and the column.
 *
 * @param source the file name as given to the loader
 * @param line 1-based line
 * @param column 1-based column
 */
public record ConfigPosition(String source, int line, int column) {
    /** @return a configuration error at this place */
    public ConfigException error(String problem) {
        return new ConfigException(source, line, column, problem);
    }
}
