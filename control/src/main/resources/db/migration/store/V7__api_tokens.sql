-- API tokens with a role (viewer, operator, admin), beside the first-run admin token (a setting). Only a salted
-- hash of each token is kept; the token itself is shown once, when it is created.
CREATE TABLE api_tokens (
    name        VARCHAR(64)  NOT NULL PRIMARY KEY,  -- [a-z0-9-]+, the part of the token before its dot
    role        VARCHAR(16)  NOT NULL,              -- viewer | operator | admin
    hash        VARCHAR(200) NOT NULL,              -- sha256:SALT_HEX:DIGEST_HEX of the token's secret part
    created_at  VARCHAR(40)  NOT NULL               -- ISO-8601 instant
);
