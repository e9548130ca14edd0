-- The webhook outbox. A delivery row is inserted in the transaction that writes the security event, so it exists
-- exactly when the event does; nodes send the rows and delete them once delivered. The endpoint row is the lock
-- that lets one node at a time send an endpoint's deliveries (select ... for update skip locked), which keeps them
-- in order. No foreign key from webhook_delivery to it: the key share lock of that check would make the insert,
-- and so the login or revocation that writes the event, wait for a node that holds the endpoint lock while sending.
create table webhook_endpoint (
    name text primary key
);

create table webhook_delivery (
    id              bigint generated always as identity primary key,
    endpoint        text        not null,
    event_id        uuid        not null,
    event_seq       bigint      not null,
    event_time      timestamptz not null,
    payload         text        not null,
    state           text        not null default 'pending' check (state in ('pending', 'failed')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz not null default now(),
    created_at      timestamptz not null default now(),
    last_attempt_at timestamptz,
    last_status     text
);
create index webhook_delivery_queue_idx on webhook_delivery (endpoint, state, id);
