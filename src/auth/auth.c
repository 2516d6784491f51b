/* auth.c — tokens, roles and sessions over libsodium: random secrets from
 * randombytes_buf, BLAKE2b (crypto_generichash) to store them, and
 * sodium_memcmp to compare CSRF tokens in constant time. */
#include "auth.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

static const char *const areas[] = {"trade",     "agreements", "access",  "shipments",   "parties",
                                    "logistics", "investment", "tourism", "commitments", NULL};

int auth_init(struct err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "libsodium could not start");
    return 0;
}

int auth_role_valid(const char *role)
{
    if (strcmp(role, "viewer") == 0 || strcmp(role, "admin") == 0) return 1;
    if (strncmp(role, "editor:", 7) != 0) return 0;
    for (int i = 0; areas[i]; i++)
        if (strcmp(role + 7, areas[i]) == 0) return 1;
    return 0;
}

int auth_can(const struct auth_user *u, const char *need)
{
    if (!u || !u->role[0]) return 0;
    if (strcmp(u->role, "admin") == 0) return 1;
    if (strcmp(need, "viewer") == 0) return 1; /* every role reads */
    return strcmp(u->role, need) == 0;
}

static void new_secret(char out[AUTH_TOKEN_LEN], const char *prefix)
{
    unsigned char raw[24];
    randombytes_buf(raw, sizeof raw);
    strcpy(out, prefix);
    sodium_bin2hex(out + strlen(prefix), AUTH_TOKEN_LEN - strlen(prefix), raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

static void hash_hex(const char *secret, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)secret, strlen(secret), NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
}

int auth_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int auth_token_create(struct db *db, const char *name, const char *role, char out[AUTH_TOKEN_LEN],
                      struct err *e)
{
    if (!name || !*name || strlen(name) > 60 || !str_valid_utf8(name, strlen(name))) {
        err_at(e, NULL, 0, 0, "--name");
        return err_set(e, ERR_USAGE, "a token needs a name of 1 to 60 characters");
    }
    if (!role || !auth_role_valid(role)) {
        err_at(e, NULL, 0, 0, "--role");
        return err_set(e, ERR_USAGE,
                       "role must be viewer, admin or editor:AREA (areas: trade, "
                       "agreements, access, shipments, parties, logistics, investment, tourism, "
                       "commitments)");
    }
    char hash[65];
    new_secret(out, "cor_");
    hash_hex(out, hash);
    sqlite3_stmt *st;
    int rc = db_begin(db, e);
    if (!rc)
        rc = db_prepare(db,
                        "INSERT INTO token(name, role, hash, created) VALUES "
                        "(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                        &st, e);
    if (!rc) {
        db_bind_text(st, 1, name);
        db_bind_text(st, 2, role);
        db_bind_text(st, 3, hash);
        if (sqlite3_step(st) != SQLITE_DONE) {
            rc = db_fail(db, e, "storing the token");
            if (rc == ERR_CONFLICT) err_set(e, ERR_CONFLICT, "a token named '%s' exists", name);
        }
        sqlite3_finalize(st);
    }
    char after[160];
    snprintf(after, sizeof after, "{\"role\":\"%s\"}", role);
    if (!rc) rc = db_audit(db, "token.create", "token", name, NULL, after, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) {
        db_rollback(db);
        sodium_memzero(out, AUTH_TOKEN_LEN);
    }
    return rc;
}

int auth_token_list(struct db *db, struct table **out, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT id, name, role, created, coalesce(revoked, '') FROM token "
                        "ORDER BY id",
                        &st, e);
    if (rc) return rc;
    struct table *t = table_new("tokens", "API tokens (the secrets themselves are not stored)");
    table_col(t, "id", COL_INT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "role", COL_TEXT, NULL, 0);
    table_col(t, "created", COL_TEXT, NULL, 0);
    table_col(t, "revoked", COL_TEXT, NULL, 0);
    db_fill_table(st, t);
    *out = t;
    return 0;
}

int auth_token_revoke(struct db *db, const char *name, struct err *e)
{
    sqlite3_stmt *st;
    int rc = db_begin(db, e);
    if (!rc)
        rc = db_prepare(db,
                        "UPDATE token SET revoked = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                        "WHERE name = ?1 AND revoked IS NULL",
                        &st, e);
    if (!rc) {
        db_bind_text(st, 1, name);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "revoking the token");
        sqlite3_finalize(st);
        if (!rc && sqlite3_changes(db->h) == 0)
            rc = err_set(e, ERR_NOTFOUND, "no live token named '%s'", name);
    }
    if (!rc && !(rc = db_prepare(db,
                                 "DELETE FROM session WHERE token_id = (SELECT id FROM token "
                                 "WHERE name = ?1)",
                                 &st, e))) {
        db_bind_text(st, 1, name);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "ending the sessions");
        sqlite3_finalize(st);
    }
    if (!rc) rc = db_audit(db, "token.revoke", "token", name, NULL, NULL, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
    return rc;
}

int auth_token_check(struct db *db, const char *token, struct auth_user *u, struct err *e)
{
    memset(u, 0, sizeof *u);
    if (!token || strlen(token) != AUTH_TOKEN_LEN - 1 || strncmp(token, "cor_", 4) != 0)
        return err_set(e, ERR_NOTFOUND, "invalid token");
    char hash[65];
    hash_hex(token, hash);
    sqlite3_stmt *st;
    int rc = db_prepare(db, "SELECT id, name, role FROM token WHERE hash = ?1 AND revoked IS NULL",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, hash);
    if (sqlite3_step(st) == SQLITE_ROW) {
        u->token_id = sqlite3_column_int64(st, 0);
        db_col_text(st, 1, u->name, sizeof u->name);
        db_col_text(st, 2, u->role, sizeof u->role);
    } else {
        rc = err_set(e, ERR_NOTFOUND, "unknown or revoked token");
    }
    sqlite3_finalize(st);
    return rc;
}

int auth_session_create(struct db *db, sqlite3_int64 token_id, int hours, char sid[AUTH_TOKEN_LEN],
                        char csrf[AUTH_TOKEN_LEN], struct err *e)
{
    char hash[65], mod[32];
    new_secret(sid, "ses_");
    new_secret(csrf, "csr_");
    hash_hex(sid, hash);
    snprintf(mod, sizeof mod, "+%d hours", hours > 0 ? hours : 12);
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "INSERT INTO session(hash, token_id, csrf, created, expires) VALUES "
                        "(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                        "strftime('%Y-%m-%dT%H:%M:%SZ','now', ?4))",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, hash);
    sqlite3_bind_int64(st, 2, token_id);
    db_bind_text(st, 3, csrf);
    db_bind_text(st, 4, mod);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "opening the session");
    sqlite3_finalize(st);
    return rc;
}

int auth_session_check(struct db *db, const char *sid, struct auth_user *u,
                       char csrf[AUTH_TOKEN_LEN], struct err *e)
{
    memset(u, 0, sizeof *u);
    if (!sid || strlen(sid) != AUTH_TOKEN_LEN - 1) return err_set(e, ERR_NOTFOUND, "no session");
    char hash[65];
    hash_hex(sid, hash);
    sqlite3_stmt *st;
    int rc = db_prepare(db,
                        "SELECT t.id, t.name, t.role, s.csrf FROM session s JOIN token t ON "
                        "t.id = s.token_id WHERE s.hash = ?1 AND t.revoked IS NULL AND "
                        "s.expires > strftime('%Y-%m-%dT%H:%M:%SZ','now')",
                        &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, hash);
    if (sqlite3_step(st) == SQLITE_ROW) {
        u->token_id = sqlite3_column_int64(st, 0);
        db_col_text(st, 1, u->name, sizeof u->name);
        db_col_text(st, 2, u->role, sizeof u->role);
        db_col_text(st, 3, csrf, AUTH_TOKEN_LEN);
    } else {
        rc = err_set(e, ERR_NOTFOUND, "no such session");
    }
    sqlite3_finalize(st);
    return rc;
}

int auth_session_end(struct db *db, const char *sid, struct err *e)
{
    if (!sid) return 0;
    char hash[65];
    hash_hex(sid, hash);
    sqlite3_stmt *st;
    int rc = db_prepare(db, "DELETE FROM session WHERE hash = ?1", &st, e);
    if (rc) return rc;
    db_bind_text(st, 1, hash);
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(db, e, "ending the session");
    sqlite3_finalize(st);
    return rc;
}
