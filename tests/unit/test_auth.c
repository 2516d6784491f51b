/* test_auth.c — unit tests for auth/: tokens are shown once and stored only
 * hashed, roles grant what they say, revocation ends tokens and sessions,
 * sessions carry their CSRF token. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "auth/auth.h"
#include "ops/ops.h"
#include "support.h"

#include <stdlib.h>
#include <time.h>

static struct db *db;

static int setup(void **state)
{
    (void)state;
    struct err e = {0};
    return auth_init(&e) || db_open(":memory:", DB_CREATE, &db, NULL, &e);
}

/* Creates a token through the operation; its secret goes to out. */
static int create(const char *name, const char *role, char out[AUTH_TOKEN_LEN], struct err *e)
{
    const char *p[] = {"name", name, "role", role, NULL};
    struct op_call c;
    int rc = run_op_keep(db, NULL, "token", "create", p, &c, e);
    if (!rc) {
        str_copy(out, c.text, AUTH_TOKEN_LEN);
        out[strcspn(out, "\n")] = 0;
    }
    op_call_free(&c);
    return rc;
}

static int revoke(const char *name, struct err *e)
{
    const char *p[] = {"name", name, NULL};
    return run_op(db, NULL, "token", "revoke", p, e);
}

static int teardown(void **state)
{
    (void)state;
    db_close(db);
    return 0;
}

static void test_roles(void **state)
{
    (void)state;
    /* the roles a token may hold are exactly viewer, admin and the editor
     * role of every area that writes: each write's role is grantable, and no
     * grantable editor role is without a write */
    char roles[512];
    snprintf(roles, sizeof roles, "|%s|", auth_roles);
    assert_non_null(strstr(roles, "|viewer|"));
    assert_non_null(strstr(roles, "|admin|"));
    size_t n;
    const struct op_cmd *cmds = op_commands(&n);
    for (size_t i = 0; i < n; i++) {
        char want[80];
        snprintf(want, sizeof want, "|%s|", op_role(&cmds[i]));
        if (strncmp(want, "|editor:", 8) == 0 && !strstr(roles, want)) fail_msg("%s", want);
    }
    for (char *save, *r = strtok_r(roles, "|", &save); r; r = strtok_r(NULL, "|", &save)) {
        if (strncmp(r, "editor:", 7) != 0) continue;
        int used = 0;
        for (size_t i = 0; i < n && !used; i++)
            used = strcmp(op_role(&cmds[i]), r) == 0;
        if (!used) fail_msg("role %s has no operation", r);
    }
    struct auth_user v = {.role = "viewer"}, ed = {.role = "editor:trade"}, ad = {.role = "admin"};
    struct auth_user none = {0};
    assert_true(auth_can(&v, "viewer"));
    assert_false(auth_can(&v, "editor:trade"));
    assert_true(auth_can(&ed, "editor:trade"));
    assert_false(auth_can(&ed, "editor:access"));
    assert_false(auth_can(&ed, "admin"));
    assert_true(auth_can(&ad, "editor:access"));
    assert_false(auth_can(&none, "viewer"));
}

static void test_tokens(void **state)
{
    (void)state;
    struct err e = {0};
    char tok[AUTH_TOKEN_LEN], tok2[AUTH_TOKEN_LEN];
    assert_int_equal(create("desk", "editor:shipments", tok, &e), 0);
    assert_int_equal(strlen(tok), AUTH_TOKEN_LEN - 1);
    assert_memory_equal(tok, "cor_", 4);
    assert_int_equal(create("desk", "viewer", tok2, &e), ERR_CONFLICT);
    assert_int_equal(create("x", "root", tok2, &e), ERR_INPUT);
    assert_string_equal(e.field, "role");
    /* the secret is not in the database, only its hash */
    char hash[80];
    assert_int_equal(
        db_lookup(db, &e, hash, sizeof hash, "SELECT hash FROM token WHERE name = 'desk'", NULL),
        1);
    assert_int_equal(strlen(hash), 64);
    assert_null(strstr(hash, tok + 4));
    struct auth_user u;
    assert_int_equal(auth_token_check(db, tok, &u, &e), 0);
    assert_string_equal(u.name, "desk");
    assert_string_equal(u.role, "editor:shipments");
    char wrong[AUTH_TOKEN_LEN];
    strcpy(wrong, tok);
    wrong[10] = wrong[10] == 'a' ? 'b' : 'a';
    assert_int_equal(auth_token_check(db, wrong, &u, &e), ERR_NOTFOUND);
    assert_int_equal(auth_token_check(db, "cor_short", &u, &e), ERR_NOTFOUND);
    /* sessions follow their token */
    char sid[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN], csrf2[AUTH_TOKEN_LEN];
    assert_int_equal(auth_token_check(db, tok, &u, &e), 0);
    /* a session past its time is purged when the next one is made */
    assert_int_equal(db_run(db, &e,
                            "INSERT INTO session(hash, token_id, csrf, created, expires) VALUES "
                            "('old', ?1, 'c', '2020-01-01T00:00:00Z', '2020-01-01T12:00:00Z')",
                            "i", u.token_id),
                     0);
    assert_int_equal(auth_session_create(db, &u, 1, sid, csrf, &e), 0);
    char n[8];
    assert_int_equal(db_lookup(db, &e, n, sizeof n, "SELECT count(*) FROM session", NULL), 1);
    assert_string_equal(n, "1");
    assert_int_equal(auth_session_check(db, sid, &u, csrf2, &e), 0);
    assert_true(auth_equal(csrf, csrf2));
    assert_false(auth_equal(csrf, sid));
    assert_int_equal(revoke("desk", &e), 0);
    assert_int_equal(auth_token_check(db, tok, &u, &e), ERR_NOTFOUND);
    assert_int_equal(auth_session_check(db, sid, &u, csrf2, &e), ERR_NOTFOUND);
    assert_int_equal(revoke("desk", &e), ERR_NOTFOUND);
    struct op_call c;
    static const char *const none[] = {NULL};
    assert_int_equal(run_op_keep(db, NULL, "token", "list", none, &c, &e), 0);
    assert_int_equal(c.out[0]->nrows, 1);
    assert_false(table_cell(c.out[0], 0, 5)->s[0] == 0); /* revoked has a date */
    op_call_free(&c);
}

/* Tokens stop at their term (90 days unless told), and a rotated token's
 * old secret and sessions stop at once. */
static void test_token_terms(void **state)
{
    (void)state;
    struct err e = {0};
    char tok[AUTH_TOKEN_LEN], n[32];
    struct auth_user u;
    assert_int_equal(create("term", "viewer", tok, &e), 0);
    assert_int_equal(db_lookup(db, &e, n, sizeof n,
                               "SELECT CAST(round(julianday(expires) - julianday(created)) AS "
                               "INTEGER) FROM token WHERE name = 'term'",
                               NULL),
                     1);
    assert_string_equal(n, "90");
    assert_int_equal(auth_token_check(db, tok, &u, &e), 0);
    assert_int_equal(db_run(db, &e,
                            "UPDATE token SET expires = '2020-01-01T00:00:00Z' "
                            "WHERE name = 'term'",
                            NULL),
                     0);
    assert_int_equal(auth_token_check(db, tok, &u, &e), ERR_NOTFOUND);
    /* rotation: a new secret and term; the old secret and its session end */
    const char *p[] = {"name", "term", NULL};
    struct op_call c;
    assert_int_equal(run_op_keep(db, NULL, "token", "rotate", p, &c, &e), 0);
    char fresh[AUTH_TOKEN_LEN];
    str_copy(fresh, c.text, sizeof fresh);
    fresh[strcspn(fresh, "\n")] = 0;
    op_call_free(&c);
    assert_int_equal(auth_token_check(db, tok, &u, &e), ERR_NOTFOUND);
    assert_int_equal(auth_token_check(db, fresh, &u, &e), 0);
    assert_string_equal(u.name, "term");
    /* terms as days, as an end date, refused when nonsense */
    const char *days[] = {"name", "term", "expires", "30d", NULL};
    assert_int_equal(run_op(db, NULL, "token", "rotate", days, &e), 0);
    assert_int_equal(db_lookup(db, &e, n, sizeof n,
                               "SELECT CAST(round(julianday(expires) - julianday(created)) AS "
                               "INTEGER) FROM token WHERE name = 'term'",
                               NULL),
                     1);
    assert_string_equal(n, "30");
    const char *date[] = {"name", "term", "expires", "2099-06-30", NULL};
    assert_int_equal(run_op(db, NULL, "token", "rotate", date, &e), ERR_USAGE); /* past ten years */
    assert_string_equal(e.field, "expires");
    char soon[11];
    date_from_days((long)(time(NULL) / 86400) + 40, soon);
    const char *dated[] = {"name", "term", "expires", soon, NULL};
    assert_int_equal(run_op(db, NULL, "token", "rotate", dated, &e), 0);
    char want[32], after[11]; /* the last day given works through: the term ends at the next midnight */
    date_from_days((long)(time(NULL) / 86400) + 41, after);
    snprintf(want, sizeof want, "%sT00:00:00Z", after);
    assert_int_equal(db_lookup(db, &e, n, sizeof n, "SELECT expires FROM token WHERE name = 'term'",
                               NULL),
                     1);
    assert_string_equal(n, want);
    const char *bad[][5] = {{"name", "term", "expires", "0d5", NULL},
                            {"name", "term", "expires", "3651d", NULL},
                            {"name", "term", "expires", "2020-01-01", NULL},
                            {"name", "term", "expires", "soon", NULL}};
    for (int i = 0; i < 4; i++) {
        err_clear(&e);
        assert_int_equal(run_op(db, NULL, "token", "rotate", bad[i], &e), ERR_USAGE);
        assert_non_null(strstr(e.msg, "--expires takes days from now"));
    }
    const char *never[] = {"name", "term", "expires", "never", NULL};
    assert_int_equal(run_op(db, NULL, "token", "rotate", never, &e), 0);
    assert_int_equal(db_lookup(db, &e, n, sizeof n,
                               "SELECT coalesce(expires, 'never') FROM token WHERE name = 'term'",
                               NULL),
                     1);
    assert_string_equal(n, "never");
    const char *nobody[] = {"name", "nobody", NULL};
    assert_int_equal(run_op(db, NULL, "token", "rotate", nobody, &e), ERR_NOTFOUND);
}

/* People with passwords: the right one signs in, a wrong one or an unknown
 * name does not; a change keeps the asking session and ends the others; a
 * disabled account neither signs in nor keeps a session. */
static void test_accounts(void **state)
{
    (void)state;
    struct err e = {0};
    char pwfile[] = "/tmp/corridor-pw-XXXXXX";
    int fd = mkstemp(pwfile);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("right password 1\n", f);
    fclose(f);
    const char *add[] = {"name", "aigerim", "role", "editor:shipments", "password_file", pwfile, NULL};
    assert_int_equal(run_op(db, NULL, "user", "add", add, &e), 0);
    remove(pwfile);
    struct auth_user u, s;
    assert_int_equal(auth_password_check(db, "aigerim", "wrong password 1", &u, &e), ERR_NOTFOUND);
    assert_int_equal(auth_password_check(db, "nobody", "right password 1", &u, &e), ERR_NOTFOUND);
    assert_string_equal(u.name, "");
    assert_int_equal(auth_password_check(db, "aigerim", "right password 1", &u, &e), 0);
    assert_string_equal(u.role, "editor:shipments");
    assert_true(u.account_id > 0);
    assert_int_equal(u.token_id, 0);
    char sid[AUTH_TOKEN_LEN], sid2[AUTH_TOKEN_LEN], csrf[AUTH_TOKEN_LEN], c2[AUTH_TOKEN_LEN];
    assert_int_equal(auth_session_create(db, &u, 1, sid, csrf, &e), 0);
    assert_int_equal(auth_session_create(db, &u, 1, sid2, c2, &e), 0);
    assert_int_equal(auth_session_check(db, sid, &s, c2, &e), 0);
    assert_string_equal(s.name, "aigerim");
    assert_int_equal(s.account_id, u.account_id);
    assert_string_equal(c2, csrf);
    assert_int_equal(auth_password_change(db, &u, "wrong password 1", "new password 22", sid, &e),
                     ERR_REFUSED);
    assert_string_equal(e.field, "current");
    err_clear(&e);
    assert_int_equal(auth_password_change(db, &u, "right password 1", "short", sid, &e), ERR_INPUT);
    assert_string_equal(e.field, "password");
    assert_int_equal(auth_password_change(db, &u, "right password 1", "new password 22", sid, &e), 0);
    assert_int_equal(auth_session_check(db, sid, &s, c2, &e), 0);
    assert_int_equal(auth_session_check(db, sid2, &s, c2, &e), ERR_NOTFOUND);
    assert_int_equal(auth_password_check(db, "aigerim", "right password 1", &s, &e), ERR_NOTFOUND);
    assert_int_equal(auth_password_check(db, "aigerim", "new password 22", &s, &e), 0);
    const char *off[] = {"name", "aigerim", NULL};
    assert_int_equal(run_op(db, NULL, "user", "disable", off, &e), 0);
    assert_int_equal(auth_session_check(db, sid, &s, c2, &e), ERR_NOTFOUND);
    assert_int_equal(auth_password_check(db, "aigerim", "new password 22", &s, &e), ERR_NOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles),

        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_token_terms),
        cmocka_unit_test(test_accounts),
    };
    return cmocka_run_group_tests_name("auth", tests, setup, teardown);
}
