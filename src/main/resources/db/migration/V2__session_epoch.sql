-- Revoke-all (logout everywhere, password change, admin revoke) moves the epoch forward in the same
-- transaction that revokes the user's sessions; a login opens its session only if the epoch it read
-- with the password hash is still current, so no session opened by a racing login outlives a revoke-all.
alter table user_account add column session_epoch bigint not null default 0;
