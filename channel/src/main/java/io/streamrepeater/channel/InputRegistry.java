package io.streamrepeater.channel;

import io.streamrepeater.status.Compatibility;
import io.streamrepeater.status.InputStatus;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A channel's inputs in priority order, the slate (if any) last. Changed on the channel's event loop; read from any
 * thread (status snapshots, the ingest side looking an input up).
 */
final class InputRegistry implements Iterable<Input> {
    static final String SLATE = "slate";
    private final List<Input> inputs = new CopyOnWriteArrayList<>();

    InputRegistry(List<InputSpec> specs) {
        int priority = 0;
        for (InputSpec spec : specs) {
            inputs.add(new Input(spec.name(), priority++, spec.allowTakeover()));
        }
    }

    @Override
    public Iterator<Input> iterator() {
        return inputs.iterator();
    }

    /** The input named {@code name}, or null. */
    Input find(String name) {
        for (Input i : inputs) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /** The slate input, added last if there is none yet. */
    Input addSlate() {
        Input slate = find(SLATE);
        if (slate == null) {
            slate = new Input(SLATE, inputs.size(), true, true);
            inputs.add(slate);
        }
        return slate;
    }

    /** Removes the slate input; returns it (the caller closes it), or null when there was none. */
    Input removeSlate() {
        Input slate = find(SLATE);
        if (slate != null) {
            inputs.remove(slate);
        }
        return slate;
    }

    /**
     * Takes a new list of inputs: inputs keep their sessions and caches by name, new ones are added, the priority
     * order follows the list, the slate stays last.
     *
     * @return the inputs that are gone (the caller disconnects and closes them)
     */
    List<Input> reconfigure(List<InputSpec> specs) {
        List<Input> next = new ArrayList<>();
        for (InputSpec spec : specs) {
            Input existing = find(spec.name());
            Input input = existing != null && !existing.slate()
                    ? existing
                    : new Input(spec.name(), next.size(), spec.allowTakeover());
            input.priority(next.size());
            input.allowTakeover(spec.allowTakeover());
            next.add(input);
        }
        Input slateInput = inputs.stream().filter(Input::slate).findFirst().orElse(null);
        List<Input> removed = new ArrayList<>();
        for (Input old : inputs) {
            if (!old.slate() && !next.contains(old)) {
                removed.add(old);
            }
        }
        if (slateInput != null) {
            slateInput.priority(next.size());
            next.add(slateInput);
        }
        inputs.clear();
        inputs.addAll(next);
        return removed;
    }

    /** Every input as the switcher sees it now. */
    List<Switcher.View> views(long now, FailoverPolicy policy) {
        List<Switcher.View> views = new ArrayList<>(inputs.size());
        for (Input i : inputs) {
            views.add(i.view(now, policy));
        }
        return views;
    }

    /** Snapshot of the inputs; any thread (values may be a moment old). */
    List<InputStatus> status(long now, FailoverPolicy policy, String activeName) {
        List<InputStatus> list = new ArrayList<>();
        for (Input i : inputs) {
            InputFormat f = i.format();
            list.add(i.status(i.name().equals(activeName), now, policy, f == null ? null : f.describe()));
        }
        return list;
    }

    /** What each input with a connected encoder sends, by name in priority order; any thread. */
    java.util.Map<String, io.streamrepeater.status.platform.MediaFacts> media(long now) {
        java.util.Map<String, io.streamrepeater.status.platform.MediaFacts> out = new java.util.LinkedHashMap<>();
        for (Input i : inputs) {
            io.streamrepeater.status.platform.MediaFacts m = i.media(now);
            if (m != null) {
                out.put(i.name(), m);
            }
        }
        return out;
    }

    /** Whether the connected inputs could replace each other; any thread. */
    Compatibility compatibility() {
        return CompatibilityCheck.of(inputs);
    }
}
