package io.streamrepeater.control.store;

/**
 * The columns whose values are secrets and are stored encrypted ({@link SecretCipher}). The column's name is
 * bound into each ciphertext as associated data, so a value copied into another column does not decrypt there.
 */
enum SecretColumn {
    /** The input's stream key: whoever has it can publish to the channel. */
    INPUT_STREAM_KEY("inputs", "stream_key"),
    /** The input's SRT passphrase: the AES key of its SRT connections. */
    INPUT_SRT_PASSPHRASE("inputs", "srt_passphrase"),
    /** The platform URL, whose last path segment is the platform's stream key. */
    DESTINATION_URL("destinations", "url"),
    /** The platform's backup URL, with the same stream key. */
    DESTINATION_BACKUP_URL("destinations", "backup_url"),
    /** A webhook receiver's URL; its query may hold a token. */
    WEBHOOK_URL("webhooks", "url"),
    /** The key that signs every webhook delivery. */
    WEBHOOK_SECRET("webhooks", "secret");

    private final String table;
    private final String column;

    SecretColumn(String table, String column) {
        this.table = table;
        this.column = column;
    }

    String table() {
        return table;
    }

    String column() {
        return column;
    }

    /** @return {@code table.column}, as error messages and the associated data name it */
    String qualifiedName() {
        return table + "." + column;
    }
}
