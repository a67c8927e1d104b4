package io.streamrepeater.app.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a Prometheus text-format page ({@code GET /metrics}), parsed into samples so that a
 * benchmark can add up the series it reads, e.g. the heap pools of {@code jvm_memory_used_bytes{area="heap"}}.
 */
final class PrometheusText {

    /** One line of the page: metric name, its labels in page order, and the value. */
    record Sample(String name, Map<String, String> labels, double value) {
        Sample {
            labels = Map.copyOf(labels);
        }
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = List.copyOf(samples);
    }

    /**
     * Parses the page; comment lines ({@code # HELP}, {@code # TYPE}) and blank lines are skipped.
     *
     * @throws IllegalArgumentException naming the line when a sample line cannot be read
     */
    static PrometheusText parse(String page) {
        List<Sample> samples = new ArrayList<>();
        int lineNumber = 0;
        for (String line : page.split("\n")) {
            lineNumber++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                samples.add(parseSample(trimmed));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "cannot read metrics line " + lineNumber + " '" + trimmed + "': " + e.getMessage(), e);
            }
        }
        return new PrometheusText(samples);
    }

    private static Sample parseSample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("no value");
        }
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, space), Map.of(), parseValue(line.substring(space + 1)));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String label = line.substring(i, equals).strip();
            if (line.charAt(equals + 1) != '"') {
                throw new IllegalArgumentException("label " + label + " has no quoted value");
            }
            StringBuilder value = new StringBuilder();
            int j = equals + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char escaped = line.charAt(++j);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(label, value.toString());
            i = j + 1;
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return new Sample(line.substring(0, brace), labels, parseValue(line.substring(i + 1)));
    }

    private static double parseValue(String rest) {
        String value = rest.strip().split("\\s+")[0]; // a timestamp may follow the value
        return switch (value) {
            case "NaN" -> Double.NaN;
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    List<Sample> samples() {
        return samples;
    }

    /**
     * The sum of every series of {@code name} whose labels include all of {@code labels}.
     *
     * @throws IllegalStateException when no series matches (a renamed metric must not read as zero)
     */
    double sum(String name, Map<String, String> labels) {
        List<Sample> matching = samples.stream()
                .filter(s -> s.name().equals(name))
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
                .toList();
        if (matching.isEmpty()) {
            throw new IllegalStateException("no series " + name + labels + " in the metrics");
        }
        return matching.stream().mapToDouble(Sample::value).sum();
    }

    /** The series of {@code name}, summed by the value of {@code label}; empty when there is none. */
    Map<String, Double> sumBy(String name, String label) {
        Map<String, Double> sums = new LinkedHashMap<>();
        samples.stream()
                .filter(s -> s.name().equals(name))
                .forEach(s -> sums.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum));
        return sums;
    }
}
