-- What a user sees of a session and what binds it: the RFC 7638 thumbprint of the DPoP key the session was
-- opened with (null for an unbound session; every refresh must then prove that key), and where it was opened
-- from: the User-Agent (cut to 200 characters) and the client address as login throttling counts it.
alter table auth_session add column dpop_jkt varchar(64);
alter table auth_session add column user_agent varchar(200);
alter table auth_session add column client_address varchar(64);
