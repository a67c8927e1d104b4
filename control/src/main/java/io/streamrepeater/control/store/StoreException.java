package io.streamrepeater.control.store;

/**
 * The store could not be opened, read or written: the database is unreachable, the file is not a
 * database, a migration failed. The message names the store (its JDBC URL without credentials) and
 * what was being done; it never holds a stream key or token. A refused <em>value</em> (a duplicate
 * input key, an invalid channel) is an {@link IllegalArgumentException} instead.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
