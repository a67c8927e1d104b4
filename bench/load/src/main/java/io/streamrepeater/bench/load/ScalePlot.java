package io.streamrepeater.bench.load;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;

/**
 * The scale plot of docs/performance.md: CPU (% of one core) and peak RSS (MiB) against the number of channels, one
 * line per relay, from the runs of this benchmark (the mean over reps at each channel count). Drawn with Java2D, so
 * the benchmark needs no plotting tool.
 */
final class ScalePlot {
    private static final int PANEL_WIDTH = 560;
    private static final int HEIGHT = 420;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_RIGHT = 20;
    private static final int MARGIN_TOP = 50;
    private static final int MARGIN_BOTTOM = 60;
    private static final Color[] LINE_COLOURS = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
    };

    private ScalePlot() {}

    /** Writes the plot of {@code results} to {@code png}; the title names the workloads' destinations per channel. */
    static void write(List<RunResult> results, Path png, String title) throws IOException {
        Map<String, TreeMap<Integer, double[]>> byRelay = new LinkedHashMap<>();
        for (RunResult r : results) {
            double[] acc = byRelay.computeIfAbsent(r.relay(), k -> new TreeMap<>())
                    .computeIfAbsent(r.workload().channels(), k -> new double[3]);
            acc[0] += r.corePercent();
            acc[1] += r.peakRssBytes() / (1024.0 * 1024.0);
            acc[2]++;
        }
        BufferedImage image = new BufferedImage(2 * PANEL_WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, image.getWidth(), image.getHeight());
            panel(g, 0, byRelay, a -> a[0] / a[2], "CPU, % of one core", title);
            panel(g, PANEL_WIDTH, byRelay, a -> a[1] / a[2], "peak RSS, MiB", title);
        } finally {
            g.dispose();
        }
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }

    private static void panel(
            Graphics2D g,
            int x0,
            Map<String, TreeMap<Integer, double[]>> byRelay,
            ToDoubleFunction<double[]> value,
            String yLabel,
            String title) {
        double maxChannels = niceCeiling(
                byRelay.values().stream().mapToInt(TreeMap::lastKey).max().orElse(1));
        double maxValue = byRelay.values().stream()
                .flatMap(points -> points.values().stream())
                .mapToDouble(value)
                .max()
                .orElse(1);
        double yTop = niceCeiling(maxValue);
        int left = x0 + MARGIN_LEFT;
        int right = x0 + PANEL_WIDTH - MARGIN_RIGHT;
        int top = MARGIN_TOP;
        int bottom = HEIGHT - MARGIN_BOTTOM;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.setColor(Color.BLACK);
        g.drawString(yLabel + " — " + title, left, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        // grid and axes: 5 steps on each
        for (int i = 0; i <= 5; i++) {
            int y = bottom - (bottom - top) * i / 5;
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, right, y);
            g.setColor(Color.BLACK);
            String label = format(yTop * i / 5);
            g.drawString(label, left - 8 - g.getFontMetrics().stringWidth(label), y + 4);
            int x = left + (right - left) * i / 5;
            String channels = format(maxChannels * i / 5);
            g.drawString(channels, x - g.getFontMetrics().stringWidth(channels) / 2, bottom + 18);
        }
        g.drawLine(left, bottom, right, bottom);
        g.drawLine(left, top, left, bottom);
        g.drawString("channels", (left + right) / 2 - 25, bottom + 38);
        int colour = 0;
        int legendY = top + 15;
        for (Map.Entry<String, TreeMap<Integer, double[]>> relay : byRelay.entrySet()) {
            g.setColor(LINE_COLOURS[colour++ % LINE_COLOURS.length]);
            g.setStroke(new BasicStroke(2f));
            List<int[]> points = new ArrayList<>();
            relay.getValue()
                    .forEach((channels, acc) -> points.add(new int[] {
                        left + (int) Math.round((right - left) * channels / maxChannels),
                        bottom - (int) Math.round((bottom - top) * value.applyAsDouble(acc) / yTop)
                    }));
            for (int i = 0; i < points.size(); i++) {
                int[] p = points.get(i);
                g.fillOval(p[0] - 4, p[1] - 4, 8, 8);
                if (i > 0) {
                    int[] q = points.get(i - 1);
                    g.drawLine(q[0], q[1], p[0], p[1]);
                }
            }
            g.drawLine(left + 12, legendY - 4, left + 36, legendY - 4);
            g.drawString(relay.getKey(), left + 42, legendY);
            legendY += 18;
        }
    }

    /** The next round number at or above {@code v} (1, 2 or 5 times a power of ten), for the top of an axis. */
    static double niceCeiling(double v) {
        if (v <= 0) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= v) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String format(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
