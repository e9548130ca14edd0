-- When a key started signing. A key without it is the published next key: in the JWKS, not yet signing, so that a
-- consumer's cached JWKS holds it before any token is signed with it. Every key so far signed from its creation.
alter table signing_key add column activated_at timestamptz;
update signing_key set activated_at = created_at;
