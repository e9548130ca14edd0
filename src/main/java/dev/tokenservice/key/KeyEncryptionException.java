package dev.tokenservice.key;

/** The stored private keys and the configured key-encryption key do not fit together. */
public class KeyEncryptionException extends IllegalStateException {

    KeyEncryptionException(String message) {
        super(message);
    }
}
