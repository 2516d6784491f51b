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
    int64_t token_id;
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
int auth_session_create(struct db *db, int64_t token_id, int hours, char sid[AUTH_TOKEN_LEN],
                        char csrf[AUTH_TOKEN_LEN], struct err *e);
/* The session's holder and CSRF token; ERR_NOTFOUND when unknown, expired
 * or its token revoked. */
int auth_session_check(struct db *db, const char *sid, struct auth_user *u,
                       char csrf[AUTH_TOKEN_LEN], struct err *e);
int auth_session_end(struct db *db, const char *sid, struct err *e);
/* Constant-time comparison of two NUL-terminated secrets. */
int auth_equal(const char *a, const char *b);

#endif
