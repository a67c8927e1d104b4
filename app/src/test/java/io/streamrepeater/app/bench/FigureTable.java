package io.streamrepeater.app.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/** The benchmark's result: one Markdown row per configuration with the median and worst of each figure. */
public final class FigureTable {

    /**
     * One configuration's switches and what the recordings showed: the largest video DTS step (ms, ffprobe) and the
     * lines a full decode of both recordings printed ({@code ffmpeg -v error -i REC -f null -}).
     */
    record Row(
            String failure,
            String start,
            String timeline,
            List<SwitchSample> samples,
            long recordingMaxVideoGapMs,
            int decodeErrors) {
        Row {
            samples = List.copyOf(samples);
        }
    }

    private final List<Row> rows = new ArrayList<>();

    synchronized void add(Row row) {
        rows.add(row);
    }

    synchronized List<Row> rows() {
        return List.copyOf(rows);
    }

    /** The table, a header line per column group, "median / worst" in each cell. */
    synchronized String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("| case | start | timeline | n | detection ms | switch ms | gap ms | repeated ms | outage ms "
                + "| recording max video DTS gap ms | decode errors at the destination |\n");
        md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (Row r : rows) {
            md.append("| ")
                    .append(r.failure())
                    .append(" | ")
                    .append(r.start())
                    .append(" | ")
                    .append(r.timeline())
                    .append(" | ")
                    .append(r.samples().size())
                    .append(" | ")
                    .append(cell(r.samples(), SwitchSample::detectionDelayMs))
                    .append(" | ")
                    .append(cell(r.samples(), SwitchSample::switchMs))
                    .append(" | ")
                    .append(cell(r.samples(), SwitchSample::gapMs))
                    .append(" | ")
                    .append(cell(r.samples(), SwitchSample::repeatedMs))
                    .append(" | ")
                    .append(cell(r.samples(), SwitchSample::outageMs))
                    .append(" | ")
                    .append(r.recordingMaxVideoGapMs())
                    .append(" | ")
                    .append(r.decodeErrors())
                    .append(" |\n");
        }
        return md.toString();
    }

    private static String cell(List<SwitchSample> samples, ToLongFunction<SwitchSample> figure) {
        List<Long> values = samples.stream().map(figure::applyAsLong).toList();
        return values.isEmpty() ? "–" : format(median(values)) + " / " + worst(values);
    }

    /** The middle value; for an even count the mean of the two middle values. */
    public static double median(List<Long> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values is undefined");
        }
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }

    /** The largest value: every figure here is worse when larger. */
    public static long worst(List<Long> values) {
        return values.stream()
                .mapToLong(Long::longValue)
                .max()
                .orElseThrow(() -> new IllegalArgumentException("the worst of no values is undefined"));
    }

    public static String format(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : String.format(Locale.ROOT, "%.1f", value);
    }
}
