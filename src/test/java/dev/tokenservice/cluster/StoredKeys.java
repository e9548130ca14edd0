package dev.tokenservice.cluster;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The signing_key rows of a test's own database, read the way an intruder with a database dump would. */
record StoredKeys(String jdbcUrl) {

    /** Every private key still stored, as stored. */
    List<byte[]> privateKeys() throws SQLException {
        List<byte[]> stored = new ArrayList<>();
        try (Connection db = connect(); ResultSet rows = db.createStatement()
                .executeQuery("select private_key from token_service.signing_key where private_key is not null")) {
            while (rows.next()) {
                stored.add(rows.getBytes(1));
            }
        }
        return stored;
    }

    byte[] privateKey(String kid) throws SQLException {
        return (byte[]) column(kid, "private_key");
    }

    Instant supersededAt(String kid) throws SQLException {
        return ((Timestamp) column(kid, "superseded_at")).toInstant();
    }

    Instant retiredAt(String kid) throws SQLException {
        return ((Timestamp) column(kid, "retired_at")).toInstant();
    }

    private Object column(String kid, String column) throws SQLException {
        try (Connection db = connect();
                PreparedStatement query = db.prepareStatement(
                        "select " + column + " from token_service.signing_key where kid = ?")) {
            query.setString(1, kid);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("no signing key " + kid);
                }
                return row.getObject(1);
            }
        }
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl, "postgres", "");
    }
}
