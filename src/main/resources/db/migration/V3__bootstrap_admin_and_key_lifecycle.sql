-- Only the account the admin bootstrap created is ever the bootstrap admin: a name someone registered
-- first is never adopted. Before this column existed the bootstrap was the only way to the admin role,
-- so accounts that already hold it were made by the bootstrap (or adopted by it, which cannot be undone here).
alter table user_account add column bootstrap_admin boolean not null default false;
update user_account set bootstrap_admin = true where ',' || roles || ',' like '%,admin,%';

-- When a key stopped being the signing key: a token it signed later than that is a forgery.
alter table signing_key add column superseded_at timestamptz;

-- Only the signing key keeps its private half, encrypted when a key-encryption key is configured.
alter table signing_key alter column private_key drop not null;
update signing_key set private_key = null where retired_at is not null;
