package dev.example.orders.dpop;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** One checker, with one replay set, per process. */
public class DpopCheckerProducer {

    @Produces
    @Singleton
    DpopProofChecker checker(@ConfigProperty(name = "dpop.public-url") String publicUrl,
            @ConfigProperty(name = "dpop.clock-tolerance", defaultValue = "5") long clockToleranceS,
            @ConfigProperty(name = "dpop.max-age", defaultValue = "60") long maxAgeS,
            @ConfigProperty(name = "dpop.replay.max-entries", defaultValue = "100000") int maxEntries) {
        return new DpopProofChecker(publicUrl, clockToleranceS, maxAgeS, new ReplayCache(maxEntries), Clock.systemUTC());
    }
}
