package dev.tokenservice.session;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /**
     * The common case of rotation in one statement: spend the token if it is unspent and its session live,
     * store the successor, and return what the new access token needs. Empty when the token is unknown,
     * spent (by anyone, including a concurrent request that got the row lock first) or its session is over.
     */
    private static final String ROTATE = """
            with spent as (
              update {h-schema}refresh_token t
                 set spent_at = :now, successor_hash = :successor, successor_sealed = :sealed
                from {h-schema}auth_session s
               where t.token_hash = :hash and t.spent_at is null
                 and s.id = t.session_id and s.revoked_at is null and s.expires_at > :now
              returning t.session_id),
            successor as (
              insert into {h-schema}refresh_token (token_hash, session_id, issued_at)
              select :successor, session_id, :now from spent
              returning session_id)
            select s.id, u.id, u.username, u.roles, s.expires_at
              from successor
              join {h-schema}auth_session s on s.id = successor.session_id
              join {h-schema}user_account u on u.id = s.user_id
            """;

    public Optional<SessionGrant> rotate(String hash, String successor, String successorHash, byte[] sealed, Instant now) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = getEntityManager().createNativeQuery(ROTATE)
                .setParameter("now", now)
                .setParameter("successor", successorHash)
                .setParameter("sealed", sealed)
                .setParameter("hash", hash)
                .getResultList();
        return rows.stream().findFirst().map(row -> new SessionGrant((UUID) row[0], (UUID) row[1], (String) row[2],
                Arrays.asList(((String) row[3]).split(",")), toInstant(row[4]), successor));
    }

    private static Instant toInstant(Object value) {
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return ((Timestamp) value).toInstant();
    }
}
