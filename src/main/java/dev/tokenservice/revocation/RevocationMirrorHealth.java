package dev.tokenservice.revocation;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Not ready until the mirror has replayed the revocation stream, and whenever it has gone stale. */
@Readiness
@ApplicationScoped
public class RevocationMirrorHealth implements HealthCheck {

    private final RevocationMirror mirror;

    public RevocationMirrorHealth(RevocationMirror mirror) {
        this.mirror = mirror;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("Redis revocation mirror")
                .status(mirror.isCurrent())
                .withData("stalenessMillis", mirror.stalenessMillis())
                .build();
    }
}
