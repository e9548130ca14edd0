package dev.tokenservice.session;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /** Spends the token if, and only if, nobody has spent it yet: the compare-and-set of rotation. */
    public boolean spend(String tokenHash, Instant now, String successorHash, byte[] successorSealed) {
        return update("spentAt = ?1, successorHash = ?2, successorSealed = ?3 where tokenHash = ?4 and spentAt is null",
                now, successorHash, successorSealed, tokenHash) == 1;
    }
}
