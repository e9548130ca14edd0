package dev.tokenservice.dpop;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;

/** The DPoP checks of a request: the proof itself ({@link ProofVerifier}), then its first use ({@link ProofReplay}). */
@ApplicationScoped
public class Dpop {

    public static final String HEADER = "DPoP";
    public static final String NONCE_HEADER = "DPoP-Nonce";
    /** The {@code WWW-Authenticate} scheme of protected endpoints' DPoP challenges, with the algorithms accepted. */
    public static final String CHALLENGE = "DPoP algs=\"" + String.join(" ", ProofVerifier.ALGORITHMS) + "\"";

    private final ProofVerifier verifier;
    private final ProofReplay replay;
    private final DpopNonces nonces;

    public Dpop(ProofVerifier verifier, ProofReplay replay, DpopNonces nonces) {
        this.verifier = verifier;
        this.replay = replay;
        this.nonces = nonces;
    }

    /**
     * The proof of a request to a token endpoint (login, refresh, {@code /oauth/token}), if it carries one, checked
     * and recorded as used; blocks on Redis, so only for worker threads.
     *
     * @throws DpopException the proof is refused
     */
    public Optional<DpopProof> atTokenEndpoint(HttpServerRequest request) {
        String proof = onlyProof(request);
        if (proof == null) {
            return Optional.empty();
        }
        DpopProof checked = verifier.verify(proof, request.method().name(), request.path(), null);
        return Optional.of(replay.firstUse(checked).await().indefinitely());
    }

    /**
     * Checks the proof that must come with a bound access token on a protected endpoint: its {@code ath} is the
     * token's hash and its key the one the token is bound to ({@code jkt}); then records its use.
     */
    public Uni<DpopProof> atResource(HttpServerRequest request, String accessToken, String jkt) {
        String proof = onlyProof(request);
        if (proof == null) {
            return Uni.createFrom().failure(DpopException.invalidProof("proof_missing",
                    "a DPoP-bound token needs a DPoP proof header"));
        }
        DpopProof checked = verifier.verify(proof, request.method().name(), request.path(), accessToken);
        if (!checked.jkt().equals(jkt)) {
            return Uni.createFrom().failure(DpopException.invalidProof("proof_key",
                    "the DPoP proof is not signed by the key the token is bound to"));
        }
        return replay.firstUse(checked);
    }

    /** The nonce to hand out with DPoP answers when nonces are required, else empty. */
    public Optional<String> nonce() {
        return nonces.isRequired() ? Optional.of(nonces.current()) : Optional.empty();
    }

    /** The one {@code DPoP} header's value, null when there is none; two or more are refused (RFC 9449 §4.3). */
    private static String onlyProof(HttpServerRequest request) {
        List<String> proofs = request.headers().getAll(HEADER);
        if (proofs.isEmpty()) {
            return null;
        }
        if (proofs.size() > 1) {
            throw DpopException.invalidProof("proof_count", "a request carries at most one DPoP header");
        }
        return proofs.get(0);
    }
}
