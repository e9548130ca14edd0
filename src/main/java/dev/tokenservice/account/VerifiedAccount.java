package dev.tokenservice.account;

import java.util.List;
import java.util.UUID;

/**
 * An account whose password was just checked, with the session epoch read together with the hash: a session
 * may be opened for it only while that epoch is still current (see {@code SessionService#open}).
 */
public record VerifiedAccount(UUID id, String username, List<String> roles, long sessionEpoch) {

    static VerifiedAccount of(UserAccount account) {
        return new VerifiedAccount(account.id, account.username, account.roleList(), account.sessionEpoch);
    }
}
