package io.streamrepeater.amf0;

import io.streamrepeater.testkit.Hex;
import java.util.Arrays;
import java.util.List;

/**
 * One row of a protocol table: a name, the exact bytes, and the values they decode to.
 *
 * @param values the values in order, as {@link Amf0Reader#readAll} returns them
 */
record GoldenRow(String name, byte[] bytes, List<Object> values) {

    static GoldenRow of(String name, String annotatedHex, Object... values) {
        return new GoldenRow(name, Hex.bytes(annotatedHex), Arrays.asList(values));
    }

    @Override
    public String toString() {
        return name;
    }
}
