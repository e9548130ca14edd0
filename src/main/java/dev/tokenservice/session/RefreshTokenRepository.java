package dev.tokenservice.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class RefreshTokenRepository implements PanacheRepositoryBase<RefreshToken, String> {

    /**
     * The common case of rotation in one statement: spend the token if it is unspent and its session live,
     * store the successor, and return what the new access token needs. It also deletes the chained tokens of the
     * session spent before the one presented: a retry within the grace needs only the one presented, since its
     * successor is the live token, and a reuse of an older one is recognised by its tag (see {@link RefreshTokens}),
     * so a chained session keeps at most two rows however often it rotates. Empty when the token is unknown,
     * spent (by anyone, including a concurrent request that got the row lock first), its session is over, or the
     * request did not prove the DPoP key the session is bound to (a null thumbprint matches only an unbound session).
     */
    private static final String ROTATE = """
            with spent as (
              update %1$s.refresh_token t
                 set spent_at = ?, successor_hash = ?, successor_sealed = ?
                from %1$s.auth_session s
               where t.token_hash = ? and t.spent_at is null
                 and s.id = t.session_id and s.revoked_at is null and s.expires_at > ?
                 and s.dpop_jkt is not distinct from ?
              returning t.session_id),
            successor as (
              insert into %1$s.refresh_token (token_hash, session_id, issued_at, rotation)
              select ?, session_id, ?, ? from spent
              returning session_id),
            pruned as (
              delete from %1$s.refresh_token p
               using spent
               where p.session_id = spent.session_id and p.rotation < ?)
            select s.id, u.id, u.username, u.roles, s.expires_at, s.client_id, s.dpop_jkt, s.refresh_key
              from successor
              join %1$s.auth_session s on s.id = successor.session_id
              join %1$s.user_account u on u.id = s.user_id
            """;

    private final DataSource dataSource;
    private final String rotate;

    public RefreshTokenRepository(DataSource dataSource,
            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.dataSource = dataSource;
        this.rotate = ROTATE.formatted(schema);
    }

    /**
     * Runs {@link #ROTATE} on a connection of its own in auto-commit mode, outside any JTA transaction: the
     * statement is atomic by itself, and is durable in PostgreSQL once this returns. {@code successor} is the new
     * token stored under {@code successorHash}: a plain token, or the body of a chained one (then
     * {@code successorRotation} is its place in the chain), which is handed out with its tag under the session's key.
     */
    public Optional<SessionGrant> rotate(String hash, String successor, String successorHash, byte[] sealed,
            Integer successorRotation, String dpopJkt, Instant now) {
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(rotate)) {
            statement.setObject(1, at);
            statement.setString(2, successorHash);
            statement.setBytes(3, sealed);
            statement.setString(4, hash);
            statement.setObject(5, at);
            statement.setString(6, dpopJkt);
            statement.setString(7, successorHash);
            statement.setObject(8, at);
            statement.setObject(9, successorRotation, Types.INTEGER);
            statement.setObject(10, successorRotation == null ? null : successorRotation - 1, Types.INTEGER);
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                byte[] sessionKey = row.getBytes(8);
                String token = successorRotation == null ? successor : RefreshTokens.chained(successor, sessionKey);
                return Optional.of(new SessionGrant(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        row.getString(3), Arrays.asList(row.getString(4).split(",")),
                        row.getObject(5, OffsetDateTime.class).toInstant(), token, row.getString(6),
                        row.getString(7)));
            }
        } catch (SQLException e) {
            throw new SessionStoreException(e);
        }
    }

    /** The place in its session's chain of the session's newest refresh token; null for a plain-format session. */
    public Integer newestRotation(UUID session) {
        return getEntityManager()
                .createQuery("select max(t.rotation) from RefreshToken t where t.session.id = ?1", Integer.class)
                .setParameter(1, session)
                .getSingleResult();
    }
}
