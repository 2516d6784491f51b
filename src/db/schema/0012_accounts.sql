-- People who sign in to the dashboard with a name and a password; only an
-- Argon2id hash of the password is kept (libsodium's crypto_pwhash_str,
-- "$argon2id$v=19$m=...,t=...,p=1$salt$hash"). Tokens stay for the API. A
-- session now belongs to a token or to an account, never both.
CREATE TABLE account (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    role TEXT NOT NULL,            -- viewer, editor:AREA, admin
    hash TEXT NOT NULL,
    created TEXT NOT NULL,
    password_set TEXT NOT NULL,    -- when the password was last set
    disabled TEXT
) STRICT;

CREATE TABLE session_new (
    hash TEXT PRIMARY KEY,         -- BLAKE2b of the session id, hex
    token_id INTEGER REFERENCES token(id),
    account_id INTEGER REFERENCES account(id),
    csrf TEXT NOT NULL,
    created TEXT NOT NULL,
    expires TEXT NOT NULL,
    CHECK ((token_id IS NULL) <> (account_id IS NULL))
) STRICT;
INSERT INTO session_new(hash, token_id, csrf, created, expires)
    SELECT hash, token_id, csrf, created, expires FROM session;
DROP TABLE session;
ALTER TABLE session_new RENAME TO session;
