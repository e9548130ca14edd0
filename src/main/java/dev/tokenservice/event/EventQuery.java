package dev.tokenservice.event;

import java.time.Instant;

/**
 * A filter of the admin listing: the account of a canonical username, a type, a first moment (each null: any) and
 * the events older than a cursor's ({@code beforeSeq}, 0: from the newest), at most {@code limit} of them.
 */
public record EventQuery(String canonicalUsername, SecurityEventType type, Instant since, long beforeSeq, int limit) {
}
