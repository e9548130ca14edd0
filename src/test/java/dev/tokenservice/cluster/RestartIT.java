package dev.tokenservice.cluster;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.tokenservice.TokenParts;

/**
 * Restarts of one node of the packaged service with another configuration, on its own PostgreSQL and Redis:
 * the admin bootstrap, and signing keys replaced by a PEM and encrypted at rest.
 */
class RestartIT {

    private static final int PORT = 19280;
    private static final String KEK = "restart-it key-encryption key";
    private static final String LIFETIME = "20s";
    private static final Duration SKEW = Duration.ofSeconds(1);

    private static ScratchPostgres postgres;
    private static ScratchRedis redis;
    private final Client client = new Client("http://127.0.0.1:" + PORT);

    @BeforeAll
    static void startStores() {
        postgres = new ScratchPostgres(15436);
        postgres.start();
        redis = new ScratchRedis(16403, false);
        redis.start();
    }

    @AfterAll
    static void stopStores() {
        try {
            redis.stop();
        } finally {
            postgres.stop();
        }
    }

    @Test
    void aNameRegisteredBeforeTheAdminWasConfiguredIsNeverMadeAdmin() {
        String squatterRefresh;
        try (ServiceProcess node = start(settings())) {
            client.register("RootAdmin").then().statusCode(201);
            squatterRefresh = client.login("RootAdmin", Client.PASSWORD).then().statusCode(200)
                    .extract().path("refresh_token");
        }

        ServiceProcess refused = ServiceProcess.startExpectingExit(PORT,
                settings("auth.admin.username", "rootadmin", "auth.admin.password", "an admin password 123"));
        assertRefusedToStart(refused, "dev.tokenservice.account.AdminBootstrap", "auth.admin.username 'rootadmin'"
                + " belongs to an account the admin bootstrap did not create; it is not made admin."
                + " Choose another admin username.");

        try (ServiceProcess node = start(settings())) {
            String access = client.refresh(squatterRefresh).then().statusCode(200).extract().path("access_token");
            assertEquals(List.of("user"), TokenParts.claims(access).getList("groups"));
            client.bearer(access).get("/api/admin/ping").then().statusCode(403);
        }
    }

    @Test
    void aChangedAdminPasswordRevokesTheAdminsSessions() {
        String admin = "restart-admin";
        String oldRefresh;
        try (ServiceProcess node = start(settings("auth.admin.username", admin,
                "auth.admin.password", "first admin password"))) {
            oldRefresh = client.login(admin, "first admin password").then().statusCode(200)
                    .extract().path("refresh_token");
        }

        try (ServiceProcess node = start(settings("auth.admin.username", admin,
                "auth.admin.password", "second admin password"))) {
            client.refresh(oldRefresh).then().statusCode(401);
            client.login(admin, "first admin password").then().statusCode(401);
            String access = client.login(admin, "second admin password").then().statusCode(200)
                    .extract().path("access_token");
            client.bearer(access).get("/api/admin/ping").then().statusCode(200);
        }
    }

    @Test
    void aNewPemRetiresTheOldKeyWhoseEncryptedPrivateHalfIsErased() throws Exception {
        KeyPair a = ecKeyPair();
        KeyPair b = ecKeyPair();
        String tokenOfA;
        try (ServiceProcess node = start(shortLived("auth.signing-key.pem", pem(a)))) {
            tokenOfA = client.newSession().path("access_token");
            client.greeting(forgedLike(tokenOfA, a.getPrivate())).then().statusCode(200);
            assertEveryStoredPrivateKeyIsEncrypted();
        }
        String kidOfA = TokenParts.header(tokenOfA).getString("kid");

        try (ServiceProcess node = start(shortLived("auth.signing-key.pem", pem(b)))) {
            assertThat(jwksKids(), hasItem(kidOfA));
            client.greeting(tokenOfA).then().statusCode(200);
            assertNull(keys().privateKey(kidOfA));
            assertEveryStoredPrivateKeyIsEncrypted();

            awaitPast(keys().supersededAt(kidOfA).plus(SKEW).plusSeconds(1));
            client.greeting(forgedLike(tokenOfA, a.getPrivate())).then().statusCode(401);
            assertThat(client.plain().get("/q/metrics").asString(), containsString("reason=\"key_superseded\""));

            awaitPast(keys().retiredAt(kidOfA));
            assertThat(jwksKids(), not(hasItem(kidOfA)));
            client.greeting(tokenOfA).then().statusCode(401);
        }

        ServiceProcess refused = ServiceProcess.startExpectingExit(PORT,
                settings("auth.signing-key.pem", pem(b), "auth.signing-key.encryption-key", "not the key"));
        assertRefusedToStart(refused, "dev.tokenservice.key.KeyService",
                "cannot be decrypted: auth.signing-key.encryption-key");
    }

    /** The process exited with an error, and one log line of {@code source} tells the operator why. */
    private static void assertRefusedToStart(ServiceProcess node, String source, String reason) {
        assertNotEquals(0, node.exitCode());
        String log = node.log();
        assertTrue(log.lines().anyMatch(line -> line.contains("ERROR [" + source + "]") && line.contains(reason)), log);
    }

    private static ServiceProcess start(Map<String, String> settings) {
        return ServiceProcess.start(PORT, settings);
    }

    private static Map<String, String> settings(String... pairs) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "quarkus.datasource.jdbc.url", postgres.jdbcUrl(),
                "quarkus.redis.hosts", redis.url(),
                "auth.signing-key.encryption-key", KEK));
        for (int i = 0; i < pairs.length; i += 2) {
            settings.put(pairs[i], pairs[i + 1]);
        }
        return settings;
    }

    /** Tokens that expire within the test, so that a superseded key is retired within it too. */
    private static Map<String, String> shortLived(String key, String value) {
        return settings(key, value, "auth.access-token.lifetime", LIFETIME, "auth.clock-skew", SKEW.toSeconds() + "s");
    }

    /** A token with the real token's subject, session and roles, freshly issued and signed with {@code key}. */
    private static String forgedLike(String token, PrivateKey key) throws Exception {
        JwtClaims claims = JwtClaims.parse(TokenParts.json(token, 1));
        long now = Instant.now().getEpochSecond();
        claims.setJwtId(UUID.randomUUID().toString());
        claims.setIssuedAt(NumericDate.fromSeconds(now));
        claims.setExpirationTime(NumericDate.fromSeconds(now + 20));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKeyIdHeaderValue(TokenParts.header(token).getString("kid"));
        jws.setHeader("typ", "at+jwt");
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static void assertEveryStoredPrivateKeyIsEncrypted() throws SQLException {
        List<byte[]> stored = keys().privateKeys();
        assertEquals(2, stored.size(), "only the signing key and the published next key keep their private halves");
        for (byte[] value : stored) {
            assertEquals("kek1", new String(value, 0, 4, StandardCharsets.US_ASCII));
            assertThrows(InvalidKeySpecException.class,
                    () -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(value)));
        }
    }

    private static StoredKeys keys() {
        return new StoredKeys(postgres.jdbcUrl());
    }

    private List<String> jwksKids() {
        return client.plain().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys.kid");
    }

    private static void awaitPast(Instant instant) throws InterruptedException {
        long millis = Duration.between(Instant.now(), instant).toMillis();
        assertFalse(millis > 60_000, "waiting " + millis + " ms");
        if (millis > 0) {
            Thread.sleep(millis + 100);
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private static String pem(KeyPair pair) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPrivate()
                        .getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }
}
