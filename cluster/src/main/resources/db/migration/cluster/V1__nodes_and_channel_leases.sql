-- Cluster mode (PostgreSQL only). These tables live in the schema "cluster" with their own Flyway history table,
-- apart from the configuration store's tables and migrations.

-- One row per node, written by the node itself every leaseMs/3. heartbeat_at is the database's now(): ages are
-- measured by the database's clock only, never by a node's wall clock.
CREATE TABLE cluster_nodes (
    name         text        PRIMARY KEY,
    address      text        NOT NULL,
    cluster_port integer     NOT NULL,
    rtmp_port    integer     NOT NULL,
    version      text        NOT NULL,
    draining     boolean     NOT NULL DEFAULT false,
    heartbeat_at timestamptz NOT NULL
);

-- One row per channel that was ever owned. The row is never deleted: epoch only grows (fencing), and a released
-- or expired lease keeps its last owner and epoch so the next owner gets epoch + 1.
CREATE TABLE channel_leases (
    channel    text        PRIMARY KEY,
    owner      text        NOT NULL,
    epoch      bigint      NOT NULL CHECK (epoch > 0),
    expires_at timestamptz NOT NULL
);
