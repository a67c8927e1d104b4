-- A channel's destination supervision settings (the YAML's relay section); null means the default.
ALTER TABLE channels ADD COLUMN retry_max_ms INTEGER;
ALTER TABLE channels ADD COLUMN stall_timeout_ms INTEGER;
