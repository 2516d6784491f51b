/* auth.c — tokens, roles and sessions over libsodium: random secrets from
 * randombytes_buf, BLAKE2b (crypto_generichash) to store them, and
 * sodium_memcmp to compare CSRF tokens in constant time. */
#include "auth.h"

#include "../ops/ops.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int auth_init(struct err *e)
{
    if (sodium_init() < 0) return err_set(e, ERR_INTERNAL, "libsodium could not start");
    return 0;
}

int auth_can(const struct auth_user *u, const char *need)
{
    if (!u || !u->role[0]) return 0;
    if (strcmp(u->role, "admin") == 0) return 1;
    if (strcmp(need, "viewer") == 0) return 1; /* every role reads */
    return strcmp(u->role, need) == 0;
}

void auth_new_secret(char out[AUTH_TOKEN_LEN], const char *prefix)
{
    unsigned char raw[24];
    randombytes_buf(raw, sizeof raw);
    strcpy(out, prefix);
    sodium_bin2hex(out + strlen(prefix), AUTH_TOKEN_LEN - strlen(prefix), raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
}

void auth_hash_hex(const char *secret, char out[65])
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

/* A new token secret and the hash that is stored of it. */
static int fresh_secret(char token[AUTH_TOKEN_LEN], char hash[65], struct err *e)
{
    int rc = auth_init(e);
    if (rc) return rc;
    auth_new_secret(token, "cor_");
    auth_hash_hex(token, hash);
    return 0;
}

/* The secret, printed once (the command's text), then forgotten. */
static void show_secret(struct op_call *c, char token[AUTH_TOKEN_LEN])
{
    char line[AUTH_TOKEN_LEN + 2];
    snprintf(line, sizeof line, "%s\n", token);
    c->text = xstrdup(line);
    sodium_memzero(line, sizeof line);
}

/* Ends every session opened with the token called name. */
static int end_sessions(struct db *db, const char *name, struct err *e)
{
    return db_run(db, e,
                  "DELETE FROM session WHERE token_id = (SELECT id FROM token WHERE name = ?1)",
                  "t", name);
}

/* A token's term as --expires gives it: days ("90d", or "90"), a last day
 * ("2027-06-30": the token works through it and stops at the next midnight,
 * UTC) or "never" (or 0). Writes the end as stored ("YYYY-MM-DDTHH:MM:SSZ";
 * "" for never). */
static int token_term(const char *s, char end[32], struct err *e)
{
    end[0] = 0;
    if (!strcmp(s, "never") || !strcmp(s, "0")) return 0;
    char *rest;
    long days = strtol(s, &rest, 10);
    int y, m, d;
    if (rest != s && s[0] >= '0' && s[0] <= '9' && (!*rest || !strcmp(rest, "d"))) {
        if (days < 1 || days > 3650) goto bad;
        time_t t = time(NULL) + days * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(end, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
        return 0;
    }
    if (date_parse(s, &y, &m, &d) == 0) {
        long today = (long)(time(NULL) / 86400), day = date_days(y, m, d);
        if (day < today || day > today + 3650) goto bad;
        char next[11];
        date_from_days(day + 1, next);
        snprintf(end, 32, "%sT00:00:00Z", next);
        return 0;
    }
bad:
    err_set(e, ERR_USAGE,
            "--expires takes days from now (90d, 1 to 3650), a last day from today to ten "
            "years ahead (YYYY-MM-DD), or never; not '%s'",
            s);
    return err_field(e, "expires");
}

static int token_create(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name"), *role = op_s(c, "role");
    char token[AUTH_TOKEN_LEN], hash[65], end[32];
    int rc = token_term(op_s(c, "expires"), end, e);
    if (!rc) rc = fresh_secret(token, hash, e);
    if (rc) return rc;
    rc = db_run(c->db, e,
                "INSERT INTO token(name, role, hash, created, expires) VALUES "
                "(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'), ?4)",
                "tttt", name, role, hash, end[0] ? end : NULL);
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "a token named '%s' exists", name);
        err_field(e, "name");
    }
    if (!rc && c->dry_run) {
        op_done(c, "token '%s' (%s) may be created", name, role); /* no secret to show */
    } else if (!rc) {
        show_secret(c, token);
        op_done(c, "token '%s' (%s) created, %s%s; it is shown only now, keep it safe", name, role,
                end[0] ? "working until " : "working until revoked", end);
    }
    sodium_memzero(token, sizeof token);
    return rc;
}

/* A new secret and a new term for a live token; the old secret and its
 * sessions stop at once. */
static int token_rotate(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    char token[AUTH_TOKEN_LEN], hash[65], end[32];
    int rc = token_term(op_s(c, "expires"), end, e);
    if (!rc) rc = fresh_secret(token, hash, e);
    if (rc) return rc;
    rc = db_run(c->db, e,
                "UPDATE token SET hash = ?2, created = strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                "expires = ?3 WHERE name = ?1 AND revoked IS NULL",
                "ttt", name, hash, end[0] ? end : NULL);
    if (!rc && db_changes(c->db) == 0) {
        err_set(e, ERR_NOTFOUND, "no live token named '%s'", name);
        rc = err_field(e, "name");
    }
    if (!rc) rc = end_sessions(c->db, name, e);
    if (!rc && !c->dry_run) {
        show_secret(c, token);
        op_done(c,
                "token '%s' has a new secret, shown only now, %s%s; the old one no longer works",
                name, end[0] ? "working until " : "working until revoked", end);
    } else if (!rc) {
        op_done(c, "token '%s' may be rotated", name);
    }
    sodium_memzero(token, sizeof token);
    return rc;
}

static int token_list(struct op_call *c, struct err *e)
{
    struct table *t = table_new("tokens", N_("API tokens (the secrets themselves are not stored)"));
    table_col(t, "id", COL_INT, NULL, 0);
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "role", COL_TEXT, NULL, 0);
    table_col(t, "created", COL_TEXT, NULL, 0);
    table_col(t, "expires", COL_TEXT, NULL, 0);
    table_col(t, "revoked", COL_TEXT, NULL, 0);
    int rc = db_fill(c->db, t, e,
                     "SELECT id, name, role, created, coalesce(expires, 'never'), "
                     "coalesce(revoked, '') FROM token ORDER BY id",
                     NULL);
    if (rc) table_free(t);
    return op_give(c, rc, &t);
}

static int token_revoke(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    int rc = db_run(c->db, e,
                    "UPDATE token SET revoked = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                    "WHERE name = ?1 AND revoked IS NULL",
                    "t", name);
    if (!rc && db_changes(c->db) == 0) {
        err_set(e, ERR_NOTFOUND, "no live token named '%s'", name);
        return err_field(e, "name");
    }
    if (!rc) rc = end_sessions(c->db, name, e);
    if (!rc) op_done(c, "token '%s' revoked", name);
    return rc;
}

int auth_token_check(struct db *db, const char *token, struct auth_user *u, struct err *e)
{
    memset(u, 0, sizeof *u);
    if (!token || strlen(token) != AUTH_TOKEN_LEN - 1 || strncmp(token, "cor_", 4) != 0)
        return err_set(e, ERR_NOTFOUND, "invalid token");
    char hash[65];
    auth_hash_hex(token, hash);
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT id, name, role FROM token WHERE hash = ?1 AND revoked IS NULL "
                        "AND (expires IS NULL OR expires > strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                        "t", hash);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        u->token_id = db_col_int(st, 0);
        db_col_text(st, 1, u->name, sizeof u->name);
        db_col_text(st, 2, u->role, sizeof u->role);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOTFOUND, "unknown or revoked token");
    }
    db_finalize(st);
    return rc;
}

int auth_session_create(struct db *db, const struct auth_user *u, int hours,
                        char sid[AUTH_TOKEN_LEN], char csrf[AUTH_TOKEN_LEN], struct err *e)
{
    char hash[65], mod[32];
    auth_new_secret(sid, "ses_");
    auth_new_secret(csrf, "csr_");
    auth_hash_hex(sid, hash);
    snprintf(mod, sizeof mod, "+%d hours", hours > 0 ? hours : 12);
    /* sessions past their time are kept no longer than the next sign-in */
    int rc = db_run(
        db, e, "DELETE FROM session WHERE expires <= strftime('%Y-%m-%dT%H:%M:%SZ','now')", NULL);
    if (rc) return rc;
    return db_run(db, e,
                  "INSERT INTO session(hash, token_id, account_id, csrf, created, expires) VALUES "
                  "(?1, ?2, ?3, ?4, strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                  "strftime('%Y-%m-%dT%H:%M:%SZ','now', ?5))",
                  "tpptt", hash, u->token_id ? &u->token_id : NULL,
                  u->account_id ? &u->account_id : NULL, csrf, mod);
}

int auth_session_check(struct db *db, const char *sid, struct auth_user *u,
                       char csrf[AUTH_TOKEN_LEN], struct err *e)
{
    memset(u, 0, sizeof *u);
    if (!sid || strlen(sid) != AUTH_TOKEN_LEN - 1) return err_set(e, ERR_NOTFOUND, "no session");
    char hash[65];
    auth_hash_hex(sid, hash);
    struct db_stmt *st;
    /* a live session of a live token (not revoked, not past its term) or of
     * an account not disabled */
    int rc = db_prepare(
        db, &st, e,
        "SELECT t.id, a.id, coalesce(t.name, a.name), coalesce(t.role, a.role), s.csrf "
        "FROM session s LEFT JOIN token t ON t.id = s.token_id AND t.revoked IS NULL AND "
        "(t.expires IS NULL OR t.expires > strftime('%Y-%m-%dT%H:%M:%SZ','now')) "
        "LEFT JOIN account a ON a.id = s.account_id AND a.disabled IS NULL "
        "WHERE s.hash = ?1 AND s.expires > strftime('%Y-%m-%dT%H:%M:%SZ','now') AND "
        "(t.id IS NOT NULL OR a.id IS NOT NULL)",
        "t", hash);
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        u->token_id = db_col_int(st, 0);
        u->account_id = db_col_int(st, 1);
        db_col_text(st, 2, u->name, sizeof u->name);
        db_col_text(st, 3, u->role, sizeof u->role);
        db_col_text(st, 4, csrf, AUTH_TOKEN_LEN);
        rc = 0;
    } else if (rc == 0) {
        rc = err_set(e, ERR_NOTFOUND, "no such session");
    }
    db_finalize(st);
    return rc;
}

int auth_session_end(struct db *db, const char *sid, struct err *e)
{
    if (!sid) return 0;
    char hash[65];
    auth_hash_hex(sid, hash);
    return db_run(db, e, "DELETE FROM session WHERE hash = ?1", "t", hash);
}

const char auth_roles[] =
    "viewer|admin|editor:trade|editor:parties|editor:agreements|editor:access|editor:shipments|"
    "editor:invest|editor:logistics|editor:tourism|editor:commitments";

static const struct op_param create_params[] = {
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 60, NULL, "who or what holds it"},
    {"role", PT_ENUM, PF_REQUIRED, auth_roles, 0, 0, NULL,
     "what it may do: read (viewer), write one area (editor:AREA), or everything (admin)"},
    {"expires", PT_TEXT, 0, NULL, 0, 20, "90d",
     "when it stops working: days from now (90d), an end date (YYYY-MM-DD) or never"},
    {0},
};

static const struct op_param rotate_params[] = {
    {"name", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 60, NULL, "the token's name"},
    {"expires", PT_TEXT, 0, NULL, 0, 20, "90d",
     "when the new secret stops working: days from now (90d), an end date (YYYY-MM-DD) or never"},
    {0},
};

static const struct op_param revoke_params[] = {
    {"name", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 60, NULL, "the token's name"},
    {0},
};

static const struct op_param no_params[] = {{0}};

const struct op auth_ops[] = {
    {"token", "create", OP_WRITE, token_create, create_params,
     "create an API token (printed once; only its hash is kept)",
     "token create --name desk --role editor:shipments", "admin", "token", NULL, OPF_LOCAL},
    {"token", "list", OP_READ, token_list, no_params, "the API tokens", "token list", "admin", NULL,
     NULL, OPF_LOCAL},
    {"token", "rotate", OP_WRITE, token_rotate, rotate_params,
     "give a token a new secret and term (printed once); the old one stops at once",
     "token rotate desk", "admin", "token", NULL, OPF_LOCAL},
    {"token", "revoke", OP_WRITE, token_revoke, revoke_params,
     "revoke a token and end its sessions", "token revoke desk", "admin", "token", NULL, OPF_LOCAL},
    {0},
};
