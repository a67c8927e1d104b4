package io.streamrepeater.control.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.deser.ContextualDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Binds one YAML document onto the records of {@link ConfigShape} with Jackson databind, keeping the line and
 * column of every value so that each configuration error can name {@code line:column}.
 *
 * <p>Scalars are bound as {@link Scalar}, the text as written ({@code 0x10} is not a port, {@code yes} is not a
 * boolean: the loader refuses them in the user's own spelling); sections and lists as {@link Located}. A first pass
 * over the token stream ({@link YamlTokenScan}) refuses what a configuration file has no use for and what would
 * otherwise be silently misread (duplicate keys, aliases, several documents, deep nesting) and notes where each key
 * is written; unknown keys ({@code FAIL_ON_UNKNOWN_PROPERTIES}) are collected per section, so the loader reports
 * them where it checked them before and still finds the problems of the other sections in the same pass. Paths in
 * messages are worded by {@link YamlPaths}.
 */
final class YamlBinding {
    private static final YAMLFactory YAML = new YAMLFactory();
    private static final YAMLMapper MAPPER = YAMLMapper.builder(YAML)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private YamlBinding() {}

    /** 1-based line and column. */
    record Position(int line, int column) {
        static Position of(JsonLocation location) {
            return new Position(location.getLineNr(), location.getColumnNr());
        }
    }

    /**
     * A scalar as written, or what stands where a scalar belongs.
     *
     * @param text the scalar's text; null for a YAML null or when a mapping or a list stands there
     * @param description how messages call it: "a value", "nothing (null)", "a mapping", "a list"
     */
    @JsonDeserialize(using = ScalarDeserializer.class)
    record Scalar(String text, String description, Position at) {
        boolean isNull() {
            return text == null && description.equals(NOTHING);
        }
    }

    private static final String NOTHING = "nothing (null)";

    /**
     * A section or a list with the place it starts.
     *
     * @param value null when the key is given no value, or when something else stands where it belongs
     * @param wrongShape what stands there instead (a value where a mapping belongs...), or null; reported when
     *     the loader comes to this section, so that the other sections are still checked in the same pass
     */
    @JsonDeserialize(using = LocatedDeserializer.class)
    record Located<T>(T value, Position at, ConfigException wrongShape) {}

    /**
     * The bound document.
     *
     * @param root null when the text holds no document (empty or only comments)
     * @param unknownKeys the first unknown key of each section, by the section's path
     * @param keyPositions where each key is written, by its path (e.g. {@code server.cluster})
     */
    record Bound<T>(Located<T> root, Map<String, ConfigException> unknownKeys, Map<String, Position> keyPositions) {}

    /**
     * @param yaml the text of the file
     * @param source file name for messages
     * @param rootPath how messages call the document's root: "" for a whole file, "channel" for one channel
     * @throws ConfigException on a YAML syntax error, a construct listed above, or a section of the wrong shape
     */
    static <T> Bound<T> read(String yaml, String source, String rootPath, Class<T> type) {
        Map<String, Position> keyPositions = new HashMap<>();
        try {
            if (!YamlTokenScan.scan(yaml, source, rootPath, keyPositions)) {
                return new Bound<>(null, Map.of(), Map.of());
            }
            Map<String, ConfigException> unknownKeys = new LinkedHashMap<>();
            JavaType located = MAPPER.getTypeFactory().constructParametricType(Located.class, type);
            Located<T> root = MAPPER.readerFor(located)
                    .withAttribute(Context.class, new Context(source, rootPath, new ArrayDeque<>()))
                    .withHandler(new UnknownKeys(keyPositions, unknownKeys))
                    .readValue(yaml);
            return new Bound<>(root, unknownKeys, keyPositions);
        } catch (JsonProcessingException | YAMLException e) {
            throw syntaxError(source, e);
        } catch (IOException e) {
            throw new ConfigException(source, 0, 0, "cannot read YAML: " + e.getMessage(), e);
        }
    }

    private static ConfigException error(String source, Position at, String problem) {
        return new ConfigException(source, at.line(), at.column(), problem);
    }

    private static String description(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_NULL -> NOTHING;
            default -> "a value";
        };
    }

    /**
     * What the deserializers need to word an error.
     *
     * @param sections the paths of the sections being bound, innermost first: an unknown key belongs to the first
     */
    private record Context(String source, String rootPath, Deque<String> sections) {
        static Context of(DeserializationContext ctxt) {
            return (Context) ctxt.getAttribute(Context.class);
        }
    }

    static final class ScalarDeserializer extends JsonDeserializer<Scalar> {
        @Override
        public Scalar deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonToken token = p.currentToken();
            Position at = Position.of(p.currentTokenLocation());
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                p.skipChildren();
                return new Scalar(null, description(token), at);
            }
            return new Scalar(p.getText(), description(token), at);
        }

        @Override
        public Scalar getNullValue(DeserializationContext ctxt) {
            return new Scalar(
                    null,
                    description(JsonToken.VALUE_NULL),
                    Position.of(ctxt.getParser().currentTokenLocation()));
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    static final class LocatedDeserializer extends JsonDeserializer<Located<?>> implements ContextualDeserializer {
        private final JavaType inner;
        private final JsonDeserializer<Object> innerDeserializer;

        LocatedDeserializer() {
            this(null, null);
        }

        private LocatedDeserializer(JavaType inner, JsonDeserializer<Object> innerDeserializer) {
            this.inner = inner;
            this.innerDeserializer = innerDeserializer;
        }

        @Override
        public JsonDeserializer<?> createContextual(DeserializationContext ctxt, BeanProperty property)
                throws com.fasterxml.jackson.databind.JsonMappingException {
            // the type being resolved: for a list's items it is the item type, not the property's list type
            JavaType type = ctxt.getContextualType() != null ? ctxt.getContextualType() : property.getType();
            JavaType innerType = type.containedTypeOrUnknown(0);
            return new LocatedDeserializer(innerType, ctxt.findContextualValueDeserializer(innerType, property));
        }

        @Override
        public Located<?> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Position at = Position.of(p.currentTokenLocation());
            boolean list = Collection.class.isAssignableFrom(inner.getRawClass());
            JsonToken expected = list ? JsonToken.START_ARRAY : JsonToken.START_OBJECT;
            if (p.currentToken() != expected) {
                Context context = Context.of(ctxt);
                String path = YamlPaths.valuePath(p, context.rootPath());
                String got = description(p.currentToken());
                p.skipChildren();
                return new Located<>(
                        null,
                        at,
                        error(
                                context.source(),
                                at,
                                list
                                        ? path + " must be a list, got " + got
                                        : YamlPaths.describe(path) + " must be a mapping (key: value), got " + got));
            }
            Deque<String> sections = Context.of(ctxt).sections();
            sections.push(YamlPaths.valuePath(p, Context.of(ctxt).rootPath()));
            try {
                return new Located<>(innerDeserializer.deserialize(p, ctxt), at, null);
            } finally {
                sections.pop();
            }
        }

        @Override
        public Located<?> getNullValue(DeserializationContext ctxt) {
            return new Located<>(null, Position.of(ctxt.getParser().currentTokenLocation()), null);
        }

        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return null;
        }
    }

    /**
     * Notes the first unknown key of each section, with the section's allowed keys, and skips its value. (Jackson
     * may hand the key over from a buffer after the record is built, so the section's path comes from the
     * {@link LocatedDeserializer} binding it, not from the parser.)
     */
    private static final class UnknownKeys extends DeserializationProblemHandler {
        private final Map<String, Position> keyPositions;
        private final Map<String, ConfigException> found;

        UnknownKeys(Map<String, Position> keyPositions, Map<String, ConfigException> found) {
            this.keyPositions = keyPositions;
            this.found = found;
        }

        @Override
        public boolean handleUnknownProperty(
                DeserializationContext ctxt,
                JsonParser p,
                JsonDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName)
                throws IOException {
            Context context = Context.of(ctxt);
            String section = context.sections().peek();
            Class<?> type = beanOrClass instanceof Class<?> c ? c : beanOrClass.getClass();
            String allowed = Arrays.stream(type.getRecordComponents())
                    .map(RecordComponent::getName)
                    .collect(Collectors.joining(", "));
            Position at = keyPositions.getOrDefault(YamlPaths.join(section, propertyName), new Position(0, 0));
            found.putIfAbsent(
                    section,
                    error(
                            context.source(),
                            at,
                            "unknown key '" + propertyName + "' " + YamlPaths.where(section) + " (allowed: " + allowed
                                    + ")"));
            p.skipChildren();
            return true;
        }
    }

    /** The problem and position as SnakeYAML saw them, without its multi-line excerpt of the file. */
    private static ConfigException syntaxError(String source, Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                return new ConfigException(
                        source,
                        mark.getLine() + 1,
                        mark.getColumn() + 1,
                        "YAML syntax error: " + marked.getProblem(),
                        e);
            }
        }
        int line = 0;
        int column = 0;
        if (e instanceof JsonProcessingException processing && processing.getLocation() != null) {
            line = processing.getLocation().getLineNr();
            column = processing.getLocation().getColumnNr();
        }
        String message =
                e instanceof JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
        String firstLine = message == null
                ? e.getClass().getSimpleName()
                : message.lines().findFirst().orElse("");
        return new ConfigException(source, line, column, "YAML syntax error: " + firstLine, e);
    }
}
