-- Receivers of a channel's events (the YAML's webhooks list), in the order given.
CREATE TABLE webhooks (
    channel         VARCHAR(64)   NOT NULL REFERENCES channels (name) ON DELETE CASCADE,
    position        INTEGER       NOT NULL,
    url             VARCHAR(4096) NOT NULL,  -- http(s); its query may hold a token
    secret          VARCHAR(256)  NOT NULL,  -- the HMAC key, stored as given: every delivery is signed with it
    -- URLs are unique per channel, checked by the config records (an index on a 4096-character column
    -- would exceed PostgreSQL's index row limit)
    PRIMARY KEY (channel, position)
);
