package io.streamrepeater.app;

import io.streamrepeater.control.api.Principal;
import io.streamrepeater.control.store.AdminTokenHash;
import io.streamrepeater.control.store.ApiToken;
import io.streamrepeater.control.store.ConfigStore;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Who a presented API token belongs to: a named token ({@code NAME.SECRET}, {@link ApiToken}) with its role, or else
 * the first-run admin token (another process may have set a new one with {@code admin-token}). Both are read from the
 * store at every request, so a token revoked through another node is refused at once; while the store does not
 * answer, what was read last stands in ({@link LastRead}).
 */
final class ApiTokenCheck implements Function<String, Optional<Principal>> {
    private final LastRead<Optional<AdminTokenHash>> adminToken;
    private final LastRead<List<ApiToken>> tokens;

    ApiTokenCheck(ConfigStore store) {
        this.adminToken = new LastRead<>("admin-token-hash", store::adminTokenHash);
        this.tokens = new LastRead<>("api-tokens", store::apiTokens);
    }

    @Override
    public Optional<Principal> apply(String candidate) {
        ApiToken.Presented presented = ApiToken.parse(candidate);
        if (presented != null) {
            for (ApiToken token : tokens.get()) {
                if (token.name().equals(presented.name())) {
                    return token.matches(presented.secret())
                            ? Optional.of(new Principal(token.name(), token.role()))
                            : Optional.empty();
                }
            }
        }
        return adminToken.get().map(h -> h.matches(candidate)).orElse(false)
                ? Optional.of(Principal.ADMIN)
                : Optional.empty();
    }
}
