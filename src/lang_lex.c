/* lang_lex.c -- the .ph lexer: bytes -> tokens with positions.
 *
 * The lexer is a plain function over caller storage (struct lang_lexer): it
 * never allocates, and each call returns the next token, whose text stays in
 * the source (off, len). The parser pulls tokens one at a time, so an error
 * the lexer finds on line 10 cannot hide a syntax error on line 3: a lexical
 * error is returned as a LANG_TOK_ERR token and only becomes the reported
 * error when the parser reaches it.
 *
 * Everything is one pass over the bytes, so time is linear in the input:
 * strings and comments are scanned with memchr, never re-read.
 *
 * Decisions made here, not in the parser, because they depend on spacing:
 *  - A '-' directly before a digit (or '.digit') is part of a number when the
 *    byte before it is whitespace, '(', '[', ',' or the start of the text:
 *    `speed -0.66` passes -0.66, `a - 1` and `a-1` subtract.
 *  - ':' directly before a letter, after whitespace, '(', '[' or ',', starts a
 *    keyword argument (`lpf 800 :q 4`); any other ':' is the statement colon
 *    (`out:`, `~x:`, `out:s "bd"`).
 *  - '~' directly before a letter starts a bus (`~lfo`); otherwise '~' begins
 *    one of the operators ~> ~+ ~- ~* ~/. '@' and '%' directly before a letter
 *    start a reference (`@swing`, `%speed`); '%' otherwise begins %| |% |%|.
 *  - Operators take the longest match (`|+|` before `|+` before `|`).
 *  - `--` and `//` start comments; '#' never does (it is the chain operator).
 *  - A name that starts with a capital letter runs on through '.' and another
 *    name: Haskell's qualified names (`Data.Fixed.mod'`) are one token, which
 *    the compiler reads without its qualifier.
 *
 * Text outside strings must be UTF-8; a byte that is not (or a control byte)
 * is an error naming it. Inside strings bytes are kept as they are: the
 * mini-notation parser reports them with exact positions.
 */
#include "lang.h"

#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LANG_OP_TEXT(e, text, prec, desc, example) text,
#define LANG_OP_PREC(e, text, prec, desc, example) prec,
static const char *const op_text[LANG_OP_COUNT] = { "", LANG_OPS(LANG_OP_TEXT) };
static const int op_prec[LANG_OP_COUNT] = { 0, LANG_OPS(LANG_OP_PREC) };
#undef LANG_OP_TEXT
#undef LANG_OP_PREC

const char *lang_op_text(enum lang_op op)
{
    return op > LANG_OP_NONE && op < LANG_OP_COUNT ? op_text[op] : "";
}

int lang_op_prec(enum lang_op op)
{
    return op > LANG_OP_NONE && op < LANG_OP_COUNT ? op_prec[op] : 0;
}

const char *lang_tok_name(enum lang_tok k)
{
    switch (k) {
    case LANG_TOK_EOF:    return "the end of the input";
    case LANG_TOK_ERR:    return "an invalid token";
    case LANG_TOK_NUM:    return "a number";
    case LANG_TOK_STR:    return "a string";
    case LANG_TOK_NAME:   return "a name";
    case LANG_TOK_BUS:    return "a bus";
    case LANG_TOK_KW:     return "a keyword argument";
    case LANG_TOK_OP:     return "an operator";
    case LANG_TOK_LPAREN: return "'('";
    case LANG_TOK_RPAREN: return "')'";
    case LANG_TOK_LBRACK: return "'['";
    case LANG_TOK_RBRACK: return "']'";
    case LANG_TOK_COMMA:  return "','";
    case LANG_TOK_COLON:  return "':'";
    case LANG_TOK_REF:    return "a reference";
    case LANG_TOK_EQ:     return "'='";
    }
    return "?";
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_name_start(int c) { return is_alpha(c) || c == '_'; }
static int is_name_char(int c) { return is_alpha(c) || is_digit(c) || c == '_' || c == '\''; }
static int is_space(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* lang.h. Length of the valid UTF-8 sequence at s[0..n), or 0 if there is none
 * (overlong forms, surrogates and code points above U+10FFFF are invalid). */
size_t lang_utf8_len(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0], need, min, v;
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xc2 && c <= 0xdf)      { need = 1; min = 0x80;    v = c & 0x1f; }
    else if (c >= 0xe0 && c <= 0xef) { need = 2; min = 0x800;   v = c & 0x0f; }
    else if (c >= 0xf0 && c <= 0xf4) { need = 3; min = 0x10000; v = c & 0x07; }
    else return 0;
    if (n < need + 1)
        return 0;
    for (unsigned i = 1; i <= need; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return need + 1;
}

void lang_lex_init(struct lang_lexer *lx, const char *src, size_t len, const char *file)
{
    memset(lx, 0, sizeof *lx);
    lx->src = src;
    lx->len = len;
    lx->line = 1;
    lx->bol = 1;
    lx->err.file = file;
    if (len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0)
        lx->at = lx->begin = lx->line_start = 3;   /* a BOM is not text */
}

static struct lang_pos pos_at(const struct lang_lexer *lx, size_t off)
{
    size_t col = off - lx->line_start + 1;
    return (struct lang_pos){ lx->line, col > 0x7fffffff ? 0x7fffffff : (int)col };
}

/* Make t an ERR token at byte `off` with a message (and an optional hint). */
static void lex_error(struct lang_lexer *lx, struct lang_token *t, size_t off,
                      const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static void lex_error(struct lang_lexer *lx, struct lang_token *t, size_t off,
                      const char *hint, const char *fmt, ...)
{
    va_list ap;
    struct lang_pos p = pos_at(lx, off);
    lx->err.line = p.line;
    lx->err.col = p.col;
    va_start(ap, fmt);
    vsnprintf(lx->err.msg, sizeof lx->err.msg, fmt, ap);
    va_end(ap);
    snprintf(lx->err.hint, sizeof lx->err.hint, "%s", hint ? hint : "");
    t->kind = LANG_TOK_ERR;
    t->pos = p;
    t->off = off;
    t->len = 0;
    lx->failed = 1;             /* nothing after an error is lexed */
}

/* An error for the byte at `off`, which cannot start a token. */
static void bad_byte(struct lang_lexer *lx, struct lang_token *t, size_t off)
{
    const unsigned char *s = (const unsigned char *)lx->src + off;
    unsigned cp;
    size_t n = lang_utf8_len(s, lx->len - off, &cp);
    if (n == 0 || cp < 0x20 || cp == 0x7f)
        lex_error(lx, t, off, n == 0 ? "a .ph file is UTF-8 text" : NULL,
                  "invalid byte 0x%02x", s[0]);
    else if (n > 1)
        lex_error(lx, t, off,
                  cp == 0x201c || cp == 0x201d || cp == 0x2018 || cp == 0x2019
                      ? "strings are written with straight double quotes: \"bd sn\"" : NULL,
                  "unexpected character '%.*s' (U+%04X)", (int)n, (const char *)s, cp);
    else if (cp == '~')
        lex_error(lx, t, off, "a bus is written ~name, with no space",
                  "unexpected character '~'");
    else if (cp == '\'')
        lex_error(lx, t, off, "strings are written in double quotes: \"bd sn\"",
                  "unexpected character '''");
    else
        lex_error(lx, t, off, NULL, "unexpected character '%c'", (int)cp);
}

size_t lang_eol(const char *s, size_t at, size_t len)
{
    /* byte by byte: the cost is the line's, never the rest of the file's
     * (callers walk every line) */
    for (size_t i = at; i < len; i++)
        if (s[i] == '\n' || (s[i] == '\r' && (i + 1 >= len || s[i + 1] != '\n')))
            return i;                           /* LF, the LF of CRLF, or a CR alone */
    return len;
}

/* Skip whitespace and comments. Returns 0, or -1 with t an ERR token when a
 * comment holds a byte that is not UTF-8. */
static int skip_blank(struct lang_lexer *lx, struct lang_token *t)
{
    const char *s = lx->src;
    while (lx->at < lx->len) {
        char c = s[lx->at];
        if (c == '\n' || (c == '\r' && lang_eol(s, lx->at, lx->len) == lx->at)) {
            lx->at++;
            lx->line++;
            lx->line_start = lx->at;
            lx->bol = 1;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            lx->at++;
        } else if ((c == '-' || c == '/') && lx->at + 1 < lx->len && s[lx->at + 1] == c) {
            size_t end = lang_eol(s, lx->at, lx->len);
            while (lx->at < end) {          /* comments must be UTF-8 too */
                unsigned cp;
                size_t n = lang_utf8_len((const unsigned char *)s + lx->at, end - lx->at, &cp);
                if (n == 0 || (cp < 0x20 && cp != '\t' && cp != '\r') || cp == 0x7f) {
                    bad_byte(lx, t, lx->at);
                    return -1;
                }
                lx->at += n;
            }
        } else {
            break;
        }
    }
    return 0;
}

/* number -> '-'? (digits ('.' digits)? | '.' digits) (('e'|'E') ('+'|'-')? digits)? */
static void lex_number(struct lang_lexer *lx, struct lang_token *t)
{
    const char *s = lx->src;
    size_t i = lx->at, n = lx->len;
    if (s[i] == '-')
        i++;
    while (i < n && is_digit(s[i]))
        i++;
    if (i < n && s[i] == '.' && i + 1 < n && is_digit(s[i + 1])) {
        i++;
        while (i < n && is_digit(s[i]))
            i++;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j < n && is_digit(s[j])) {
            i = j;
            while (i < n && is_digit(s[i]))
                i++;
        }
    }
    /* A number runs into a letter or another '.': `4bd`, `1.`, `1.5.2`, `0x10`. */
    if (i < n && (is_name_char(s[i]) || s[i] == '.')) {
        size_t j = i;
        while (j < n && j - lx->at < 40 && (is_name_char(s[j]) || s[j] == '.'))
            j++;
        lex_error(lx, t, lx->at, NULL, "malformed number '%.*s'",
                  (int)(j - lx->at), s + lx->at);
        return;
    }
    char *end;
    errno = 0;
    double v = strtod(s + lx->at, &end);
    if (end != s + i) {                 /* our grammar and strtod's must agree */
        lex_error(lx, t, lx->at, NULL, "malformed number '%.*s'",
                  (int)(i - lx->at > 40 ? 40 : i - lx->at), s + lx->at);
        return;
    }
    if (errno == ERANGE && isinf(v)) {
        lex_error(lx, t, lx->at, NULL, "number out of range: '%.*s' does not fit a double",
                  (int)(i - lx->at > 40 ? 40 : i - lx->at), s + lx->at);
        return;
    }
    t->kind = LANG_TOK_NUM;
    t->num = v;
    t->len = i - lx->at;
}

/* string -> '"' byte* '"'   (on one line, no escapes) */
static void lex_string(struct lang_lexer *lx, struct lang_token *t)
{
    const char *s = lx->src + lx->at + 1;
    size_t rest = lx->len - lx->at - 1;
    const char *q = memchr(s, '"', rest);
    size_t upto = q ? (size_t)(q - s) : rest;
    int nl = lang_eol(s, 0, upto) < upto;
    if (!q || nl) {
        lex_error(lx, t, lx->at, "a string ends on the line where it starts",
                  "unterminated string: expected '\"' before the end of the %s",
                  nl ? "line" : "input");
        return;
    }
    t->kind = LANG_TOK_STR;
    t->len = (size_t)(q - s) + 2;
}

/* The operator at the current byte, longest match first; LANG_OP_NONE if none. */
static enum lang_op match_op(const struct lang_lexer *lx, size_t *len)
{
    enum lang_op best = LANG_OP_NONE;
    size_t best_len = 0, rest = lx->len - lx->at;
    for (int op = 1; op < LANG_OP_COUNT; op++) {
        size_t n = strlen(op_text[op]);
        if (n > best_len && n <= rest && memcmp(lx->src + lx->at, op_text[op], n) == 0) {
            best = (enum lang_op)op;
            best_len = n;
        }
    }
    *len = best_len;
    return best;
}

void lang_lex_next(struct lang_lexer *lx, struct lang_token *t)
{
    memset(t, 0, sizeof *t);
    if (lx->failed) {                   /* after an error: the error again */
        t->kind = LANG_TOK_ERR;
        t->pos = (struct lang_pos){ lx->err.line, lx->err.col };
        t->off = lx->at;
        return;
    }
    if (skip_blank(lx, t) < 0)
        return;
    const char *s = lx->src;
    size_t at = lx->at, n = lx->len;
    t->off = at;
    t->pos = pos_at(lx, at);
    t->bol = lx->bol;
    if (at >= n) {
        t->kind = LANG_TOK_EOF;
        return;
    }
    lx->bol = 0;
    unsigned char c = (unsigned char)s[at];
    unsigned char c1 = at + 1 < n ? (unsigned char)s[at + 1] : 0;
    unsigned char c2 = at + 2 < n ? (unsigned char)s[at + 2] : 0;
    /* Bytes that, written just before '-' or ':', make it a sign or a keyword. */
    int opens = at == lx->begin || is_space((unsigned char)s[at - 1]) || s[at - 1] == '('
             || s[at - 1] == '[' || s[at - 1] == ',';

    if (is_digit(c) || (c == '.' && is_digit(c1))
        || (c == '-' && opens && (is_digit(c1) || (c1 == '.' && is_digit(c2))))) {
        lex_number(lx, t);
    } else if (c == '"') {
        lex_string(lx, t);
    } else if (c == '\'' && c2 == '\'' && c1 > ' ' && c1 < 0x7f && c1 != '\'') {
        t->kind = LANG_TOK_STR;         /* Haskell's Char literal '4': a string of one */
        t->len = 3;
    } else if (is_name_start(c)) {
        size_t i = at + 1;
        while (i < n && is_name_char((unsigned char)s[i]))
            i++;
        /* Haskell's qualified names (Data.Fixed.mod'): one name, qualifier and all */
        while (c >= 'A' && c <= 'Z' && i + 1 < n && s[i] == '.' && is_name_start((unsigned char)s[i + 1]))
            for (i += 2; i < n && is_name_char((unsigned char)s[i]); i++)
                ;
        t->kind = LANG_TOK_NAME;
        t->len = i - at;
    } else if ((c == '~' || c == '@' || c == '%' || (c == ':' && opens)) && is_alpha(c1)) {
        size_t i = at + 2;
        while (i < n && is_name_char((unsigned char)s[i]))
            i++;
        /* the phonon family's MIDI input bus ~midi:c:pentatonic is one bus
         * token (the compiler says why it is out of scope) */
        if (c == '~' && i - at == 5 && memcmp(s + at, "~midi", 5) == 0 && i + 1 < n && s[i] == ':' &&
               is_alpha((unsigned char)s[i + 1])) {
            for (i += 2; i < n && (is_name_char((unsigned char)s[i]) || s[i] == ':'); i++)
                ;
        }
        t->kind = c == '~' ? LANG_TOK_BUS : c == ':' ? LANG_TOK_KW : LANG_TOK_REF;
        t->len = i - at;
    } else if (c == '=' && c1 != '=') {        /* fn's '=' ('==' is an operator) */
        t->kind = LANG_TOK_EQ;
        t->len = 1;
    } else if (c == ':' || c == '(' || c == ')' || c == '[' || c == ']' || c == ',') {
        t->kind = c == ':' ? LANG_TOK_COLON : c == '(' ? LANG_TOK_LPAREN
                : c == ')' ? LANG_TOK_RPAREN : c == '[' ? LANG_TOK_LBRACK
                : c == ']' ? LANG_TOK_RBRACK : LANG_TOK_COMMA;
        t->len = 1;
    } else {
        size_t len;
        enum lang_op op = match_op(lx, &len);
        if (op == LANG_OP_NONE) {
            bad_byte(lx, t, at);
            return;
        }
        t->kind = LANG_TOK_OP;
        t->op = op;
        t->len = len;
    }
    if (t->kind != LANG_TOK_ERR)
        lx->at = at + t->len;
}
