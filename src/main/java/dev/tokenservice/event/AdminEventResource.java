package dev.tokenservice.event;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import dev.tokenservice.account.InvalidUsernameException;
import dev.tokenservice.account.Username;
import dev.tokenservice.token.InvalidRequestException;

@Path("/admin/events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "bearer")
public class AdminEventResource {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 200;
    private static final List<String> PARAMETERS = List.of("user", "type", "since", "cursor", "limit");
    private static final Base64.Encoder CURSOR_ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final String TYPES = String.join(", ",
            Arrays.stream(SecurityEventType.values()).map(SecurityEventType::wire).toList());

    private final SecurityEventLog log;

    public AdminEventResource(SecurityEventLog log) {
        this.log = log;
    }

    @GET
    @Operation(summary = "Security events of every user, newest first, filtered and paged")
    @APIResponse(responseCode = "200", description = "A page of events; next_cursor (null at the end) asks for older")
    @APIResponse(responseCode = "400", description = "An unknown type, a malformed since, cursor or limit, or a"
            + " parameter given twice")
    @APIResponse(responseCode = "401", description = "No valid access token")
    @APIResponse(responseCode = "403", description = "Not an admin")
    public EventPageResponse list(
            @Parameter(description = "Only this user's events (matched canonically; no such user: none)")
            @QueryParam("user") String user,
            @Parameter(description = "Only events of this type, e.g. login.failed") @QueryParam("type") String type,
            @Parameter(description = "Only events at or after this RFC 3339 time") @QueryParam("since") String since,
            @Parameter(description = "The next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @Parameter(description = "Events per page, 1 to 200 (default 50)") @QueryParam("limit") String limit,
            @Context UriInfo uri) {
        for (String name : PARAMETERS) {
            if (uri.getQueryParameters().getOrDefault(name, List.of()).size() > 1) {
                throw new InvalidRequestException(name + " must be given at most once");
            }
        }
        EventQuery query = new EventQuery(null, type(type), since(since), cursor(cursor), limit(limit));
        if (user != null && !user.isEmpty()) {
            try {
                query = new EventQuery(Username.of(user).canonical(), query.type(), query.since(), query.beforeSeq(),
                        query.limit());
            } catch (InvalidUsernameException e) {
                return new EventPageResponse(List.of(), null);
            }
        }
        return page(log.find(query), query.limit());
    }

    /** The events up to the limit; the one past it, if found, means a next page. */
    private static EventPageResponse page(List<SecurityEvent> found, int limit) {
        List<SecurityEvent> shown = found.size() > limit ? found.subList(0, limit) : found;
        String next = found.size() > limit
                ? CURSOR_ENCODER.encodeToString(Long.toString(shown.get(limit - 1).seq()).getBytes(StandardCharsets.UTF_8))
                : null;
        return new EventPageResponse(shown.stream().map(EventResponse::of).toList(), next);
    }

    private static SecurityEventType type(String type) {
        if (type == null || type.isEmpty()) {
            return null;
        }
        return SecurityEventType.of(type)
                .orElseThrow(() -> new InvalidRequestException("type must be one of: " + TYPES));
    }

    private static Instant since(String since) {
        if (since == null || since.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(since, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException("since must be an RFC 3339 time, such as 2026-01-31T12:00:00Z");
        }
    }

    /** The seq a cursor names, or 0 for none. */
    private static long cursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            if (cursor.length() <= 32) {
                long seq = Long.parseLong(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
                if (seq > 0) {
                    return seq;
                }
            }
        } catch (IllegalArgumentException e) {
            // malformed: refused below
        }
        throw new InvalidRequestException("cursor must be a next_cursor this endpoint returned");
    }

    private static int limit(String limit) {
        if (limit == null || limit.isEmpty()) {
            return DEFAULT_LIMIT;
        }
        int value = limit.matches("\\d{1,3}") ? Integer.parseInt(limit) : -1;
        if (value < 1 || value > MAX_LIMIT) {
            throw new InvalidRequestException("limit must be a whole number from 1 to " + MAX_LIMIT);
        }
        return value;
    }
}
