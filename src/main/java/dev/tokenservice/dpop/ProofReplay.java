package dev.tokenservice.dpop;

import java.time.Duration;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;

import dev.tokenservice.Sha256;
import dev.tokenservice.revocation.RevocationUnavailableException;
import dev.tokenservice.token.TokenConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;

/**
 * Accepts each DPoP proof once in the whole deployment: the first use of a proof sets a key in Redis (one
 * {@code SET NX}), which every node's later use of it finds. The key is a digest of the key thumbprint and the
 * {@code jti}, so its size does not depend on what a client sends, and it expires once the proof's {@code iat} is
 * out of the window anyway; Redis holds at most one small key per proof of the last minute or so. A Redis that
 * cannot answer is a 503: a proof is never accepted without the check.
 */
@ApplicationScoped
public class ProofReplay {

    private static final String PREFIX = "auth:dpop:jti:";
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final Redis redis;
    private final String ttlMillis;

    public ProofReplay(Redis redis, DpopConfig dpop, TokenConfig tokens) {
        this.redis = redis;
        // a proof is accepted from iat - skew to iat + max age; iat itself may be up to the skew ahead
        Duration horizon = dpop.proofMaxAge().plus(tokens.clockSkew().multipliedBy(2));
        this.ttlMillis = Long.toString(horizon.toMillis());
    }

    /**
     * Records the proof's use, completing when it is the first, failing with {@code invalid_dpop_proof} when the
     * proof was used before anywhere, or {@link RevocationUnavailableException} when Redis cannot tell.
     */
    public Uni<DpopProof> firstUse(DpopProof proof) {
        String key = PREFIX + B64URL.encodeToString(Sha256.of(proof.jkt() + " " + proof.jti()));
        return redis.send(Request.cmd(Command.SET).arg(key).arg("1").arg("NX").arg("PX").arg(ttlMillis))
                .onFailure().transform(RevocationUnavailableException::new)
                .map(response -> {
                    if (response == null) {
                        throw DpopException.invalidProof("proof_replayed", "the DPoP proof was already used");
                    }
                    return proof;
                });
    }
}
