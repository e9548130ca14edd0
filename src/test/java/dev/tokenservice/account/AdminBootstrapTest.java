package dev.tokenservice.account;

import static dev.tokenservice.Api.PASSWORD;
import static dev.tokenservice.Api.randomUsername;
import static dev.tokenservice.Api.register;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class AdminBootstrapTest {

    @Inject
    AccountService accounts;

    @Test
    void aRegisteredNameIsNeverMadeAdmin() {
        String squatter = randomUsername().toUpperCase(Locale.ROOT);
        register(squatter, PASSWORD).then().statusCode(201);

        var refused = assertThrows(AdminNameTakenException.class,
                () -> accounts.ensureAdmin(squatter.toLowerCase(Locale.ROOT), "an admin password"));

        assertTrue(refused.getMessage().contains("Choose another admin username"), refused.getMessage());
        assertEquals(List.of("user"), accounts.find(accounts.idOf(squatter)).roles());
    }

    @Test
    void theBootstrapAdminIsCreatedOnceAndItsPasswordChangeIsReported() {
        String admin = randomUsername();

        assertEquals(Optional.empty(), accounts.ensureAdmin(admin, "first password"));
        assertEquals(Optional.empty(), accounts.ensureAdmin(admin, "first password"));
        assertEquals(Optional.of(accounts.idOf(admin)), accounts.ensureAdmin(admin, "second password"));
        assertEquals(List.of("user", "admin"), accounts.find(accounts.idOf(admin)).roles());
    }
}
