package dev.tokenservice.ops;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.Flyway;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs Flyway when the database lacks a migration this build carries, before anything else at start uses the
 * database. A node starting on a schema that is already current reads one row instead of booting Flyway and
 * validating every applied migration, which was about a tenth of the start. A schema ahead of this build (a newer
 * node migrated it during a rolling upgrade) is left alone, as Flyway leaves future migrations alone.
 */
@ApplicationScoped
public class SchemaMigration {

    /** The highest {@code V<n>__} script under {@code db/migration}; {@code SchemaMigrationTest} keeps it so. */
    static final int LATEST_VERSION = 12;

    private final DataSource dataSource;
    private final Instance<Flyway> flyway;
    private final String schema;

    public SchemaMigration(DataSource dataSource, Instance<Flyway> flyway,
            @ConfigProperty(name = "quarkus.hibernate-orm.database.default-schema") String schema) {
        this.dataSource = dataSource;
        this.flyway = flyway;
        this.schema = schema;
    }

    void onStart(@Observes @Priority(1) StartupEvent event) {
        int applied = appliedVersion();
        if (applied >= LATEST_VERSION) {
            Log.debugf("schema %s is at version %d: no migration to run", schema, applied);
            return;
        }
        flyway.get().migrate();
    }

    /**
     * The highest version applied, or -1 when there is no history yet, a migration failed, or the history cannot
     * be read: Flyway then decides and reports.
     */
    int appliedVersion() {
        String query = "select count(*) filter (where not success),"
                + " max(cast(version as integer)) filter (where success)"
                + " from " + schema + ".flyway_schema_history where version ~ '^[0-9]+$'";
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(query)) {
            row.next();
            int failed = row.getInt(1);
            int latest = row.getInt(2);
            return failed > 0 || row.wasNull() ? -1 : latest;
        } catch (SQLException e) {
            return -1;
        }
    }
}
