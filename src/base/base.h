/* base — the parts of corridor that know nothing about trade or Kazakhstan:
 * the error type every function fills, a capped growable buffer, exact
 * decimal parsing (money to integer cents, mass to integer grams), a streaming
 * CSV reader over libcsv that knows line numbers and reads gzip directly, a
 * terminal progress bar, small string helpers and the embedded asset table.
 *
 * Ownership: every struct here is owned by its caller; *_free(NULL) is safe. */
#ifndef CORRIDOR_BASE_H
#define CORRIDOR_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CORRIDOR_VERSION "0.1.0"

/* ---- errors ------------------------------------------------------------ */

enum err_code {
    ERR_OK = 0,
    ERR_USAGE = -1,    /* bad command line or request shape */
    ERR_INPUT = -2,    /* bad data in a file or field */
    ERR_NOTFOUND = -3, /* a code, id or file that does not exist */
    ERR_CONFLICT = -4, /* clashes with what is stored */
    ERR_REFUSED = -5,  /* a domain rule says no */
    ERR_IO = -6,       /* reading or writing a file failed */
    ERR_DB = -7,       /* SQLite failed */
    ERR_LIMIT = -8,    /* a size or count limit was hit */
    ERR_NOMEM = -9,
    ERR_INTERNAL = -10,
};

/* A refusal: what was wrong (msg) and where (file, line, column, field).
 * Empty strings and zero numbers mean "not applicable". */
struct err {
    int code;
    char msg[512];
    char file[256];
    long line;
    int column;
    char field[64];
};

/* Sets e->code and e->msg from the format and returns code (so callers can
 * write `return err_set(e, ERR_INPUT, ...)`). Location fields are untouched. */
int err_set(struct err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Sets the location of an error (file may be NULL, field may be NULL). */
void err_at(struct err *e, const char *file, long line, int column, const char *field);
void err_clear(struct err *e);
/* Names the field at fault in e and returns e's code (ERR_INPUT if none is
 * set yet), for `return err_field(e, "region");`. */
int err_field(struct err *e, const char *field);
/* The one table from error codes to process exit statuses and HTTP statuses. */
int err_exit_status(int code);
int err_http_status(int code);
const char *err_code_name(int code);
/* Prints "corridor: FILE:LINE:COL: field F: message" to f. */
void err_print(const struct err *e, FILE *f);

/* ---- growable buffer --------------------------------------------------- */

/* A byte buffer that refuses to grow past max (0 = 1 GiB). p is always
 * NUL-terminated once anything was appended. Owner frees with buf_free. */
struct buf {
    char *p;
    size_t len, cap, max;
};
int buf_append(struct buf *b, const void *data, size_t n);
int buf_puts(struct buf *b, const char *s);
int buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);

/* ---- exact decimals ---------------------------------------------------- */

/* Parses decimal text ("-1234.5", "1.2E+3", " 12 ") into an integer scaled by
 * 10^scale, exactly, never through double. Digits beyond the scale are
 * rounded half away from zero. Returns 0, or ERR_INPUT with a reason in e. */
int dec_parse(const char *s, int scale, int64_t *out, struct err *e);
/* Formats v / 10^scale with exactly `scale` decimals into out (size >= 32). */
char *dec_format(int64_t v, int scale, char *out, size_t size);
/* As dec_format, without the trailing zeros of the decimals (and the point
 * when none is left): 1.500000 -> "1.5", 2.000000 -> "2". */
char *dec_format_trim(int64_t v, int scale, char *out, size_t size);
/* As dec_format but with thousands separators (for people, not for CSV). */
char *dec_format_grouped(int64_t v, int scale, char *out, size_t size);
/* A double with that many decimals (0 to 3) and thousands separators
 * ("13,140,000.4"); beyond 10^12, or more decimals, without separators. */
char *real_format_grouped(double v, int decimals, char *out, size_t size);
/* Formats a mass in grams as tonnes rounded to the kilogram: plain with
 * three decimals, or grouped with thousands separators for people, without
 * trailing zeros (2,000,000; 12.5). */
char *mass_format_t(int64_t grams, int grouped, char *out, size_t size);
/* Formats a mass in grams as tonnes exactly: three decimals, or up to six
 * when grams need them ("150000.000", "1000.000001"). */
char *mass_format_exact(int64_t grams, char *out, size_t size);
/* Parses a whole number in [min, max]; returns 0 or ERR_INPUT. */
int int_parse(const char *s, long min, long max, long *out, struct err *e);

/* ---- strings ----------------------------------------------------------- */

/* Copies at most size-1 bytes and always terminates; returns dst. */
char *str_copy(char *dst, const char *src, size_t size);
/* FNV-1a hash of a string, for the small tables that spread keys over slots. */
unsigned str_hash(const char *s);
/* Case-insensitive equality of ASCII strings. */
int str_ieq(const char *a, const char *b);
/* 1 if the comma-separated list holds item exactly ("vet-cert,phyto-cert"). */
int str_list_has(const char *list, const char *item);
/* 1 if s starts with one of the comma-separated prefixes ("0201,0202"). */
int str_list_prefix(const char *list, const char *s);
/* Trims ASCII blanks in place; returns s. */
char *str_trim(char *s);
/* Copies s (NULL: "") without the blanks around it into out: 0, or -1 when
 * it does not fit (a value is never cut short and then believed). */
int str_trim_copy(char *out, size_t size, const char *s);
/* Upper-cases ASCII letters in place; returns s. */
char *str_upper(char *s);
/* 1 if s is valid UTF-8 (RFC 3629: shortest forms, no surrogates) without
 * NUL, control characters (C0 other than tab, DEL, C1). */
int str_valid_utf8(const char *s, size_t n);
/* A copy of s with every invalid byte or control character replaced by
 * U+FFFD (for showing what came from elsewhere); free() it. */
char *str_utf8_clean(const char *s);
/* Makes s valid UTF-8 in place without growing it: a sequence cut short at
 * the end is dropped, any other bad byte or control character (but tab and
 * line ends) becomes '?' (for messages, which are cut to fit their buffers). */
void str_utf8_fix(char *s);
/* Columns a terminal gives s: one a character, two for the wide ones of
 * Chinese (East Asian wide and full-width forms). */
size_t str_width(const char *s);
/* s cut to width columns at a character's edge, its end replaced by "…"
 * when cut (into out); s itself when it fits. */
const char *str_clip(const char *s, size_t width, char *out, size_t size);
/* Levenshtein distance of two ASCII strings, case-insensitive, capped at 99. */
int str_distance(const char *a, const char *b);
/* strdup that never returns NULL for a non-NULL input (aborts the process
 * only on out-of-memory, which is not bad input). */
char *xstrdup(const char *s);
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);

/* ---- input ------------------------------------------------------------- */

/* Where bytes come from: a file (path), or bytes in memory (data, len) such
 * as an embedded asset or a request body. label names it in messages
 * (default: the path, or "(memory)"). */
struct csv_src {
    const char *path;
    const char *data;
    size_t len;
    const char *label;
    uint64_t max_inflated; /* bytes gzip data may inflate to (0: no limit) */
};

enum input_encoding {
    INPUT_UTF8, /* passed on as it is (readers check UTF-8 where it matters) */
    INPUT_AUTO, /* UTF-8, or failing that Windows-1252/Latin-1 or -1251, passed on as UTF-8 */
};

/* What a reader found out about its input. */
struct input_info {
    char encoding[24]; /* "ASCII", "UTF-8", "UTF-8 with BOM", "Windows-1252", "Windows-1251" */
    int gzip;
    char delim; /* CSV: the field separator used */
};

struct input_opts {
    int progress;            /* draw a progress bar on stderr if it is a tty */
    const char *label;       /* name shown in messages (default: the source's) */
    int encoding;            /* enum input_encoding */
    const uint64_t *rows;    /* rows read so far, for the progress bar */
    struct input_info *info; /* filled when not NULL */
};

/* Called with each chunk of (decoded) bytes; 0 to go on, or an error. */
typedef int (*input_fn)(const char *p, size_t n, void *ctx, struct err *e);

/* Reads src (plain or gzip, detected by content; several gzip members in a
 * row are one stream), strips a UTF-8 byte order mark, refuses UTF-16 and
 * damaged or truncated gzip and ZIP archives, and with INPUT_AUTO turns
 * Windows-1252 or -1251 text into UTF-8 (refusing text that mixes UTF-8 with
 * another encoding). Returns 0 or an error. */
int input_read(const struct csv_src *src, const struct input_opts *o, input_fn fn, void *ctx,
               struct err *e);

/* ---- CSV reader -------------------------------------------------------- */

/* One parsed row: nfields NUL-terminated fields, valid until the callback
 * returns. line is the physical line on which the row starts (1-based). */
struct csv_row {
    char **fields;
    size_t *lens;
    size_t nfields;
    long line;
    const char *types; /* workbooks: each cell's kind ('n' number, 's' text, 'b' boolean,
                          'e' error, 0 empty); NULL for CSV, where all is text */
};

/* Called for each row; return 0 to go on, a negative err_code to stop. */
typedef int (*csv_row_fn)(const struct csv_row *row, void *ctx, struct err *e);

struct csv_opts {
    size_t max_row_bytes;    /* refuse longer rows (default 1 MiB) */
    size_t max_fields;       /* refuse wider rows (default 512) */
    int progress;            /* draw a progress bar on stderr if it is a tty */
    const char *label;       /* name shown in messages (default: the path) */
    int sniff;               /* tell the separator (comma, tab, semicolon) from the first line */
    int encoding;            /* enum input_encoding */
    struct input_info *info; /* filled when not NULL */
    long first_line;         /* the line number of the first byte (default 1) */
};

/* Reads CSV (plain or gzip, detected by content, from a file or memory) row
 * by row, strips a UTF-8 BOM, accepts LF and CRLF, and calls fn for each
 * row. Refuses NUL bytes, unterminated quotes, over-long rows, over-wide
 * rows, and damaged or truncated gzip, naming the file and line. Returns 0
 * or the negative code from fn or the reader. */
int csv_read(const struct csv_src *src, const struct csv_opts *o, csv_row_fn fn, void *ctx,
             struct err *e);
int csv_read_file(const char *path, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                  struct err *e);
int csv_read_mem(const char *data, size_t len, const struct csv_opts *o, csv_row_fn fn, void *ctx,
                 struct err *e);
/* The same parser fed by hand, for readers that choose it after seeing the
 * first bytes: csv_begin, csv_push for each chunk, then csv_end, which
 * finishes the last row and frees the reader (it returns rc when rc is
 * already an error). */
struct csv_reader;
int csv_begin(struct csv_reader **r, const struct csv_opts *o, csv_row_fn fn, void *ctx,
              struct err *e);
int csv_push(struct csv_reader *r, const char *p, size_t n);
int csv_end(struct csv_reader *r, int rc);
/* Index of the header field called name (case-insensitive, blanks
 * trimmed), or -1. */
int csv_find(const struct csv_row *header, const char *name);
/* Refuses a header that names a column twice (case-insensitively), naming
 * it and both positions; label and line locate the error. */
int csv_header_unique(const struct csv_row *header, const char *label, struct err *e);
/* Writes one field to f, quoting when needed (RFC 4180). */
void csv_put(FILE *f, const char *s);
/* The same with another separator (';' for spreadsheets that read ',' as a decimal). */
void csv_put_sep(FILE *f, const char *s, char sep);

/* ---- Excel workbooks (.xlsx) ------------------------------------------ */

/* A workbook opened from a file or from memory (src->path or src->data);
 * its sheets are then read row by row as CSV rows are: fields in column
 * order (cells the sheet skips are empty fields), line = the row's number.
 * Numbers come as Excel stores them ("1890", "0.51", "1.5E-2"), booleans as
 * TRUE/FALSE. Damaged archives, malformed XML, documents with a DTD and
 * parts past their size caps are refused. xlsx_close(NULL) is safe. */
struct xlsx;
int xlsx_open(const struct csv_src *src, struct xlsx **out, struct err *e);
void xlsx_close(struct xlsx *x);
size_t xlsx_sheets(const struct xlsx *x);
const char *xlsx_sheet_name(const struct xlsx *x, size_t i);
/* The index of the sheet called name (case-insensitive), or -1. */
int xlsx_find_sheet(const struct xlsx *x, const char *name);
/* Calls fn for each row of sheet i (rows with no value come as one empty
 * field), row->types telling numbers from text. A cell beyond column 512
 * (XLSX_COLS) or met twice is refused. max_row_bytes 0: 1 MiB. */
#define XLSX_COLS 512
int xlsx_read_sheet(struct xlsx *x, size_t i, size_t max_row_bytes, csv_row_fn fn, void *ctx,
                    struct err *e);

/* ---- progress ---------------------------------------------------------- */

/* A progress bar on stderr, drawn only when stderr is a terminal, at most ten
 * times a second: "label [#####     ] 42% 1.2M rows 35.1 MB/s ETA 3s". */
struct progress {
    const char *label;
    uint64_t total_bytes;
    double start, last_draw;
    int enabled, drawn;
};
void progress_start(struct progress *p, const char *label, uint64_t total_bytes, int want);
void progress_update(struct progress *p, uint64_t bytes, uint64_t rows);
void progress_done(struct progress *p);
double now_seconds(void);
/* Peak resident set size of this process in KiB (from /proc), or 0. */
long peak_rss_kib(void);

/* ---- reasons and dates ------------------------------------------------ */

/* Every reason something was refused, each a sentence for people. */
#define REASONS_MAX 24
struct reasons {
    int n;
    char r[REASONS_MAX][640];
};
/* Adds a reason (silently dropped past REASONS_MAX). */
void reasons_add(struct reasons *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The reasons joined with "; " into out. */
char *reasons_join(const struct reasons *r, char *out, size_t size);

/* "YYYY-MM-DD" -> y, m, d (validated against the calendar); 0 or ERR_INPUT. */
int date_parse(const char *s, int *y, int *m, int *d);
/* Days since 1970-01-01, and back to "YYYY-MM-DD". */
long date_days(int y, int m, int d);
void date_from_days(long days, char out[11]);
/* Days since 1970 of a date text (negative before 1970; check it with
 * date_valid first). */
long date_text_days(const char *s);
/* 1 if s is a date YYYY-MM-DD on the calendar (years 1900 to 2200). */
int date_valid(const char *s);
/* 0 when s is NULL or a date "YYYY-MM-DD"; otherwise code, with e saying so
 * and naming field. */
int date_check(const char *s, int code, const char *field, struct err *e);
/* Today's date (UTC) as "YYYY-MM-DD". */
void date_today(char out[11]);
/* Hours since 1970 of "YYYY-MM-DDTHH:MM", or -1. */
double timestamp_hours(const char *s);
/* Normalises "YYYY-MM-DD[ T]HH:MM[:SS][Z|+HH:MM|-HH:MM]" to
 * "YYYY-MM-DDTHH:MM" and its zone mark ("Z", "+05:00", or none for a local
 * time); 0 or ERR_INPUT. */
int timestamp_norm(const char *s, char *out, size_t size);
/* The time zones events are typed in: UTC, Asia/Almaty, Asia/Urumqi,
 * Asia/Shanghai. 1 if zone is one of them. */
int zone_known(const char *zone);
/* Minutes east of UTC of a known zone at a UTC time (minutes since 1970). */
int zone_offset_min(const char *zone, long utc_min);
/* A time normalised by timestamp_norm to UTC "YYYY-MM-DDTHH:MM": by its
 * own offset, or else read as local time in zone. ERR_INPUT, saying why,
 * for a local time that happened twice or never, or before 2005. */
int timestamp_utc(const char *s, const char *zone, char out[17], struct err *e);
/* A UTC "YYYY-MM-DDTHH:MM" as "YYYY-MM-DD HH:MM UTC+5" in zone. */
void timestamp_local(const char *utc, const char *zone, char *out, size_t size);

/* ---- JSON ------------------------------------------------------------- */

/* The raw text of the values of a JSON object's members, in document order
 * (numbers keep every digit, where jansson would turn them into doubles).
 * The text must already have parsed as one object: jansson checks the
 * grammar, this only finds the spans, and jansson keeps members in document
 * order, so the i-th value here is the i-th member there. Fills at most max
 * values with copies the caller frees; returns the number of members, or -1
 * if the text is not an object or holds a NUL byte. */
int json_raw_values(const char *text, size_t len, char **values, int max);

/* A streaming reader of the records of a JSON document: the objects of
 * the top-level array, or of the array held by one of the named members of
 * the top-level object ({"count":2,"data":[{...},{...}]}). Records must be
 * flat; each member comes as text: strings decoded to UTF-8, numbers as
 * written, true/false as such, null as "" (kind JV_NULL). The whole grammar
 * is checked; refusals name the line and column. */
enum { JV_STRING, JV_NUMBER, JV_NULL, JV_TRUE, JV_FALSE };
struct jrec {
    const char *const *keys, *const *vals;
    const unsigned char *kinds;
    size_t n;
    long line;      /* where the record starts */
    uint64_t index; /* 1 for the first record */
};
typedef int (*jrec_fn)(const struct jrec *r, void *ctx, struct err *e);
/* A scalar outside the records, by its dotted path ("validation.status.name"). */
typedef int (*jmeta_fn)(const char *path, const char *val, int kind, void *ctx, struct err *e);
struct jrec_opts {
    const char *label;
    const char *const *arrays; /* the members that may hold the records (NULL-ended) */
    jmeta_fn meta;             /* NULL: scalars outside the records are ignored */
    size_t max_record_bytes;   /* default 1 MiB */
    long first_line;           /* the line number of the first byte (default 1) */
};
struct jrec_reader;
int jrec_begin(struct jrec_reader **r, const struct jrec_opts *o, jrec_fn fn, void *ctx,
               struct err *e);
int jrec_push(struct jrec_reader *r, const char *p, size_t n);
/* Checks that the document is complete and held records; frees r. */
int jrec_end(struct jrec_reader *r, int rc);

/* ---- embedded assets --------------------------------------------------- */

/* Files compiled into the binary (schema migrations, reference data, demo
 * data), addressed by their path in the source tree, e.g.
 * "data/ref/country-codes.csv". Returns NULL if there is no such asset. The
 * bytes are static and NUL-terminated; len excludes the NUL. */
const char *asset_get(const char *name, size_t *len);
/* Iterates assets: returns the name of the i-th asset, or NULL past the end. */
const char *asset_name(size_t i);

/* ---- languages (i18n.c) ------------------------------------------------ */

#define I18N_NLANGS 4 /* en, ru, kk, zh */

/* The index of a language tag ("ru", "ru-RU", "zh_CN"), or -1. */
int i18n_lang_index(const char *s);
/* The code of language index i ("en" for any other). */
const char *i18n_lang_code(int i);
/* Sets the language of this thread (unknown: English). */
void i18n_set(const char *lang);
/* The language of this thread ("en", "ru", "kk", "zh"). */
const char *i18n_lang(void);
/* The best language an Accept-Language header asks for, or NULL. */
const char *i18n_accept(const char *header);
/* 1 when the translations were found (T() then translates). The first
 * call binds them and sets LANGUAGE: make it before starting threads. */
int i18n_ready(void);
/* s in this thread's language (s itself when it has no translation). */
const char *T(const char *s) __attribute__((format_arg(1)));
/* A printf format in this thread's language: xgettext marks it c-format, so
 * msgfmt --check refuses a translation whose conversions differ, and the
 * compiler checks the English one against the arguments. */
#define TF(fmt) T(fmt)
/* s as the word it is in context (a commitment's "open", not a market's),
 * else as T(s) would give it. */
const char *T_in(const char *context, const char *s);
/* A number written the English way ("31,500.5") as this thread's language
 * writes it ("31 500,5" in Russian and Kazakh); into out. */
const char *i18n_number(const char *en, char *out, size_t size);
/* v with that many decimals, written this thread's way ("30,0" in Russian). */
const char *i18n_decimal(double v, int decimals, char *out, size_t size);
/* text with every number written the English way (1,670,440.5) written this
 * thread's way instead, dates, codes and addresses left alone; text itself
 * when the language writes numbers the English way. */
const char *i18n_numbers_in(const char *text, char *out, size_t size);
/* Marks a string in a table for translation (xgettext); T() translates it
 * where it is shown. */
#define N_(s) (s)
/* A printf format marked for the catalogue (checked as TF is) but not
 * translated here: pass it through TF() where it is used. */
#define NF_(fmt) (fmt)
/* A word marked for the catalogue with its context (msgctxt); T() gives
 * its translation, or the word alone. */
#define NC_(context, s) (context "\004" s)

#endif
