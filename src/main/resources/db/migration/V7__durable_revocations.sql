-- Revocations that live in no session row: single access tokens (RFC 7009, logout) and users' cut-offs (logout-all,
-- password change, admin revoke). Written before the Redis write that announces them, so PostgreSQL holds every
-- acknowledged revocation and the mirror can rebuild Redis from here alone. A row matters until revoked_until
-- (the last moment a token it stops could be accepted); later rows are purged in small batches.
create table revoked_access_token (
    jti           uuid primary key,
    revoked_until timestamptz not null
);
create index revoked_access_token_until_idx on revoked_access_token (revoked_until);

create table user_revocation_cutoff (
    user_id       uuid primary key,
    issued_before timestamptz not null,
    revoked_until timestamptz not null
);
create index user_revocation_cutoff_until_idx on user_revocation_cutoff (revoked_until);
