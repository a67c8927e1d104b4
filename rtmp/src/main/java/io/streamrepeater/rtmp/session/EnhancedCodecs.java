package io.streamrepeater.rtmp.session;

import io.streamrepeater.amf0.Amf0Object;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Enhanced RTMP's codec lists in {@code connect} and its answer: v1's {@code fourCcList} (a strict array of FourCC
 * strings) and v2's {@code videoFourCcInfoMap} (FourCC to a FourCcInfoMask: CanDecode 0x01, CanEncode 0x02, CanForward
 * 0x04). A relay neither decodes nor encodes: every codec it states is can-forward.
 */
final class EnhancedCodecs {
    /** FourCcInfoMask bit: the codec can be forwarded. */
    static final int CAN_FORWARD = 0x04;

    /** The most FourCCs read from one connect (a peer's list is bounded like everything it sends). */
    static final int MAX_FOURCCS = 16;

    private EnhancedCodecs() {}

    /** Puts {@code fourCcs} into {@code props} as both lists, each codec can-forward; nothing when empty. */
    static void put(Amf0Object props, List<String> fourCcs) {
        if (fourCcs.isEmpty()) {
            return;
        }
        props.put("fourCcList", List.copyOf(fourCcs));
        Amf0Object infoMap = new Amf0Object();
        for (String fourCc : fourCcs) {
            infoMap.put(fourCc, (double) CAN_FORWARD);
        }
        props.put("videoFourCcInfoMap", infoMap);
    }

    /**
     * The video codecs a {@code connect} (or its answer) states, from {@code fourCcList} then
     * {@code videoFourCcInfoMap}, without repeats, at most {@link #MAX_FOURCCS}; FourCCs of four characters (or
     * {@code *}) only.
     */
    static List<String> read(Map<String, Object> props) {
        Set<String> out = new LinkedHashSet<>();
        if (props.get("fourCcList") instanceof List<?> list) {
            list.forEach(o -> add(out, o));
        }
        if (props.get("videoFourCcInfoMap") instanceof Map<?, ?> map) {
            map.keySet().forEach(k -> add(out, k));
        }
        return List.copyOf(out);
    }

    private static void add(Set<String> out, Object o) {
        if (o instanceof String s && (s.length() == 4 || s.equals("*")) && out.size() < MAX_FOURCCS) {
            out.add(s);
        }
    }
}
