package io.streamrepeater.control.config;

import io.streamrepeater.control.config.YamlBinding.Located;
import io.streamrepeater.control.config.YamlBinding.Position;
import io.streamrepeater.control.config.YamlBinding.Scalar;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The values of a bound configuration ({@link ConfigShape}) as {@link ConfigLoader} checks them: each failure is a
 * {@link ConfigException} that names the key and its line and column. Scalars are taken as written: {@code 0x10}
 * is not a whole number and {@code yes} is not a boolean.
 */
final class ConfigValues {
    private static final Pattern WHOLE_NUMBER = Pattern.compile("[+-]?[0-9]{1,10}");

    private final String source;
    private final Map<String, ConfigException> unknownKeys;
    private final Map<String, Position> keyPositions;

    /**
     * @param unknownKeys the first unknown key of each section, by the section's path
     * @param keyPositions where each key is written, by its path
     */
    ConfigValues(String source, Map<String, ConfigException> unknownKeys, Map<String, Position> keyPositions) {
        this.source = source;
        this.unknownKeys = unknownKeys;
        this.keyPositions = keyPositions;
    }

    /**
     * @param path the key's path, e.g. {@code server.cluster}
     * @param fallback where to point when the key's own place is not known (the start of its value)
     * @return where the key is written, kept for a rule checked after loading
     */
    ConfigPosition positionOfKey(String path, Position fallback) {
        Position at = keyPositions.getOrDefault(path, fallback);
        return new ConfigPosition(source, at.line(), at.column());
    }

    /** @return the section's value; throws when something else stands where the section belongs */
    static <T> T section(Located<T> located) {
        if (located.wrongShape() != null) {
            throw located.wrongShape();
        }
        return located.value();
    }

    /** Unknown keys are reported where the section is checked, as the first problem of that section. */
    Void allowOnly(String path) {
        ConfigException unknown = unknownKeys.get(path);
        if (unknown != null) {
            throw unknown;
        }
        return null;
    }

    /** @return the value, or empty when the key is absent or its value is null */
    static Optional<Scalar> optional(Scalar scalar) {
        return scalar == null || scalar.isNull() ? Optional.empty() : Optional.of(scalar);
    }

    /** @return the section, or empty when the key is absent or its value is null */
    static <T> Optional<Located<T>> optional(Located<T> located) {
        return located == null || (located.value() == null && located.wrongShape() == null)
                ? Optional.empty()
                : Optional.of(located);
    }

    <T> T required(T value, Located<?> section, String key, String path) {
        if (value == null) {
            throw error(section.at(), "missing key '" + key + "' " + YamlPaths.where(path));
        }
        if ((value instanceof Scalar scalar && scalar.isNull())
                || (value instanceof Located<?> located && located.value() == null && located.wrongShape() == null)) {
            Position at = value instanceof Scalar scalar ? scalar.at() : ((Located<?>) value).at();
            throw error(at, "missing value for '" + key + "' " + YamlPaths.where(path));
        }
        return value;
    }

    void unique(Map<String, Integer> lineOf, String value, Scalar node, String duplicate) {
        Integer earlier = lineOf.putIfAbsent(value, node.at().line());
        if (earlier != null) {
            throw error(node.at(), duplicate + " (first at line " + earlier + ")");
        }
    }

    String text(Scalar scalar, String key, String path) {
        if (scalar.text() == null) {
            throw error(
                    scalar.at(),
                    "'" + key + "' " + YamlPaths.where(path) + " must be a single value, got " + scalar.description());
        }
        if (scalar.text().contains(DestinationUrl.MASK)) {
            // what "export" writes in place of a secret: loading it would replace the real one with ****
            throw error(
                    scalar.at(),
                    "'" + key + "' " + YamlPaths.where(path) + " holds a masked secret (****): this"
                            + " file is a masked export; export with --show-secrets to get one that can be applied");
        }
        return scalar.text();
    }

    int integer(Scalar scalar, String key, String path) {
        String text = text(scalar, key, path);
        if (WHOLE_NUMBER.matcher(text).matches()) {
            long value = Long.parseLong(text);
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw error(scalar.at(), key + " must be a whole number, got '" + text + "'");
    }

    /** @return the whole number in {@code minimum..maximum}, or the default when the key is absent or null */
    int between(Scalar scalar, String key, String path, int defaultValue, int minimum, int maximum) {
        return optional(scalar)
                .map(value ->
                        rule(value, () -> ConfigRules.requireBetween(key, integer(value, key, path), minimum, maximum)))
                .orElse(defaultValue);
    }

    boolean bool(Scalar scalar, String key, String path) {
        String text = text(scalar, key, path);
        if (text.equals("true") || text.equals("false")) {
            return Boolean.parseBoolean(text);
        }
        throw error(scalar.at(), key + " must be true or false, got '" + text + "'");
    }

    <E extends Enum<E>> E choice(Scalar scalar, String key, String path, E[] values, Function<E, String> spelling) {
        String text = text(scalar, key, path);
        List<String> spellings = new ArrayList<>();
        for (E value : values) {
            if (spelling.apply(value).equals(text)) {
                return value;
            }
            spellings.add(spelling.apply(value));
        }
        throw error(scalar.at(), key + " '" + text + "' must be one of " + String.join(", ", spellings));
    }

    /** Runs a value rule; its {@link IllegalArgumentException} becomes an error at the value's position. */
    <T> T rule(Scalar scalar, Supplier<T> check) {
        return rule(scalar.at(), check);
    }

    <T> T rule(Position at, Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    /** Builds a record; a rule the checks above missed is still reported at the section it came from. */
    <T> T build(Position at, Supplier<T> constructor) {
        return rule(at, constructor);
    }

    ConfigException error(Position at, String problem) {
        return new ConfigException(source, at.line(), at.column(), problem);
    }
}
