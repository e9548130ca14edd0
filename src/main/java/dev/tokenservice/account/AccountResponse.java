package dev.tokenservice.account;

import java.util.List;
import java.util.UUID;

/** What the API shows of an account: never its password hash. */
public record AccountResponse(UUID id, String username, List<String> roles) {

    static AccountResponse of(UserAccount account) {
        return new AccountResponse(account.id, account.username, account.roleList());
    }
}
