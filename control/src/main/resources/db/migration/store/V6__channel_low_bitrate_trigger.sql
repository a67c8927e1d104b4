-- A channel's optional low-bitrate failover trigger (failover.lowBitrate, issue #15); both NULL: off.
ALTER TABLE channels ADD COLUMN low_bitrate_below_kbps INTEGER;
ALTER TABLE channels ADD COLUMN low_bitrate_for_ms INTEGER;
