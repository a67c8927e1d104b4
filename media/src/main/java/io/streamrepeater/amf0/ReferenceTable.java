package io.streamrepeater.amf0;

import java.util.ArrayList;
import java.util.List;

/**
 * The complex values read so far, by index, for AMF0 references (0x07) and the AMF3 object table.
 * A slot is taken when a value begins (that is how senders number them) and filled when it ends;
 * a reference to a value that is still being read would make a cycle and is rejected. Each
 * resolved reference is charged to {@link AmfInput#countValues} at the full size of its target.
 */
final class ReferenceTable {
    private final AmfInput input;
    private final String kind;
    private final List<Slot> slots = new ArrayList<>();

    private static final class Slot {
        final long valuesBefore;
        Object value;
        long expandedSize = -1;

        Slot(long valuesBefore) {
            this.valuesBefore = valuesBefore;
        }
    }

    /** @param kind how error messages name a reference, e.g. "reference" */
    ReferenceTable(AmfInput input, String kind) {
        this.input = input;
        this.kind = kind;
    }

    /** Takes the next slot for a value that begins now; returns its index. */
    int begin() {
        slots.add(new Slot(input.expandedValues()));
        return slots.size() - 1;
    }

    /** Fills the slot taken by {@link #begin()} once its value is complete. */
    void complete(int index, Object value) {
        Slot slot = slots.get(index);
        slot.value = value;
        slot.expandedSize = input.expandedValues() - slot.valuesBefore;
    }

    /** Takes and fills a slot for a value without children (AMF3 dates, XML, byte arrays). */
    void add(Object value) {
        complete(begin(), value);
    }

    /**
     * @param referenceOffset where the reference starts, for the error message
     */
    Object resolve(long index, int referenceOffset) {
        if (index >= slots.size()) {
            throw input.errorAt(
                    referenceOffset,
                    kind + " " + index + " points past the " + slots.size() + " complex values read so far");
        }
        Slot slot = slots.get((int) index);
        if (slot.expandedSize < 0) {
            throw input.errorAt(
                    referenceOffset,
                    kind + " " + index + " points to a value that encloses it; cyclic values are not supported");
        }
        input.countValues(slot.expandedSize);
        return slot.value;
    }
}
