package io.streamrepeater.control.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.UUID;

/**
 * The key that encrypts the store's secrets: {@value #FILE_NAME} in the data directory, {@value SecretCipher#KEY_BYTES}
 * random bytes readable by the server's user only (0600). It lives in the data directory whichever database holds
 * the store, so a copy of a PostgreSQL database alone does not reveal a stream key. Losing it means re-entering the
 * destination and input keys; it is backed up together with the database.
 *
 * <p>Created at the first start: the bytes are written to a temporary file that is created with 0600 (never
 * wider, not even for a moment) and then linked under the final name, so the key file is either absent or
 * complete, and of two servers starting at once on one data directory both end up with the same key.
 */
public final class SecretKeyFile {
    /** File name of the key inside the data directory. */
    public static final String FILE_NAME = "secret.key";

    private static final Set<PosixFilePermission> OWNER_ONLY =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    private SecretKeyFile() {}

    /**
     * Reads the data directory's key file, creating it (and the directory) at the first start.
     *
     * @param dataDirectory the server's data directory
     * @return the cipher over the file's key
     * @throws StoreException if the file cannot be created or read, is open to the group or others, or does not
     *     hold exactly {@value SecretCipher#KEY_BYTES} bytes; the message names the file and the fix
     */
    public static SecretCipher loadOrCreate(Path dataDirectory) {
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                create(file);
            }
            return load(file);
        } catch (IOException e) {
            throw new StoreException("cannot read or create the key file " + file + ": " + e, e);
        }
    }

    /**
     * Reads an existing key file without creating one.
     *
     * @throws StoreException as {@link #loadOrCreate(Path)}, and if the file is missing
     */
    public static SecretCipher load(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new StoreException("key file " + file + " is missing or not a regular file");
            }
            if (supportsPosix(file)) {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
                if (permissions.stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    throw new StoreException("key file " + file + " has permissions "
                            + PosixFilePermissions.toString(permissions) + ", open to the group or others; it holds"
                            + " the key of the stored stream keys: run chmod 600 " + file
                            + " (and check who could have read it)");
                }
            }
            long size = Files.size(file);
            if (size != SecretCipher.KEY_BYTES) {
                throw new StoreException("key file " + file + " holds " + size + " bytes; expected "
                        + SecretCipher.KEY_BYTES + ". Restore it from the backup made with the database: without it"
                        + " the stored stream keys cannot be read");
            }
            return SecretCipher.of(Files.readAllBytes(file), file.toString());
        } catch (IOException e) {
            throw new StoreException("cannot read the key file " + file + ": " + e, e);
        }
    }

    private static void create(Path file) throws IOException {
        byte[] key = new byte[SecretCipher.KEY_BYTES];
        new SecureRandom().nextBytes(key);
        Path temporary = file.resolveSibling(FILE_NAME + "." + UUID.randomUUID() + ".tmp");
        boolean posix = supportsPosix(file.getParent());
        try {
            if (posix) {
                Files.createFile(temporary, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } else {
                Files.createFile(temporary);
            }
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(key));
                channel.force(true);
            }
            publish(temporary, file);
            syncDirectory(file.getParent());
        } finally {
            Arrays.fill(key, (byte) 0);
            Files.deleteIfExists(temporary);
        }
    }

    /** Gives the complete temporary file its final name unless another server did so first (then keeps theirs). */
    private static void publish(Path temporary, Path file) throws IOException {
        try {
            Files.createLink(file, temporary);
        } catch (FileAlreadyExistsException e) {
            // another server created it between our check and now: its key wins
        } catch (UnsupportedOperationException | FileSystemException e) {
            // a file system without hard links: a move that refuses to replace, nearly as good
            try {
                Files.move(temporary, file);
            } catch (FileAlreadyExistsException raced) {
                // as above
            }
        }
    }

    /** Makes the new directory entry durable; a file system that cannot sync a directory is left as it is. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // best effort: not every platform can open a directory
        }
    }

    private static boolean supportsPosix(Path path) throws IOException {
        return Files.getFileStore(path).supportsFileAttributeView("posix");
    }
}
