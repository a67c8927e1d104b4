package io.streamrepeater.app;

import io.streamrepeater.control.api.Principal;
import io.streamrepeater.control.store.ApiToken;
import io.streamrepeater.control.store.ConfigStore;
import io.streamrepeater.control.store.StoreException;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who a presented API token belongs to: a named token ({@code NAME.SECRET}, {@link ApiToken}) with its role, read
 * from the store at every request (a token revoked through another node is refused at once), or else the first-run
 * admin token ({@link AdminTokenCheck}). While the store does not answer, the tokens last read are used, as the admin
 * token's check does, so that operators are not locked out of a server that is still streaming.
 */
final class ApiTokenCheck implements Function<String, Optional<Principal>> {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTokenCheck.class);

    private final ConfigStore store;
    private final AdminTokenCheck admin;
    private volatile List<ApiToken> lastKnown = List.of();
    private volatile boolean storeDown;

    ApiTokenCheck(ConfigStore store) {
        this.store = store;
        this.admin = new AdminTokenCheck(store);
        try {
            lastKnown = store.apiTokens();
        } catch (StoreException e) {
            LOG.warn("event=api-token-check-not-primed reason=\"{}\"", e.getMessage());
        }
    }

    @Override
    public Optional<Principal> apply(String candidate) {
        ApiToken.Presented presented = ApiToken.parse(candidate);
        if (presented != null) {
            for (ApiToken token : tokens()) {
                if (token.name().equals(presented.name())) {
                    return token.matches(presented.secret())
                            ? Optional.of(new Principal(token.name(), token.role()))
                            : Optional.empty();
                }
            }
        }
        return admin.test(candidate) ? Optional.of(Principal.ADMIN) : Optional.empty();
    }

    private List<ApiToken> tokens() {
        try {
            List<ApiToken> tokens = store.apiTokens();
            lastKnown = tokens;
            if (storeDown) {
                storeDown = false;
                LOG.info("event=api-token-check-store-back");
            }
            return tokens;
        } catch (StoreException e) {
            if (!storeDown) {
                storeDown = true;
                LOG.warn("event=api-token-check-last-known reason=\"{}\"", e.getMessage());
            }
            return lastKnown;
        }
    }
}
