package dev.tokenservice.event;

import static dev.tokenservice.Api.bearer;

import java.util.List;
import java.util.Map;

import io.restassured.response.Response;

/** The event lists as the API returns them. */
final class Events {

    private Events() {
    }

    static Response own(String accessToken) {
        return bearer(accessToken).get("/auth/events");
    }

    /** The caller's own events, newest first. */
    static List<Map<String, Object>> ownEvents(String accessToken) {
        return own(accessToken).then().statusCode(200).extract().jsonPath().getList("events");
    }

    /** The caller's own events of one type, newest first. */
    static List<Map<String, Object>> ownEvents(String accessToken, String type) {
        return ownEvents(accessToken).stream().filter(event -> type.equals(event.get("type"))).toList();
    }

    @SuppressWarnings("unchecked")
    static Object detail(Map<String, Object> event, String key) {
        return ((Map<String, Object>) event.get("detail")).get(key);
    }
}
