package io.streamrepeater.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The {@code audit} table (migration V8), inside the caller's transaction. */
final class AuditTable {
    /**
     * Instants as text of one width (nanoseconds always written), so that ordering the text orders the instants;
     * {@link Instant#toString()} leaves out a zero fraction, which sorts {@code 18:00:00Z} after {@code 18:00:00.001Z}.
     */
    static final DateTimeFormatter AT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private AuditTable() {}

    static void insert(Connection connection, AuditEntry e) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit (at, token, role, method, path, status, remote) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, AT.format(e.at()));
            insert.setString(2, e.token());
            insert.setString(3, e.role().label());
            insert.setString(4, e.method());
            insert.setString(5, e.path());
            insert.setInt(6, e.status());
            insert.setString(7, e.remote());
            insert.executeUpdate();
        }
    }

    /** @return the latest {@code limit} entries, oldest first */
    static List<AuditEntry> latest(Connection connection, int limit) throws SQLException {
        List<AuditEntry> entries = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT at, token, role, method, path, status, remote FROM audit ORDER BY at DESC LIMIT ?")) {
            select.setInt(1, limit);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    entries.add(new AuditEntry(
                            Instant.parse(rows.getString(1)),
                            rows.getString(2),
                            ApiRole.of(rows.getString(3)),
                            rows.getString(4),
                            rows.getString(5),
                            rows.getInt(6),
                            rows.getString(7)));
                }
            }
        }
        Collections.reverse(entries);
        return entries;
    }
}
