-- The client a session was opened for, so that its refreshes keep that client's audience. Sessions opened
-- before clients existed have none and belong to the configured default client (auth.default-client).
alter table auth_session add column client_id varchar(128);
