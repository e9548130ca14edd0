-- Sessions revoked recently are read back when Redis has lost its data (RevocationMirror restores them).
create index auth_session_revoked_at_idx on auth_session (revoked_at) where revoked_at is not null;
