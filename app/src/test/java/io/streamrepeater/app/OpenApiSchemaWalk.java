package io.streamrepeater.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a JSON answer against a schema of the API's openapi.json (the subset the document uses: {@code $ref},
 * {@code allOf}, {@code type}, {@code nullable}, {@code properties}, {@code required}, {@code additionalProperties},
 * {@code items}, {@code enum}) and remembers which documented properties it has seen, so that a field the server sends but the
 * document does not name fails, and so does a documented field the server never sends.
 */
final class OpenApiSchemaWalk {
    private final JsonNode document;
    private final List<String> problems = new ArrayList<>();
    private final Set<String> documented = new TreeSet<>();
    private final Set<String> seen = new TreeSet<>();

    OpenApiSchemaWalk(JsonNode document) {
        this.document = document;
    }

    /** Problems found so far, each with the JSON path of the value and what the operation was. */
    List<String> problems() {
        return problems;
    }

    /** Properties (as {@code schema-location.name}) documented in a schema walked, but absent from every value. */
    Set<String> neverSeen() {
        Set<String> out = new TreeSet<>(documented);
        out.removeAll(seen);
        return out;
    }

    /** The document of the server's classpath (control's {@code openapi.json}). */
    static JsonNode serversDocument() throws java.io.IOException {
        try (java.io.InputStream in = OpenApiSchemaWalk.class.getResourceAsStream("/openapi.json")) {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(in);
        }
    }

    /** Walks {@code answer} against the JSON schema the document gives {@code method template}'s {@code status}. */
    void checkAnswer(String method, String template, int status, JsonNode answer) {
        String operation = method + " " + template + " " + status;
        JsonNode schema = document.path("paths")
                .path(template)
                .path(method.toLowerCase(java.util.Locale.ROOT))
                .path("responses")
                .path(Integer.toString(status))
                .at("/content/application~1json/schema");
        if (schema.isMissingNode()) {
            problems.add(operation + " answers JSON: its schema belongs in openapi.json");
        } else {
            check(operation, schema, answer);
        }
    }

    void check(String where, JsonNode schema, JsonNode value) {
        walk(where, where, schema, value); // an inline schema is named by where it is used
    }

    private void walk(String where, String location, JsonNode schema, JsonNode value) {
        if (schema.has("$ref")) {
            String ref = schema.get("$ref").asText();
            walk(where, ref, document.at(ref.substring(1)), value);
            return;
        }
        if (schema.has("allOf")) {
            // the document's use: one schema made nullable ({allOf: [$ref], nullable: true})
            if (value.isNull() && schema.path("nullable").asBoolean(false)) {
                return;
            }
            for (JsonNode part : schema.get("allOf")) {
                walk(where, location, part, value);
            }
            return;
        }
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false)) {
                problems.add(where + ": null where " + location + " does not say nullable");
            }
            return;
        }
        if (schema.has("enum")) {
            boolean listed = false;
            for (JsonNode e : schema.get("enum")) {
                listed |= e.equals(value);
            }
            if (!listed) {
                problems.add(where + ": " + value + " is not one of " + location + "'s " + schema.get("enum"));
            }
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> object(where, location, schema, value);
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(where + ": " + kind(value) + " where " + location + " says array");
                    return;
                }
                for (int i = 0; i < value.size(); i++) {
                    walk(where + "[" + i + "]", location + "[]", schema.path("items"), value.get(i));
                }
            }
            case "string" -> expect(where, location, value.isTextual(), value, type);
            case "integer" -> expect(where, location, value.isIntegralNumber(), value, type);
            case "number" -> expect(where, location, value.isNumber(), value, type);
            case "boolean" -> expect(where, location, value.isBoolean(), value, type);
            case "" -> {
                if (!schema.has("enum")) {
                    problems.add(where + ": " + location + " gives no type");
                }
            }
            default -> problems.add(where + ": " + location + " has a type this walk does not know: " + type);
        }
    }

    private void object(String where, String location, JsonNode schema, JsonNode value) {
        if (!value.isObject()) {
            problems.add(where + ": " + kind(value) + " where " + location + " says object");
            return;
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.path("additionalProperties");
        if (!properties.isObject() && !additional.isObject()) {
            problems.add(where + ": " + location + " names none of the object's fields");
            return;
        }
        for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
            documented.add(location + "." + names.next());
        }
        for (JsonNode required : schema.path("required")) {
            if (!value.has(required.asText())) {
                problems.add(where + ": required field '" + required.asText() + "' (" + location + ") is missing");
            }
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            String at = where + "." + field.getKey();
            if (properties.has(field.getKey())) {
                seen.add(location + "." + field.getKey());
                walk(at, location + "." + field.getKey(), properties.get(field.getKey()), field.getValue());
            } else if (additional.isObject()) {
                walk(at, location + ".*", additional, field.getValue());
            } else {
                problems.add(at + ": a field " + location + " does not document");
            }
        }
    }

    private void expect(String where, String location, boolean ok, JsonNode value, String type) {
        if (!ok) {
            problems.add(where + ": " + kind(value) + " " + value + " where " + location + " says " + type);
        }
    }

    private static String kind(JsonNode value) {
        return value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }
}
