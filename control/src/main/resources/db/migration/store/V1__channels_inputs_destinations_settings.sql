-- The configuration store (DESIGN §4): the channels of the YAML file, and server settings that are not in it.
-- Plain SQL that SQLite and PostgreSQL both accept: VARCHAR, INTEGER, BOOLEAN, composite keys.
-- Names and limits follow the config records; the records validate, the schema keeps the data consistent.

CREATE TABLE channels (
    name            VARCHAR(64)   NOT NULL PRIMARY KEY,
    position        INTEGER       NOT NULL,  -- order of the channels, as in the YAML file
    input_loss_ms   INTEGER       NOT NULL,
    failback        VARCHAR(16)   NOT NULL,  -- sticky | auto | manual
    clear_ms        INTEGER       NOT NULL,
    start_mode      VARCHAR(16)   NOT NULL,  -- cached | next-keyframe
    timeline        VARCHAR(16)   NOT NULL,  -- continuous | realtime
    slate           VARCHAR(4096)            -- null: no slate
);

CREATE TABLE inputs (
    channel         VARCHAR(64)   NOT NULL REFERENCES channels (name) ON DELETE CASCADE,
    name            VARCHAR(64)   NOT NULL,
    priority        INTEGER       NOT NULL,  -- 0 = primary
    stream_key      VARCHAR(256)  NOT NULL,  -- stored as given: ingest compares against it
    allow_takeover  BOOLEAN       NOT NULL,
    PRIMARY KEY (channel, name),
    CONSTRAINT inputs_priority_unique UNIQUE (channel, priority),
    -- the key alone selects channel and input at ingest
    CONSTRAINT inputs_stream_key_unique UNIQUE (stream_key)
);

CREATE TABLE destinations (
    channel         VARCHAR(64)   NOT NULL REFERENCES channels (name) ON DELETE CASCADE,
    name            VARCHAR(64)   NOT NULL,
    position        INTEGER       NOT NULL,
    url             VARCHAR(4096) NOT NULL,  -- includes the platform's stream key, stored as given
    enabled         BOOLEAN       NOT NULL,
    backup_url      VARCHAR(4096),
    mode            VARCHAR(16),             -- both | fallback; null without backup_url
    PRIMARY KEY (channel, name),
    CONSTRAINT destinations_position_unique UNIQUE (channel, position)
);

-- Server settings kept by the store, e.g. admin_token_hash (never the token itself).
CREATE TABLE settings (
    name            VARCHAR(64)   NOT NULL PRIMARY KEY,
    value           VARCHAR(4096) NOT NULL
);
