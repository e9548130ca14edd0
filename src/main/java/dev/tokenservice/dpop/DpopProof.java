package dev.tokenservice.dpop;

/**
 * A DPoP proof whose signature and claims were checked: the RFC 7638 SHA-256 thumbprint of its key, its
 * {@code jti} and its {@code iat} (epoch seconds). Whether it was used before is a separate check
 * ({@link ProofReplay}).
 */
public record DpopProof(String jkt, String jti, long issuedAt) {
}
