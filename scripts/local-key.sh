# Sourced by the scripts that run the service on this machine's PostgreSQL (scripts/run.sh, scripts/cluster.sh,
# bench/): they share its database, so they share the secret its private signing keys are encrypted under.
# A local default for development only; deployments set AUTH_SIGNING_KEY_ENCRYPTION_KEY from a secret store.
export AUTH_SIGNING_KEY_ENCRYPTION_KEY=${AUTH_SIGNING_KEY_ENCRYPTION_KEY:-local-cluster-signing-key-encryption-key}
