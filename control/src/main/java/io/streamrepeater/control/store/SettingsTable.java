package io.streamrepeater.control.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/** The {@code settings} table (migration V1): server settings by name, inside the caller's transaction. */
final class SettingsTable {
    private SettingsTable() {}

    static Optional<String> read(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM settings WHERE name = ?")) {
            select.setString(1, name);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    static void write(Connection connection, String name, String value) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE settings SET value = ? WHERE name = ?")) {
            update.setString(1, value);
            update.setString(2, name);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert =
                connection.prepareStatement("INSERT INTO settings (name, value) VALUES (?, ?)")) {
            insert.setString(1, name);
            insert.setString(2, value);
            insert.executeUpdate();
        }
    }

    static void delete(Connection connection, String name) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM settings WHERE name = ?")) {
            delete.setString(1, name);
            delete.executeUpdate();
        }
    }

    /** @return the number of settings other than {@code excluded} */
    static int countExcept(Connection connection, String excluded) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT COUNT(*) FROM settings WHERE name <> ?")) {
            select.setString(1, excluded);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
