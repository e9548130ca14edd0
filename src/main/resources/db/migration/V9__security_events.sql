-- The security event log: one row per login, lockout, revocation, password change or key change, written in the
-- transaction of the change it records. seq orders the rows as they were written (the admin listing's cursor);
-- id names an event to the outside. No foreign keys: an event outlives what it names, and an insert on the login
-- path checks nothing more. detail holds a few short type-specific values, never a token, a password or a hash.
create table security_event (
    seq         bigint generated always as identity primary key,
    id          uuid         not null unique,
    occurred_at timestamptz  not null,
    type        varchar(40)  not null,
    user_id     uuid,
    username    varchar(64),
    session_id  uuid,
    client_id   varchar(128),
    address     varchar(64),
    user_agent  varchar(200),
    detail      jsonb        not null default '{}'
);
create index security_event_user_idx on security_event (user_id, seq desc);
create index security_event_type_idx on security_event (type, seq desc);
create index security_event_occurred_at_idx on security_event (occurred_at);
