package io.streamrepeater.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import com.tngtech.archunit.library.dependencies.SlicesRuleDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of DESIGN.md §2, checked on the compiled main classes of every module: a package may import only the
 * project packages of the layers below it (and {@code status}, which anyone may import). A new import that runs back
 * up a layer fails this test with the class and the import that broke the rule.
 */
class LayeringTest {
    private static final String ROOT = "io.streamrepeater";

    /** Each layer's packages, and the project packages it may use besides itself and {@code status}. */
    private static final Map<String, List<String>> MAY_IMPORT = new LinkedHashMap<>();

    static {
        MAY_IMPORT.put("status", List.of());
        MAY_IMPORT.put("amf0", List.of());
        MAY_IMPORT.put("media", List.of("amf0"));
        MAY_IMPORT.put("rtmp.handshake", List.of());
        MAY_IMPORT.put("rtmp.chunk", List.of());
        MAY_IMPORT.put("rtmp.message", List.of("rtmp.chunk", "amf0"));
        MAY_IMPORT.put("rtmp.session", List.of("rtmp.handshake", "rtmp.chunk", "rtmp.message", "amf0", "media"));
        MAY_IMPORT.put("rtmp.limits", List.of("rtmp.handshake", "rtmp.chunk", "rtmp.message", "rtmp.session", "media"));
        MAY_IMPORT.put(
                "rtmp.pipeline",
                List.of(
                        "rtmp.handshake",
                        "rtmp.chunk",
                        "rtmp.message",
                        "rtmp.session",
                        "rtmp.limits",
                        "amf0",
                        "media"));
        MAY_IMPORT.put("srt", List.of("media"));
        MAY_IMPORT.put("channel", List.of("media", "amf0"));
        MAY_IMPORT.put("relay", List.of("rtmp", "media", "amf0"));
        MAY_IMPORT.put("control", List.of());
        // leases and the node registry for now; media, rtmp.session and ports of channel and relay come with forwarding
        MAY_IMPORT.put("cluster", List.of());
    }

    /** Every top-level part of the project (what a layer must not import unless listed above). */
    private static final List<String> ALL = List.of(
            "status", "amf0", "media", "rtmp", "srt", "channel", "relay", "control", "cluster", "app", "testkit",
            "fuzz", "bench");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void everyLayerIsImported() {
        for (String layer : MAY_IMPORT.keySet()) {
            assertThat(classes.stream().anyMatch(c -> c.getPackageName().startsWith(ROOT + "." + layer)))
                    .as("classes of layer %s on the classpath", layer)
                    .isTrue();
        }
    }

    @Test
    void noLayerImportsALayerAboveIt() {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, List<String>> layer : MAY_IMPORT.entrySet()) {
            EvaluationResult result = rule(layer.getKey(), layer.getValue()).evaluate(classes);
            if (result.hasViolation()) {
                failures.addAll(result.getFailureReport().getDetails());
            }
        }
        assertThat(failures).as("imports that run up a layer").isEmpty();
    }

    @Test
    void noPackageCycles() {
        SlicesRuleDefinition.slices()
                .matching(ROOT + ".(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
        SlicesRuleDefinition.slices()
                .matching(ROOT + ".rtmp.(*)..")
                .should()
                .beFreeOfCycles()
                .check(classes);
    }

    @Test
    void controlNeverSeesNettyOrTheMediaPath() {
        noClasses()
                .that()
                .resideInAPackage(ROOT + ".control..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", ROOT + ".rtmp..", ROOT + ".media..", ROOT + ".channel..")
                .check(classes);
    }

    /** The rule itself can fail: a layer allowed nothing, checked against one that imports something. */
    @Test
    void theRuleCatchesAnUpwardImport() {
        EvaluationResult relayAllowedNothing = rule("relay", List.of()).evaluate(classes);

        assertThat(relayAllowedNothing.hasViolation()).isTrue();
        assertThat(String.join("\n", relayAllowedNothing.getFailureReport().getDetails()))
                .contains(ROOT + ".relay.");
    }

    private static ArchRule rule(String layer, List<String> allowed) {
        List<String> forbidden = new ArrayList<>();
        for (String other : ALL) {
            String top = layer.contains(".") ? layer.substring(0, layer.indexOf('.')) : layer;
            if (other.equals("status") || allowed.contains(other) || other.equals(top)) {
                continue;
            }
            forbidden.add(ROOT + "." + other + "..");
        }
        if (layer.contains(".")) {
            // a sub-layer (rtmp.chunk): its siblings it was not allowed are forbidden too
            String top = layer.substring(0, layer.indexOf('.'));
            for (String sibling : MAY_IMPORT.keySet()) {
                if (sibling.startsWith(top + ".") && !sibling.equals(layer) && !allowed.contains(sibling)) {
                    forbidden.add(ROOT + "." + sibling + "..");
                }
            }
        }
        return noClasses()
                .that()
                .resideInAPackage(ROOT + "." + layer + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("DESIGN.md §2: " + layer + " may import only "
                        + (allowed.isEmpty() ? "status" : allowed + " and status"));
    }
}
