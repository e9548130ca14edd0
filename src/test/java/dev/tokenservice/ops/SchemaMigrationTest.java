package dev.tokenservice.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Flyway runs only when the database lacks a migration this build carries. */
@QuarkusTest
class SchemaMigrationTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");
    private static final String OTHER_SCHEMA = "schema_migration_test";

    @Inject
    SchemaMigration migration;

    @Inject
    DataSource dataSource;

    @Inject
    Instance<Flyway> flyway;

    @AfterEach
    void dropOtherSchema() throws SQLException {
        execute("drop schema if exists " + OTHER_SCHEMA + " cascade");
    }

    @Test
    void theLatestVersionIsTheHighestScriptInTheBuild() throws IOException {
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            int highest = scripts.map(path -> VERSIONED.matcher(path.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToInt(matcher -> Integer.parseInt(matcher.group(1)))
                    .max().orElseThrow();
            assertEquals(highest, SchemaMigration.LATEST_VERSION,
                    "SchemaMigration.LATEST_VERSION must name the newest migration, or nodes skip it at start");
        }
    }

    @Test
    void aMigratedDatabaseReportsTheLatestVersion() {
        assertEquals(SchemaMigration.LATEST_VERSION, migration.appliedVersion());
    }

    @Test
    void aSchemaWithoutHistoryIsMigrated() {
        assertEquals(-1, other().appliedVersion());
    }

    @Test
    void aFailedMigrationLeavesTheDecisionToFlyway() throws SQLException {
        history();
        execute("insert into " + OTHER_SCHEMA + ".flyway_schema_history values ('1', true), ('2', false)");

        assertEquals(-1, other().appliedVersion());
    }

    @Test
    void theAppliedVersionIsTheHighestSuccessfulOne() throws SQLException {
        history();
        execute("insert into " + OTHER_SCHEMA + ".flyway_schema_history values ('2', true), ('10', true),"
                + " ('9', true), (null, true)");

        assertEquals(10, other().appliedVersion());
    }

    private SchemaMigration other() {
        return new SchemaMigration(dataSource, flyway, OTHER_SCHEMA);
    }

    private void history() throws SQLException {
        execute("create schema " + OTHER_SCHEMA);
        execute("create table " + OTHER_SCHEMA + ".flyway_schema_history (version varchar(50), success boolean)");
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
