package dev.tokenservice.session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
     * store the successor, and return what the new access token needs. Empty when the token is unknown,
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
              insert into %1$s.refresh_token (token_hash, session_id, issued_at)
              select ?, session_id, ? from spent
              returning session_id)
            select s.id, u.id, u.username, u.roles, s.expires_at, s.client_id, s.dpop_jkt
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
     * statement is atomic by itself, and is durable in PostgreSQL once this returns.
     */
    public Optional<SessionGrant> rotate(String hash, String successor, String successorHash, byte[] sealed,
            String dpopJkt, Instant now) {
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
            try (ResultSet row = statement.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SessionGrant(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        row.getString(3), Arrays.asList(row.getString(4).split(",")),
                        row.getObject(5, OffsetDateTime.class).toInstant(), successor, row.getString(6),
                        row.getString(7)));
            }
        } catch (SQLException e) {
            throw new SessionStoreException(e);
        }
    }
}
