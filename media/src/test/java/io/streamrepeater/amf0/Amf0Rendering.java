package io.streamrepeater.amf0;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Renders a decoded value tree as text that names every node's Java type, so two trees compare equal
 * only if their types match too ({@code Map.equals} alone would equate an object with an ECMA array,
 * and {@code List.equals} cannot compare {@code byte[]}).
 */
final class Amf0Rendering {

    private Amf0Rendering() {}

    static String render(Object value) {
        StringBuilder text = new StringBuilder();
        render(value, text);
        return text.toString();
    }

    private static void render(Object value, StringBuilder text) {
        if (value == null) {
            text.append("null");
        } else if (value instanceof Double number) {
            text.append("Double(").append(number).append(')');
        } else if (value instanceof Integer number) {
            text.append("Integer(").append(number).append(')');
        } else if (value instanceof Boolean bool) {
            text.append(bool);
        } else if (value instanceof String string) {
            text.append('"').append(string).append('"');
        } else if (value instanceof byte[] bytes) {
            text.append("bytes[").append(HexFormat.of().formatHex(bytes)).append(']');
        } else if (value instanceof Amf0TypedObject typed) {
            text.append("Typed<").append(typed.className()).append('>');
            renderEntries(typed.properties(), text);
        } else if (value instanceof Amf0Object object) {
            text.append("Object");
            renderEntries(object, text);
        } else if (value instanceof Amf0EcmaArray array) {
            text.append("EcmaArray");
            renderEntries(array, text);
        } else if (value instanceof List<?> list) {
            text.append("List[");
            for (int i = 0; i < list.size(); i++) {
                text.append(i == 0 ? "" : ", ");
                render(list.get(i), text);
            }
            text.append(']');
        } else if (value instanceof Amf0Date date) {
            text.append("Date(")
                    .append(date.epochMillis())
                    .append(", tz ")
                    .append(date.timeZone())
                    .append(')');
        } else if (value instanceof Amf0XmlDocument || value instanceof Amf0.Sentinel) {
            text.append(value);
        } else {
            text.append("UNEXPECTED ")
                    .append(value.getClass().getName())
                    .append(':')
                    .append(value);
        }
    }

    private static void renderEntries(Map<String, Object> entries, StringBuilder text) {
        if (!(entries instanceof Amf0Object) && !(entries instanceof Amf0EcmaArray)) {
            text.append("(as ").append(entries.getClass().getSimpleName()).append(')');
        }
        text.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> entry : entries.entrySet()) {
            text.append(first ? "" : ", ").append('"').append(entry.getKey()).append("\"=");
            render(entry.getValue(), text);
            first = false;
        }
        text.append('}');
    }
}
