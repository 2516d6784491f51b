/* users.c — people who sign in to the dashboard with a name and a password.
 * An account has a role as a token has; of its password only an Argon2id
 * hash is kept (libsodium's crypto_pwhash_str at its interactive limits:
 * 64 MiB and about a tenth of a second a check). The commands: user add,
 * list, disable and passwd; a password comes from --password-file (its
 * first line), else from a prompt without echo (twice), else from the first
 * line of standard input. Tokens stay for the API. */
#include "auth.h"

#include "../ops/ops.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD_MIN 10
#define PASSWORD_MAX 1024
#define CHECKS_AT_ONCE 2 /* each Argon2id check holds 64 MiB */

const char *auth_password_fault(const char *name, const char *password)
{
    size_t n = strlen(password);
    if (n < PASSWORD_MIN) return N_("a password needs at least 10 characters");
    if (n > PASSWORD_MAX) return N_("a password may have at most 1024 bytes");
    if (!str_valid_utf8(password, n)) return N_("a password must be UTF-8 text");
    for (const unsigned char *p = (const unsigned char *)password; *p; p++)
        if (*p < 0x20 || *p == 0x7F) return N_("a password may not hold control characters");
    if (name && strcasecmp(name, password) == 0) return N_("a password may not be the name");
    return "";
}

static int hash_password(const char *password, char out[crypto_pwhash_STRBYTES], struct err *e)
{
    int rc = auth_init(e);
    if (rc) return rc;
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return err_set(e, ERR_NOMEM, "not enough memory to hash the password");
    return 0;
}

/* ---- checking a password, a few at a time ------------------------------------------ */

static sem_t checks;
static char decoy[crypto_pwhash_STRBYTES]; /* a hash of a password nobody has */
static pthread_once_t checks_once = PTHREAD_ONCE_INIT;

static void checks_init(void)
{
    sem_init(&checks, 0, CHECKS_AT_ONCE);
    char secret[AUTH_TOKEN_LEN];
    struct err e = {0};
    auth_new_secret(secret, "dcy_");
    if (hash_password(secret, decoy, &e)) decoy[0] = 0;
    sodium_memzero(secret, sizeof secret);
}

/* 1 when password matches hash; a wrong or unknown name is checked against
 * the decoy so that it takes as long. ERR_LIMIT when no check could start
 * within 10 s. */
static int verify(const char *hash, const char *password, struct err *e)
{
    pthread_once(&checks_once, checks_init);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 10;
    if (sem_timedwait(&checks, &until) != 0)
        return err_set(e, ERR_LIMIT, "too many sign-ins at once; try again");
    const char *h = hash && *hash ? hash : decoy;
    int ok = h[0] && crypto_pwhash_str_verify(h, password, strlen(password)) == 0;
    sem_post(&checks);
    return ok && hash && *hash;
}

int auth_password_check(struct db *db, const char *name, const char *password,
                        struct auth_user *u, struct err *e)
{
    memset(u, 0, sizeof *u);
    char hash[crypto_pwhash_STRBYTES] = "";
    struct db_stmt *st;
    int rc = db_prepare(db, &st, e,
                        "SELECT id, name, role, hash FROM account WHERE name = ?1 AND "
                        "disabled IS NULL",
                        "t", name ? name : "");
    if (!rc) rc = db_step(st, e);
    if (rc == 1) {
        u->account_id = db_col_int(st, 0);
        db_col_text(st, 1, u->name, sizeof u->name);
        db_col_text(st, 2, u->role, sizeof u->role);
        db_col_text(st, 3, hash, sizeof hash);
        rc = 0;
    }
    db_finalize(st);
    if (rc < 0) return rc;
    int ok = verify(hash, password ? password : "", e);
    sodium_memzero(hash, sizeof hash);
    if (ok < 0) return ok;
    if (!ok) {
        memset(u, 0, sizeof *u);
        return err_set(e, ERR_NOTFOUND, "unknown name or wrong password");
    }
    return 0;
}

/* Sets an account's password hash and ends its sessions but keep_sid's. */
static int set_hash(struct db *db, int64_t id, const char *hash, const char *keep_sid,
                    struct err *e)
{
    char keep[65] = "";
    if (keep_sid) auth_hash_hex(keep_sid, keep);
    int rc = db_run(db, e,
                    "UPDATE account SET hash = ?2, password_set = "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now') WHERE id = ?1",
                    "it", id, hash);
    if (!rc)
        rc = db_run(db, e, "DELETE FROM session WHERE account_id = ?1 AND hash <> ?2", "it", id,
                    keep);
    return rc;
}

/* The web's password change, as one audited write. */
struct change {
    struct db *db;
    const struct auth_user *u;
    const char *fresh, *keep_sid;
};

static int change_write(void *ctx, struct db_change *ch, struct err *e)
{
    struct change *c = ctx;
    ch->action = "user.password";
    ch->entity = "account";
    ch->id = c->u->name;
    char hash[crypto_pwhash_STRBYTES];
    int rc = hash_password(c->fresh, hash, e);
    if (!rc) rc = set_hash(c->db, c->u->account_id, hash, c->keep_sid, e);
    sodium_memzero(hash, sizeof hash);
    return rc;
}

int auth_password_change(struct db *db, const struct auth_user *u, const char *current,
                         const char *fresh, const char *keep_sid, struct err *e)
{
    struct auth_user again;
    if (!u->account_id) {
        err_set(e, ERR_USAGE, "only a person signed in with a password has one to change");
        return err_field(e, "current");
    }
    int rc = auth_password_check(db, u->name, current, &again, e);
    if (rc == ERR_NOTFOUND) {
        err_set(e, ERR_REFUSED, "%s", N_("the current password is wrong"));
        return err_field(e, "current");
    }
    if (rc) return rc;
    const char *why = auth_password_fault(u->name, fresh);
    if (*why) {
        err_set(e, ERR_INPUT, "%s", why);
        return err_field(e, "password");
    }
    struct change c = {db, u, fresh, keep_sid};
    return db_write(db, change_write, &c, 0, e);
}

/* ---- reading a password on the command line ----------------------------------------- */

/* One line of f into out, without its line end; 0, or -1 when there is none. */
static int read_line(FILE *f, char *out, size_t size)
{
    if (!fgets(out, (int)size, f)) return -1;
    out[strcspn(out, "\r\n")] = 0;
    return 0;
}

static int prompt(const char *what, char *out, size_t size)
{
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0) return -1;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    fprintf(stderr, "%s", what);
    fflush(stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    int rc = read_line(stdin, out, size);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    fputc('\n', stderr);
    return rc;
}

/* The password for name: from --password-file, a prompt, or standard input. */
static int read_password(struct op_call *c, const char *name, char *out, size_t size,
                         struct err *e)
{
    const char *path = op_has(c, "password_file") ? op_s(c, "password_file") : NULL;
    int rc = 0;
    if (path) {
        FILE *f = fopen(path, "r");
        if (!f) {
            err_at(e, path, 0, 0, "password_file");
            return err_set(e, ERR_IO, "cannot read the password file");
        }
        rc = read_line(f, out, size);
        fclose(f);
        if (rc) {
            err_at(e, path, 1, 0, "password_file");
            return err_set(e, ERR_INPUT, "the password file is empty");
        }
    } else if (isatty(STDIN_FILENO)) {
        char again[PASSWORD_MAX + 2];
        char what[160];
        snprintf(what, sizeof what, "Password for %s: ", name);
        if (prompt(what, out, size) || prompt("The same password again: ", again, sizeof again))
            return err_set(e, ERR_USAGE, "no password was typed");
        int same = strcmp(out, again) == 0;
        sodium_memzero(again, sizeof again);
        if (!same) return err_set(e, ERR_USAGE, "the two passwords differ");
    } else if (read_line(stdin, out, size)) {
        return err_set(e, ERR_USAGE,
                       "no password: give --password-file, type it at a prompt, or send it "
                       "as the first line of standard input");
    }
    const char *why = auth_password_fault(name, out);
    if (!*why) return 0;
    err_set(e, ERR_INPUT, "%s", why);
    return path ? err_field(e, "password_file") : ERR_INPUT;
}

/* ---- the commands --------------------------------------------------------------------- */

/* The hash of the password read before the write's transaction opened
 * (nobody types while the database is locked for writing). */
static _Thread_local char pending[crypto_pwhash_STRBYTES];

static int ask_password(struct op_call *c, struct err *e)
{
    char password[PASSWORD_MAX + 2];
    int rc = read_password(c, op_s(c, "name"), password, sizeof password, e);
    if (!rc) rc = hash_password(password, pending, e);
    sodium_memzero(password, sizeof password);
    return rc;
}

static int user_add(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name"), *role = op_s(c, "role");
    int rc = db_run(c->db, e,
                    "INSERT INTO account(name, role, hash, created, password_set) VALUES "
                    "(?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ','now'), "
                    "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                    "ttt", name, role, pending);
    sodium_memzero(pending, sizeof pending);
    if (rc == ERR_CONFLICT) {
        err_set(e, ERR_CONFLICT, "a user named '%s' exists", name);
        return err_field(e, "name");
    }
    if (!rc) op_done(c, "user '%s' (%s) added; they sign in with their name and password", name, role);
    return rc;
}

static int user_list(struct op_call *c, struct err *e)
{
    struct table *t = table_new("users", N_("People who sign in with a password"));
    table_col(t, "name", COL_TEXT, NULL, 0);
    table_col(t, "role", COL_TEXT, NULL, 0);
    table_col(t, "created", COL_TEXT, NULL, 0);
    table_col(t, "password_set", COL_TEXT, NULL, 0);
    table_col(t, "disabled", COL_TEXT, NULL, 0);
    int rc = db_fill(c->db, t, e,
                     "SELECT name, role, created, password_set, coalesce(disabled, '') "
                     "FROM account ORDER BY name",
                     NULL);
    if (rc) table_free(t);
    return op_give(c, rc, &t);
}

/* The id of the enabled account called name, or ERR_NOTFOUND naming it. */
static int live_account(struct op_call *c, const char *name, int64_t *id, struct err *e)
{
    int rc = db_lookup_int(c->db, e, id,
                           "SELECT id FROM account WHERE name = ?1 AND disabled IS NULL", "t",
                           name);
    if (rc == 0) {
        err_set(e, ERR_NOTFOUND, "no enabled user named '%s'", name);
        return err_field(e, "name");
    }
    return rc < 0 ? rc : 0;
}

static int user_disable(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    int64_t id;
    int rc = live_account(c, name, &id, e);
    if (!rc)
        rc = db_run(c->db, e,
                    "UPDATE account SET disabled = strftime('%Y-%m-%dT%H:%M:%SZ','now') "
                    "WHERE id = ?1",
                    "i", id);
    if (!rc) rc = db_run(c->db, e, "DELETE FROM session WHERE account_id = ?1", "i", id);
    if (!rc) op_done(c, "user '%s' disabled; their sessions have ended", name);
    return rc;
}

static int user_passwd(struct op_call *c, struct err *e)
{
    const char *name = op_s(c, "name");
    int64_t id;
    int rc = live_account(c, name, &id, e);
    if (!rc) rc = set_hash(c->db, id, pending, NULL, e);
    sodium_memzero(pending, sizeof pending);
    if (!rc) op_done(c, "user '%s' has a new password; their sessions have ended", name);
    return rc;
}

/* A new account's name must be free before its password is asked. */
static int ask_new(struct op_call *c, struct err *e)
{
    int64_t id;
    int rc = db_lookup_int(c->db, e, &id, "SELECT id FROM account WHERE name = ?1", "t",
                           op_s(c, "name"));
    if (rc == 1) {
        err_set(e, ERR_CONFLICT, "a user named '%s' exists", op_s(c, "name"));
        return err_field(e, "name");
    }
    return rc < 0 ? rc : ask_password(c, e);
}

/* Before asking a password for an account, it must be there. */
static int ask_existing(struct op_call *c, struct err *e)
{
    int64_t id;
    int rc = live_account(c, op_s(c, "name"), &id, e);
    return rc ? rc : ask_password(c, e);
}

static const struct op_param add_params[] = {
    {"name", PT_TEXT, PF_REQUIRED, NULL, 0, 60, NULL, "the name they sign in with"},
    {"role", PT_ENUM, PF_REQUIRED, auth_roles, 0, 0, NULL,
     "what they may do: read (viewer), write one area (editor:AREA), or everything (admin)"},
    {"password_file", PT_TEXT, 0, NULL, 0, 4096, NULL,
     "a file whose first line is the password (else a prompt, or standard input)"},
    {0},
};

static const struct op_param name_params[] = {
    {"name", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 60, NULL, "the user's name"},
    {0},
};

static const struct op_param passwd_params[] = {
    {"name", PT_TEXT, PF_REQUIRED | PF_POS, NULL, 0, 60, NULL, "the user's name"},
    {"password_file", PT_TEXT, 0, NULL, 0, 4096, NULL,
     "a file whose first line is the password (else a prompt, or standard input)"},
    {0},
};

static const struct op_param no_params[] = {{0}};

const struct op auth_user_ops[] = {
    {"user", "add", OP_WRITE, user_add, add_params,
     "add a person who signs in to the dashboard with a name and a password",
     "user add --name aigerim --role editor:shipments --password-file pw.txt", "admin", "account",
     NULL, OPF_LOCAL, ask_new},
    {"user", "list", OP_READ, user_list, no_params, "the people who sign in with a password",
     "user list", "admin", NULL, NULL, OPF_LOCAL},
    {"user", "disable", OP_WRITE, user_disable, name_params,
     "stop a user signing in and end their sessions", "user disable aigerim", "admin", "account",
     NULL, OPF_LOCAL},
    {"user", "passwd", OP_WRITE, user_passwd, passwd_params,
     "set a user's password (their sessions end)", "user passwd aigerim", "admin", "account", NULL,
     OPF_LOCAL, ask_existing},
    {0},
};
