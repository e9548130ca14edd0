package dev.tokenservice.account;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.tokenservice.token.TokenConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/** Creates or repairs the admin account named by {@code auth.admin.*} when the service starts. */
@ApplicationScoped
public class AdminBootstrap {

    void onStart(@Observes StartupEvent event, TokenConfig config, AccountService accounts) {
        var admin = config.admin();
        if (admin.username().isEmpty() || admin.password().isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                accounts.ensureAdmin(admin.username().get(), admin.password().get());
                Log.infof("admin account '%s' is ready", admin.username().get());
                return;
            } catch (RuntimeException e) {
                if (attempt == 3) {
                    throw e;
                }
                Log.debug("admin bootstrap raced another node; retrying", e);
            }
        }
    }
}
