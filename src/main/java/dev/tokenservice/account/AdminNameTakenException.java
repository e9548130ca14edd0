package dev.tokenservice.account;

/** The configured admin username belongs to an account the admin bootstrap did not create. */
public class AdminNameTakenException extends RuntimeException {

    public AdminNameTakenException(String canonicalName) {
        super("auth.admin.username '" + canonicalName + "' belongs to an account the admin bootstrap did not create;"
                + " it is not made admin. Choose another admin username.");
    }
}
