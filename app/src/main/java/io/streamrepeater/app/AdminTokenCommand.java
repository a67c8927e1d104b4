package io.streamrepeater.app;

import io.streamrepeater.control.config.ConfigException;
import io.streamrepeater.control.config.FirstRun;
import io.streamrepeater.control.store.AdminTokenHash;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.StoreException;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code stream-repeater admin-token --reset}: the way back in for the owner of the machine when the admin token is
 * lost. Local: it needs the server's data directory (its secret key), not the API. The new token is printed once and
 * stored hashed; a running server checks tokens against the store, so it takes effect at once.
 */
@Command(
        name = "admin-token",
        mixinStandardHelpOptions = true,
        description = "Replace a lost admin token (run on the server's machine, with access to its data directory);"
                + " the new token is printed once.")
public final class AdminTokenCommand implements Callable<Integer> {
    @Mixin
    LocalStoreOptions store;

    @Option(names = "--reset", required = true, description = "Make a new admin token; the old one stops working.")
    boolean reset;

    @Override
    public Integer call() {
        SecureRandom random = new SecureRandom();
        try (ConfigStore opened = store.open()) {
            String token = FirstRun.newAdminToken(random);
            opened.setAdminTokenHash(AdminTokenHash.of(token, random));
            System.out.println(
                    "New admin token (stored hashed, shown only once; the old one no longer works): " + token);
            return 0;
        } catch (IllegalArgumentException | ConfigException | StoreException e) {
            System.err.println("stream-repeater admin-token: " + e.getMessage());
            return 1;
        }
    }
}
