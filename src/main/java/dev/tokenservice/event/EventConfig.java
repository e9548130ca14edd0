package dev.tokenservice.event;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The security event log, under {@code auth.events.*}. */
@ConfigMapping(prefix = "auth.events")
public interface EventConfig {

    /** How long an event is kept; older ones are deleted in small batches. */
    @WithDefault("90D")
    Duration retention();
}
