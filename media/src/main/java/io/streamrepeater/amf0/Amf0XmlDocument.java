package io.streamrepeater.amf0;

import java.util.Objects;

/** An AMF0 XML document (marker 0x0F), or an AMF3 XML / XMLDocument value, kept as its text. */
public record Amf0XmlDocument(String xml) {
    public Amf0XmlDocument {
        Objects.requireNonNull(xml, "xml");
    }
}
