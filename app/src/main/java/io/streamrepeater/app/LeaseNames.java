package io.streamrepeater.app;

/**
 * What the cluster's leases are named: a channel's own lease (who relays it) has the channel's name; the lease of its
 * backup ingests (destinations with a {@code backupUrl} in {@code both} mode, pushed by a node other than the owner,
 * see {@link BackupIngestRelays}) has the channel's name and {@value #BACKUP_INGESTS}. No channel name has a '#'.
 */
final class LeaseNames {
    static final String BACKUP_INGESTS = "#backup-ingests";

    private LeaseNames() {}

    /** The lease of the channel's backup ingests. */
    static String backupIngestsOf(String channel) {
        return channel + BACKUP_INGESTS;
    }

    static boolean isBackupIngests(String lease) {
        return lease.endsWith(BACKUP_INGESTS);
    }

    /** The channel a lease is of. */
    static String channelOf(String lease) {
        return isBackupIngests(lease) ? lease.substring(0, lease.length() - BACKUP_INGESTS.length()) : lease;
    }
}
