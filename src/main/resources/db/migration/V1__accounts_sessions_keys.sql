create table user_account (
    id                 uuid primary key,
    username           varchar(64)  not null,
    username_canonical varchar(128) not null,
    password_hash      varchar(255) not null,
    roles              varchar(255) not null,
    created_at         timestamptz  not null
);
create unique index user_account_username_canonical_uk on user_account (username_canonical);

create table auth_session (
    id         uuid primary key,
    user_id    uuid        not null references user_account (id) on delete cascade,
    created_at timestamptz not null,
    expires_at timestamptz not null,
    revoked_at timestamptz
);
create index auth_session_live_by_user_idx on auth_session (user_id) where revoked_at is null;

-- Refresh tokens are kept only as SHA-256 digests; a spent token points at its successor,
-- sealed under the spent token itself so that a retry within the grace gets the same successor.
create table refresh_token (
    token_hash       varchar(64) primary key,
    session_id       uuid        not null references auth_session (id) on delete cascade,
    issued_at        timestamptz not null,
    spent_at         timestamptz,
    successor_hash   varchar(64),
    successor_sealed bytea
);
create index refresh_token_session_idx on refresh_token (session_id);

create table signing_key (
    kid         varchar(64) primary key,
    algorithm   varchar(16) not null,
    private_key bytea       not null,
    public_key  bytea       not null,
    created_at  timestamptz not null,
    retired_at  timestamptz
);
