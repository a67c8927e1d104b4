-- One row per state-changing API call (who, what, when, outcome), readable by admins (GET /api/v1/audit).
CREATE TABLE audit (
    at       VARCHAR(40)   NOT NULL,  -- ISO-8601 instant
    token    VARCHAR(64)   NOT NULL,  -- the token's name (admin: the first-run admin token)
    role     VARCHAR(16)   NOT NULL,
    method   VARCHAR(10)   NOT NULL,
    path     VARCHAR(200)  NOT NULL,  -- cut to 200 characters
    status   INTEGER       NOT NULL,  -- the HTTP status answered: the outcome
    remote   VARCHAR(64)   NOT NULL   -- the client's address
);
CREATE INDEX audit_at ON audit (at);
