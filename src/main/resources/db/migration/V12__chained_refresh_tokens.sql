-- Sessions opened from here on hand out chained refresh tokens: each names its session and its place in the
-- session's chain, tagged under the session's key. A spent one is recognised by its tag and its place without its
-- row, so each rotation deletes the rows spent before the token it spends, and the refresh statement's table keeps
-- at most two rows per live session instead of one per rotation. Sessions opened before keep their plain tokens
-- (rotation null), whose spent rows stay until the session ends.
alter table auth_session add column refresh_key bytea;
alter table refresh_token add column rotation integer;
