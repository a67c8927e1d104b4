package io.streamrepeater.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The {@code api_tokens} table (migration V7), inside the caller's transaction. */
final class ApiTokenTable {
    private ApiTokenTable() {}

    static List<ApiToken> readAll(Connection connection) throws SQLException {
        List<ApiToken> tokens = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(
                        "SELECT name, role, hash, created_at FROM api_tokens ORDER BY name");
                ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                tokens.add(new ApiToken(
                        rows.getString(1),
                        ApiRole.of(rows.getString(2)),
                        AdminTokenHash.parse(rows.getString(3)),
                        Instant.parse(rows.getString(4))));
            }
        }
        return tokens;
    }

    /** @return false if a token of that name exists (nothing written) */
    static boolean insert(Connection connection, ApiToken token) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM api_tokens WHERE name = ?")) {
            select.setString(1, token.name());
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    return false;
                }
            }
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO api_tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, token.name());
            insert.setString(2, token.role().label());
            insert.setString(3, token.hash().encoded());
            insert.setString(4, token.createdAt().toString());
            insert.executeUpdate();
        }
        return true;
    }

    /** @return true if it existed */
    static boolean delete(Connection connection, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM api_tokens WHERE name = ?")) {
            delete.setString(1, name);
            return delete.executeUpdate() == 1;
        }
    }
}
