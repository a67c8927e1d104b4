package io.streamrepeater.cluster;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a {@link LeaseKeeper} reports, with the monotonic time of each report. */
final class RecordingLeaseListener implements LeaseListener {
    /** One report: {@code reason} is null for an acquire. */
    record Report(String channel, long epoch, LeaseLossReason reason, long atNanos) {
        boolean acquired() {
            return reason == null;
        }
    }

    private final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public void acquired(String channel, long epoch) {
        reports.add(new Report(channel, epoch, null, System.nanoTime()));
    }

    @Override
    public void lost(String channel, long epoch, LeaseLossReason reason) {
        reports.add(new Report(channel, epoch, reason, System.nanoTime()));
    }

    private final List<Long> renewLatencies = new CopyOnWriteArrayList<>();

    @Override
    public void renewed(String channel, long latencyNanos) {
        renewLatencies.add(latencyNanos);
    }

    /** How long each successful renewal took to be answered, in nanoseconds (not among {@link #reports()}). */
    List<Long> renewLatencies() {
        return List.copyOf(renewLatencies);
    }

    List<Report> reports() {
        return List.copyOf(reports);
    }

    Optional<Report> lastAcquired(String channel) {
        return reports().stream()
                .filter(report -> report.acquired() && report.channel().equals(channel))
                .reduce((first, second) -> second);
    }

    Optional<Report> lastLost(String channel) {
        return reports().stream()
                .filter(report -> !report.acquired() && report.channel().equals(channel))
                .reduce((first, second) -> second);
    }
}
