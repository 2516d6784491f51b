/* auth — who may do what: API tokens with roles (viewer, editor:AREA,
 * admin), stored only as BLAKE2b hashes (libsodium), and dashboard sessions
 * with their CSRF token. The server and the CLI call these; the SQL lives
 * here.
 *
 * A token is "cor_" followed by 48 hex digits (24 random bytes); it is shown
 * once, at creation. */
#ifndef CORRIDOR_AUTH_H
#define CORRIDOR_AUTH_H

#include "../db/db.h"

#define AUTH_TOKEN_LEN 53 /* "cor_" + 48 hex + NUL */

struct auth_user {
    int64_t token_id;   /* a token's holder, or */
    int64_t account_id; /* a person signed in with a password */
    char name[64];
    char role[48];
};

/* Call once before anything else here (sodium_init). */
int auth_init(struct err *e);
/* The roles a token may have, as an enumeration "viewer|admin|editor:trade|...". */
extern const char auth_roles[];
/* Who holds this token: ERR_NOTFOUND when unknown or revoked. */
int auth_token_check(struct db *db, const char *token, struct auth_user *u, struct err *e);
/* 1 if the user's role grants need ("viewer", "editor:trade", "admin"). */
int auth_can(const struct auth_user *u, const char *need);

/* Opens a session for a token holder: writes the session id (for the
 * cookie) and its CSRF token. Sessions last hours. */
int auth_session_create(struct db *db, const struct auth_user *u, int hours, char sid[AUTH_TOKEN_LEN],
                        char csrf[AUTH_TOKEN_LEN], struct err *e);
/* The session's holder and CSRF token; ERR_NOTFOUND when unknown, expired
 * or its token revoked. */
int auth_session_check(struct db *db, const char *sid, struct auth_user *u,
                       char csrf[AUTH_TOKEN_LEN], struct err *e);
int auth_session_end(struct db *db, const char *sid, struct err *e);
/* A random secret "PREFIX" + 48 hex digits, and the BLAKE2b hash (hex) that
 * is stored of a secret. */
void auth_new_secret(char out[AUTH_TOKEN_LEN], const char *prefix);
void auth_hash_hex(const char *secret, char out[65]);

/* users.c: accounts that sign in with a name and a password (Argon2id).
 * auth_password_check fills u for the right password of an enabled
 * account; ERR_NOTFOUND for anything else, in the same time whether the
 * name exists or not. At most two checks run at once (each takes 64 MiB). */
int auth_password_check(struct db *db, const char *name, const char *password,
                        struct auth_user *u, struct err *e);
/* A signed-in person's new password, after their current one: its other
 * sessions end (keep_sid, the session asking, stays). */
int auth_password_change(struct db *db, const struct auth_user *u, const char *current,
                         const char *fresh, const char *keep_sid, struct err *e);
/* Why a password is refused ("" when it is not): length, bytes, the name. */
const char *auth_password_fault(const char *name, const char *password);

/* Constant-time comparison of two NUL-terminated secrets. */
int auth_equal(const char *a, const char *b);

#endif
