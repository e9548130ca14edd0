package dev.tokenservice.client;

import java.util.List;
import java.util.Set;

/** A configured client, without its secret. */
public record RegisteredClient(String id, ClientType type, Set<GrantType> grantTypes, List<String> audiences,
        Set<String> scopes, boolean dpopRequired) {

    public boolean isConfidential() {
        return type == ClientType.CONFIDENTIAL;
    }

    public boolean allows(GrantType grantType) {
        return grantTypes.contains(grantType);
    }
}
