-- Sessions ended (revoked or expired) longer than an access-token lifetime ago are deleted with their refresh tokens
-- (SessionPurge); this index finds the expired ones, as auth_session_revoked_at_idx finds the revoked ones.
create index auth_session_expires_at_idx on auth_session (expires_at);
