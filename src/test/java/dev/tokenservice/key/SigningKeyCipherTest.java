package dev.tokenservice.key;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.spec.InvalidKeySpecException;
import java.util.Arrays;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class SigningKeyCipherTest {

    private final SigningKeyCipher cipher = new SigningKeyCipher(Optional.of("a key-encryption key"));
    private final byte[] pkcs8 = KeyMaterial.generate().getPrivate().getEncoded();

    @Test
    void sealedKeyOpensToThePkcs8ItWasMadeFrom() throws Exception {
        byte[] sealed = cipher.seal("kid-1", pkcs8);

        assertTrue(SigningKeyCipher.isSealed(sealed));
        assertFalse(SigningKeyCipher.isSealed(pkcs8));
        assertThrows(InvalidKeySpecException.class, () -> KeyMaterial.privateKey(sealed));
        assertArrayEquals(pkcs8, cipher.open("kid-1", sealed));
        KeyMaterial.privateKey(cipher.open("kid-1", sealed));
    }

    @Test
    void everySealingUsesAFreshNonce() {
        assertFalse(Arrays.equals(cipher.seal("kid-1", pkcs8), cipher.seal("kid-1", pkcs8)));
    }

    @Test
    void plaintextRowsOpenAsThey() {
        assertSame(pkcs8, cipher.open("kid-1", pkcs8));
        assertSame(pkcs8, new SigningKeyCipher(Optional.empty()).seal("kid-1", pkcs8));
    }

    @Test
    void aTamperedKeyIsRefused() {
        byte[] sealed = cipher.seal("kid-1", pkcs8);
        sealed[sealed.length / 2] ^= 1;
        assertThrows(KeyEncryptionException.class, () -> cipher.open("kid-1", sealed));
    }

    @Test
    void aKeyMovedToAnotherKidIsRefused() {
        byte[] sealed = cipher.seal("kid-1", pkcs8);
        assertThrows(KeyEncryptionException.class, () -> cipher.open("kid-2", sealed));
    }

    @Test
    void aWrongOrMissingKeyEncryptionKeyIsRefusedClearly() {
        byte[] sealed = cipher.seal("kid-1", pkcs8);

        var wrong = assertThrows(KeyEncryptionException.class,
                () -> new SigningKeyCipher(Optional.of("another key")).open("kid-1", sealed));
        var missing = assertThrows(KeyEncryptionException.class,
                () -> new SigningKeyCipher(Optional.empty()).open("kid-1", sealed));

        assertTrue(wrong.getMessage().contains("auth.signing-key.encryption-key"), wrong.getMessage());
        assertTrue(missing.getMessage().contains("is not set"), missing.getMessage());
        assertNotEquals(wrong.getMessage(), missing.getMessage());
    }
}
