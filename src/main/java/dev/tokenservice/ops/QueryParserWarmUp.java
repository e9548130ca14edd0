package dev.tokenservice.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Parses the login's HQL once on a thread of its own while the node starts. The first HQL statement a JVM parses
 * builds the parser's shared prediction tables, which took about a tenth of the start on the main thread; here it
 * runs beside the rest of the start (nothing the start needs uses HQL), and the first login does not pay for it.
 * Nothing is executed: creating the query parses it and keeps its interpretation for the login's own query.
 */
@ApplicationScoped
public class QueryParserWarmUp {

    /** The statement Panache makes of {@code UserAccountRepository.findByUsername}. */
    static final String LOGIN_QUERY = "FROM UserAccount WHERE usernameCanonical = ?1";

    private final EntityManagerFactory entityManagerFactory;

    public QueryParserWarmUp(EntityManagerFactory entityManagerFactory) {
        this.entityManagerFactory = entityManagerFactory;
    }

    void onStart(@Observes StartupEvent event) {
        Thread warmUp = new Thread(this::parse, "hql-warm-up");
        warmUp.setDaemon(true);
        warmUp.start();
    }

    private void parse() {
        try (EntityManager entityManager = entityManagerFactory.createEntityManager()) {
            entityManager.createQuery(LOGIN_QUERY);
        } catch (RuntimeException e) {
            Log.debugf("warming up the HQL parser failed: %s", e.getMessage());
        }
    }
}
