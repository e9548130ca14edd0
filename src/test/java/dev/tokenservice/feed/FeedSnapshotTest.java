package dev.tokenservice.feed;

import static dev.tokenservice.Api.bearer;
import static dev.tokenservice.Api.newSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.tokenservice.Api.Tokens;
import dev.tokenservice.TokenParts;
import dev.tokenservice.feed.FeedStream.Block;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/** On connecting, a consumer gets every live revocation in one snapshot event. */
@QuarkusTest
@TestProfile(ShortFeedTimers.class)
class FeedSnapshotTest {

    @TestHTTPResource("/oauth/revocations")
    URI feed;

    @Test
    void theSnapshotHoldsRevokedTokensSessionsAndUserCutoffs() throws Exception {
        Tokens loggedOut = newSession();
        bearer(loggedOut.accessToken()).post("/auth/logout").then().statusCode(204);
        Tokens everywhere = newSession();
        bearer(everywhere.accessToken()).post("/auth/logout-all").then().statusCode(204);
        JsonPath token = TokenParts.claims(loggedOut.accessToken());
        JsonPath user = TokenParts.claims(everywhere.accessToken());

        try (FeedStream stream = FeedStream.open(feed, null)) {
            assertEquals("1000", stream.next().retry());
            Block snapshot = stream.next();

            assertEquals("snapshot", snapshot.event());
            assertTrue(snapshot.id().matches("\\d+-\\d+"), snapshot.id());
            List<Map<String, Object>> revocations = snapshot.json().getList("revocations");
            assertTrue(revocations.contains(Map.of("type", "token", "jti", token.getString("jti"),
                    "exp", token.getInt("exp") + 5)), "the logged-out token, until it expires (plus skew)");
            Map<String, Object> session = find(revocations, "sid", token.getString("sid"));
            assertEquals("session", session.get("type"));
            assertTrue((Integer) session.get("exp") >= token.getInt("exp"), "the session until its last token expires");
            Map<String, Object> cutoff = find(revocations, "sub", user.getString("sub"));
            assertEquals("user", cutoff.get("type"));
            assertTrue((Integer) cutoff.get("iat_before") >= user.getInt("iat"), "covers the token issued before");
            assertTrue((Integer) cutoff.get("exp") >= user.getInt("exp"), "until the user's last token expires");
            assertEquals(4, cutoff.size(), "type, sub, iat_before and exp: " + cutoff);
        }
    }

    static Map<String, Object> find(List<Map<String, Object>> revocations, String field, String value) {
        return revocations.stream().filter(revocation -> value.equals(revocation.get(field))).findFirst()
                .orElseThrow(() -> new AssertionError("no revocation with " + field + " " + value));
    }
}
