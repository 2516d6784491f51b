-- API tokens (only their hashes are kept) and dashboard sessions.

CREATE TABLE token (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,            -- viewer, editor:AREA, admin
    hash TEXT NOT NULL UNIQUE,     -- BLAKE2b of the token, hex
    created TEXT NOT NULL,
    revoked TEXT
) STRICT;

CREATE TABLE session (
    hash TEXT PRIMARY KEY,         -- BLAKE2b of the session id, hex
    token_id INTEGER NOT NULL REFERENCES token(id),
    csrf TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL
) STRICT;
