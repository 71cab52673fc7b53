/* lang_parse.c -- the .ph parser: tokens -> statements and expression trees.
 *
 * A recursive-descent parser over the token stream of lang_lex.c, with one
 * token of lookahead. It knows the shape of the language and nothing of its
 * meaning: function names, arities and pattern semantics belong to the
 * compiler, which gets every node with its position.
 *
 * Statements and lines. A statement starts on a new line with one of the
 * forms in parse_statement(); any other line continues the statement above.
 * So the parser never looks at newlines: every loop that could run on past
 * the statement asks at_end(), which is true at the end of the input and at a
 * token that begins its line and starts a statement (starts_statement()).
 * Inside open brackets `~name $` is not taken as a statement, so a stack may
 * hold `~drums $ fast 2,` on a line of its own; the colon forms still end the
 * statement there, and an unclosed bracket is reported at the end of its own
 * statement rather than at the end of the file.
 *
 * Expressions, loosest first (LANGUAGE.md section 2):
 *     expr   -> binary(1)
 *     binary -> unary { op binary }   precedence climbing over LANG_OPS:
 *                                     '#' 1, '$' 2 (right-assoc), '+'... 3, '*'... 4
 *     unary  -> '-' unary | app
 *     app    -> primary { primary | KW primary }
 *     primary-> NUM | STR | NAME | BUS | REF | call | paren | list
 *
 * Functions. The phonon family's ~name a b $ expr and fn name a b = expr
 * are no statements: where the name is written below with its arguments
 * (a call), the parser substitutes the expression with the arguments in
 * place of the parameters, as it does for @templates and %references. Its
 * `for` loops and sum() are text macros, expanded before lexing (lang_macro.c).
 *
 * Errors. Every parse function returns NULL after recording the first error
 * in p->err (the parser does not guess past it); nodes live in the AST's
 * arena, so abandoning a half-built tree leaks nothing: lang_ast_free() of
 * the unfinished AST releases it all. Every message says what was expected
 * and what was found, and points at the token found, or just past the last
 * token when what was found is the end of the line.
 *
 * Depth. Recursion (brackets, sections, unary minus, '$' chains) is counted
 * and so is the height of every node built, both bounded by LANG_MAX_DEPTH:
 * 10,000 '[' or 10,000 '+' give "nesting too deep", not a stack overflow
 * here or in whatever walks the tree later.
 */
#include "lang.h"
#include "arena.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- the AST and its arena ------------------------------------------------ */

struct lang_ast {
    struct arena arena;             /* every byte of the AST, this struct included */
    const char *file;               /* borrowed */
    char *src;                      /* copy of the source, NUL-terminated, its macros expanded */
    size_t len;
    const char *text;               /* the source as it was (src when it has no macro) */
    size_t text_len;
    struct lang_srcmap *map;        /* src's positions in text (NULL: the same) */
    struct lang_stmt *stmts;
    int nstmts, cap;
};

/* A node with what only the parser needs: its height, to bound nesting. */
struct pnode {
    struct lang_node n;             /* first: a lang_node * is a pnode * */
    int height;
    int cap;                        /* room in kids (a flat chain grows it) */
};

static struct lang_ast *ast_new(const char *file, size_t len)
{
    struct arena arena;
    if (arena_init(&arena, 4096 + len, 1, 0) < 0)     /* the source copy fits */
        return NULL;
    struct lang_ast *a = ARENA_NEW(&arena, struct lang_ast);
    if (!a) {
        arena_deinit(&arena);
        return NULL;
    }
    a->arena = arena;               /* from now on the arena lives in the AST */
    a->file = file;
    return a;
}

void lang_ast_free(struct lang_ast *a)
{
    if (a) {
        lang_srcmap_free(a->map);
        struct arena arena = a->arena;  /* a itself lives in the arena */
        arena_deinit(&arena);
    }
}

int lang_ast_count(const struct lang_ast *a) { return a ? a->nstmts : 0; }

const struct lang_stmt *lang_ast_stmt(const struct lang_ast *a, int i)
{
    return a && i >= 0 && i < a->nstmts ? &a->stmts[i] : NULL;
}

const char *lang_ast_file(const struct lang_ast *a) { return a ? a->file : NULL; }

const char *lang_ast_source(const struct lang_ast *a, size_t *len)
{
    if (len)
        *len = a ? a->len : 0;
    return a ? a->src : NULL;
}

const char *lang_ast_text(const struct lang_ast *a, size_t *len)
{
    if (len)
        *len = a ? a->text_len : 0;
    return a ? a->text : NULL;
}

struct lang_pos lang_ast_pos(const struct lang_ast *a, struct lang_pos at)
{
    return a ? lang_srcmap_pos(a->map, at, NULL) : at;
}

void lang_ast_locate(const struct lang_ast *a, struct lang_error *e)
{
    if (a && a->map)
        lang_srcmap_locate(a->map, e);
}

struct lang_pos lang_str_pos(const struct lang_node *str, size_t offset)
{
    struct lang_pos p = str->pos;
    if (p.col > 0) {
        size_t col = (size_t)p.col + 1 + offset;
        p.col = col > INT32_MAX ? INT32_MAX : (int)col;
    }
    return p;
}

/* ---- the parser state ----------------------------------------------------- */

struct parser {
    struct lang_lexer lx;
    struct lang_ast *ast;
    struct lang_error *err;
    int expr_mode;                  /* lang_parse_expr(): no statements, no lines */
    int failed;
    struct lang_token tok;          /* the current token */
    struct lang_token ahead;        /* the one after it, when has_ahead */
    int has_ahead;
    struct lang_token prev;         /* the last token consumed (kind EOF: none) */
    struct lang_token first;        /* the current statement's first token */
    int depth;                      /* nesting of the recursion, see enter() */
    int open;                       /* brackets open in the current statement */
    int hash_line;                  /* line of a continuation line starting with '#' */
    struct lang_node **stack;       /* kids of the lists and applications being built */
    size_t nstack, capstack;
    struct def {                    /* @name: and %name: so far (the token's text, sigil included) */
        const char *text;
        size_t len;
        struct lang_node *expr;
    } defs[64];
    int ndefs;
    struct macro {                  /* ~name a b $ expr and fn name a b = expr */
        const char *text;           /* the name as written (~name, or name) */
        size_t len;
        struct lang_token params[LANG_MAX_PARAMS];
        int nparams;
        struct lang_node *body;
    } macros[32];
    int nmacros;
    const struct macro *defining;   /* the function whose body is being parsed */
    long expanded;                  /* nodes the calls visited and kids they copied (substitute), at
                                       most LANG_MAX_EXPANDED */
};

static const char comment_hint[] = "comments start with '--'";

static int macro_params_ahead(struct parser *p);

static void next(struct parser *p)
{
    p->prev = p->tok;
    if (p->has_ahead) {
        p->tok = p->ahead;
        p->has_ahead = 0;
    } else {
        lang_lex_next(&p->lx, &p->tok);
    }
}

static const struct lang_token *peek(struct parser *p)
{
    if (!p->has_ahead) {
        lang_lex_next(&p->lx, &p->ahead);
        p->has_ahead = 1;
    }
    return &p->ahead;
}

static const char *tok_text(const struct parser *p, const struct lang_token *t)
{
    return p->ast->src + t->off;
}

static int tok_is(const struct parser *p, const struct lang_token *t, const char *word)
{
    size_t n = strlen(word);
    return t->kind == LANG_TOK_NAME && t->len == n && memcmp(tok_text(p, t), word, n) == 0;
}

/* N when the token is the name `prefix` followed by 1 to 6 digits, else -1. */
static int tok_numbered(const struct parser *p, const struct lang_token *t, const char *prefix)
{
    size_t n = strlen(prefix);
    const char *s = tok_text(p, t);
    if (t->kind != LANG_TOK_NAME || t->len <= n || t->len > n + 6 || memcmp(s, prefix, n) != 0)
        return -1;
    int v = 0;
    for (size_t i = n; i < t->len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* 0 for `out`, N for oN, dN and outN (any N), -1 for any other token. */
static int out_index(const struct parser *p, const struct lang_token *t)
{
    if (tok_is(p, t, "out"))
        return 0;
    int n = tok_numbered(p, t, "o");
    if (n < 0)
        n = tok_numbered(p, t, "d");
    return n >= 0 ? n : tok_numbered(p, t, "out");
}

static int session_row(const struct parser *p, const struct lang_token *t);

static int is_apply(const struct lang_token *t)
{
    return t->kind == LANG_TOK_OP && t->op == LANG_OP_APPLY;
}

static int is_chain(const struct lang_token *t)
{
    return t->kind == LANG_TOK_OP && t->op == LANG_OP_CHAIN;
}

/* Does the current token, first on its line, start a statement?
 *   NAME ':'  (tempo: cps: bpm: out: o1: d1:, or an unknown `foo:` reported later)
 *   out/oN/dN/outN '$' or '#'     BUS ':'     BUS '$' or '#' (not inside brackets)
 *   once '$'     REF ':'     hush  hushN  panic     the session words (setcps, solo ...) */
static int starts_statement(struct parser *p)
{
    const struct lang_token *t = &p->tok;
    if (t->kind == LANG_TOK_NAME) {
        if (tok_is(p, t, "hush") || tok_is(p, t, "panic") || tok_numbered(p, t, "hush") >= 0
            || session_row(p, t) >= 0)
            return 1;
        const struct lang_token *n = peek(p);
        if (tok_is(p, t, "fn") && n->kind == LANG_TOK_NAME && !n->bol)
            return 1;                                       /* fn name a b = expr */
        return n->kind == LANG_TOK_COLON || (is_apply(n) && (out_index(p, t) >= 0 || tok_is(p, t, "once")))
            || (is_chain(n) && out_index(p, t) >= 0);      /* out # expr, d1 # expr */
    }
    if (t->kind == LANG_TOK_BUS) {
        const struct lang_token *n = peek(p);
        return n->kind == LANG_TOK_COLON || ((is_apply(n) || is_chain(n)) && p->open == 0)
            || (p->open == 0 && macro_params_ahead(p) > 0);   /* ~name a b $ expr */
    }
    if (t->kind == LANG_TOK_REF)
        return peek(p)->kind == LANG_TOK_COLON;
    return 0;
}

/* ~name a b $ (or ':' or '#'): the number of parameter names between the
 * bus (the current token) and the '$' on its line; 0 when the line is not
 * that. Lexes ahead on a copy of the lexer. */
static int macro_params_ahead(struct parser *p)
{
    const struct lang_token *n = peek(p);
    if (n->kind != LANG_TOK_NAME || n->bol)
        return 0;
    struct lang_lexer lx = p->lx;       /* positioned after the peeked token */
    struct lang_token t;
    for (int k = 1;; k++) {
        lang_lex_next(&lx, &t);
        if (t.bol || t.kind != LANG_TOK_NAME || k == LANG_MAX_PARAMS)
            return !t.bol && (t.kind == LANG_TOK_COLON || is_apply(&t) || is_chain(&t)) ? k : 0;
    }
}

/* The current statement ends before the current token. */
static int at_end(struct parser *p)
{
    if (p->tok.kind == LANG_TOK_EOF)
        return 1;
    return !p->expr_mode && p->tok.bol && starts_statement(p);
}

/* ---- errors --------------------------------------------------------------- */

/* Error paths hold the message buffers; keeping them out of line keeps the
 * frames of the recursive functions small (LANG_MAX_DEPTH levels deep). */
#define COLD __attribute__((cold, noinline))

static void fail(struct parser *p, struct lang_pos at, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5))) COLD;

static void fail(struct parser *p, struct lang_pos at, const char *hint, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    struct lang_error *e = p->err;
    va_list ap;
    e->line = at.line;
    e->col = at.col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    if (p->hash_line && at.line == p->hash_line)
        hint = comment_hint;        /* `# the bass line, isn't it`: the likeliest fix */
    snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
}

COLD static void fail_oom(struct parser *p)
{
    fail(p, p->tok.pos, NULL, "out of memory");
}

/* Where "the end of the line" is: just past the last token consumed. */
static struct lang_pos end_pos(const struct parser *p)
{
    if (p->prev.kind == LANG_TOK_EOF)
        return p->tok.pos;
    return (struct lang_pos){ p->prev.pos.line, p->prev.pos.col + (int)p->prev.len };
}

/* Up to `max` bytes of s as printable text: control bytes and bytes that are
 * not UTF-8 become '?', and a cut is marked with "...". */
static void snippet(char *out, size_t cap, const char *s, size_t len, size_t max)
{
    size_t o = 0, i = 0;
    while (i < len && i < max && o + 8 < cap) {
        unsigned cp;
        size_t n = lang_utf8_len((const unsigned char *)s + i, len - i, &cp);
        if (n == 0 || cp < 0x20 || cp == 0x7f) {
            out[o++] = '?';
            i++;
        } else {
            memcpy(out + o, s + i, n);
            o += n;
            i += n;
        }
    }
    if (i < len)
        o += (size_t)snprintf(out + o, cap - o, "...");
    out[o] = '\0';
}

/* "')'", "'fast'", "the string \"bd sn\"", "the end of the line" ... */
static const char *describe(struct parser *p, char *buf, size_t cap)
{
    const struct lang_token *t = &p->tok;
    char text[96];
    if (t->kind == LANG_TOK_EOF)
        return p->expr_mode ? "the end of the expression" : "the end of the file";
    if (at_end(p))
        return "the end of the line";
    if (t->kind == LANG_TOK_STR) {
        snippet(text, sizeof text, tok_text(p, t) + 1, t->len - 2, 24);
        snprintf(buf, cap, "the string \"%s\"", text);
    } else {
        snippet(text, sizeof text, tok_text(p, t), t->len, 32);
        snprintf(buf, cap, "'%s'", text);
    }
    return buf;
}

/* Report the lexer's error, which the parser has just reached. */
COLD static void fail_lex(struct parser *p)
{
    const struct lang_error *le = &p->lx.err;
    fail(p, (struct lang_pos){ le->line, le->col }, le->hint[0] ? le->hint : NULL, "%s", le->msg);
}

/* "expected <what> but found <the current token>", at that token (or just
 * past the last one, when the line ends there). */
COLD static void fail_found(struct parser *p, const char *hint, const char *what)
{
    char buf[160];
    if (p->tok.kind == LANG_TOK_ERR) {
        fail_lex(p);
        return;
    }
    if (p->tok.kind == LANG_TOK_OP && peek(p)->kind == LANG_TOK_RPAREN) {
        /* `a + )`: binary() stopped at the operator in case it was `(a +)` */
        fail(p, p->ahead.pos, hint, "expected an expression after '%s' but found ')'",
             lang_op_text(p->tok.op));
        return;
    }
    struct lang_pos at = at_end(p) ? end_pos(p) : p->tok.pos;
    fail(p, at, hint, "expected %s but found %s", what, describe(p, buf, sizeof buf));
}

/* An expression was complete but a token is left over. */
COLD static void fail_leftover(struct parser *p, const char *what)
{
    char buf[64];
    const char *hint = NULL;
    switch (p->tok.kind) {
    case LANG_TOK_RPAREN: hint = "there is no '(' open for this ')'"; break;
    case LANG_TOK_RBRACK: hint = "there is no '[' open for this ']'"; break;
    case LANG_TOK_COMMA:  hint = "',' separates the elements of a list [a, b] or a tuple (a, b)"; break;
    case LANG_TOK_COLON:  hint = "each statement (out:, ~name:) starts on a line of its own"; break;
    default: break;
    }
    snprintf(buf, sizeof buf, "an operator or the end of the %s", what);
    fail_found(p, hint, buf);
}

COLD static void fail_too_deep(struct parser *p, struct lang_pos at)
{
    fail(p, at, "split the expression into buses (~name: ...)",
         "nesting too deep: more than %d levels of brackets, parentheses or operators",
         LANG_MAX_DEPTH);
}

/* Count one level of nesting; 0 (with the error) when it is one too many. */
static int enter(struct parser *p, struct lang_pos at)
{
    if (++p->depth <= LANG_MAX_DEPTH)
        return 1;
    fail_too_deep(p, at);
    return 0;
}

/* ---- building nodes ------------------------------------------------------- */

static char *copy_text(struct parser *p, const char *s, size_t len)
{
    char *t = arena_strndup(&p->ast->arena, s, len);
    if (!t)
        fail_oom(p);
    return t;
}

static struct lang_node *node_new(struct parser *p, enum lang_kind kind, struct lang_pos pos,
                                  int nkids)
{
    struct pnode *pn = arena_alloc(&p->ast->arena,
                                   sizeof *pn + (size_t)nkids * sizeof(struct lang_node *),
                                   _Alignof(struct pnode));
    if (!pn) {
        fail_oom(p);
        return NULL;
    }
    memset(pn, 0, sizeof *pn);
    pn->n.kind = kind;
    pn->n.pos = pos;
    pn->n.nkids = nkids;
    pn->n.kids = nkids ? (struct lang_node **)(pn + 1) : NULL;
    pn->height = 1;
    pn->cap = nkids;
    return &pn->n;
}

/* Set a node's height from its kids; NULL when that is too deep. */
static struct lang_node *node_done(struct parser *p, struct lang_node *n)
{
    struct pnode *pn = (struct pnode *)n;
    for (int i = 0; i < n->nkids; i++) {
        int h = ((const struct pnode *)n->kids[i])->height + 1;
        if (h > pn->height)
            pn->height = h;
    }
    if (pn->height <= LANG_MAX_DEPTH)
        return n;
    fail_too_deep(p, n->pos);
    return NULL;
}

static struct lang_node *node_op(struct parser *p, enum lang_kind kind, const struct lang_token *op,
                                 struct lang_node *a, struct lang_node *b)
{
    struct lang_node *n = node_new(p, kind, op->pos, b ? 2 : 1);
    if (!n)
        return NULL;
    n->op = op->op;
    n->kids[0] = a;
    if (b)
        n->kids[1] = b;
    return node_done(p, n);
}

/* Operators whose chains are flat: `a + b + c` is one LANG_BINOP with the
 * terms as kids, left to right (the value is the left fold), so a sum of
 * thousands of terms is as shallow as a sum of two. The chain, '$', the
 * shifts and sections stay binary. */
static int flat_op(enum lang_op op)
{
    switch (op) {
    case LANG_OP_CHAIN: case LANG_OP_APPLY: case LANG_OP_EARLY: case LANG_OP_LATE:
        return 0;
    default:
        return 1;
    }
}

/* Add kid b to the flat chain n, growing its kids array (amortised: the
 * arena keeps the smaller arrays); NULL when out of memory. */
static struct lang_node *node_append(struct parser *p, struct lang_node *n, struct lang_node *b)
{
    struct pnode *pn = (struct pnode *)n;
    if (n->nkids == pn->cap) {
        int cap = pn->cap * 2;
        struct lang_node **kids = arena_alloc(&p->ast->arena, sizeof *kids * (size_t)cap, _Alignof(struct lang_node *));
        if (!kids) {
            fail_oom(p);
            return NULL;
        }
        memcpy(kids, n->kids, sizeof *kids * (size_t)n->nkids);
        n->kids = kids;
        pn->cap = cap;
    }
    n->kids[n->nkids++] = b;
    return node_done(p, n);
}

/* A leaf for the current token (NUM, STR, NAME, BUS), which it consumes. */
static struct lang_node *node_leaf(struct parser *p, enum lang_kind kind)
{
    const struct lang_token *t = &p->tok;
    size_t skip = kind == LANG_STR || kind == LANG_BUS;     /* '"' or '~' */
    size_t len = t->len - skip - (kind == LANG_STR);        /* and the closing '"' */
    struct lang_node *n = node_new(p, kind, t->pos, 0);
    if (!n || !(n->text = copy_text(p, tok_text(p, t) + skip, len)))
        return NULL;
    n->len = len;
    n->num = t->num;
    next(p);
    return n;
}

static int push(struct parser *p, struct lang_node *n)
{
    if (p->nstack == p->capstack) {
        size_t cap = p->capstack ? p->capstack * 2 : 64;
        struct lang_node **s = realloc(p->stack, cap * sizeof *s);
        if (!s) {
            fail_oom(p);
            return 0;
        }
        p->stack = s;
        p->capstack = cap;
    }
    p->stack[p->nstack++] = n;
    return 1;
}

/* A node whose kids are the stack's entries from `base` up, which it pops. */
static struct lang_node *node_from_stack(struct parser *p, enum lang_kind kind,
                                         struct lang_pos pos, size_t base)
{
    size_t n = p->nstack - base;   /* < INT32_MAX: each takes a byte of input or more */
    struct lang_node *node = node_new(p, kind, pos, (int)n);
    if (!node)
        return NULL;
    if (n)
        memcpy(node->kids, p->stack + base, n * sizeof *node->kids);
    p->nstack = base;
    return node_done(p, node);
}

/* ---- expressions ---------------------------------------------------------- */

static struct lang_node *parse_expr(struct parser *p);
static struct lang_node *parse_primary(struct parser *p);

static int starts_primary(struct parser *p)
{
    switch (p->tok.kind) {
    case LANG_TOK_NUM: case LANG_TOK_STR: case LANG_TOK_NAME: case LANG_TOK_BUS:
    case LANG_TOK_LPAREN: case LANG_TOK_LBRACK: case LANG_TOK_REF:
        return !at_end(p);
    default:
        return 0;
    }
}

/* Report `f(a, b)`: the tuple node `args` was written right after the name
 * `fn`, from `open` to the ')' just consumed. The message shows the call
 * written with spaces, "euclid 3 8", when it is short and on one line. */
COLD static void fail_call_syntax(struct parser *p, const struct lang_token *fn,
                             const struct lang_token *open, const struct lang_node *args)
{
    const char *src = p->ast->src;
    size_t tlen = p->prev.off + 1 - open->off;      /* "(3, 8)" */
    int ok = fn->len <= 40 && tlen <= 40 && !memchr(src + open->off, '\n', tlen);
    char call[256], hint[192];      /* 40 + 40 + 3 per argument at most: fits */
    int o = snprintf(call, sizeof call, "%.*s", ok ? (int)fn->len : 0, src + fn->off);
    /* Lex the tuple again to find each argument between top-level commas;
     * an argument that is not a single primary gets parentheses. */
    struct lang_lexer lx;
    struct lang_token t;
    size_t start = 0, end = 0;      /* 0: no token yet (offset 0 is never inside) */
    int depth = 0, k = 0;
    lang_lex_init(&lx, src, p->ast->len, NULL);
    lx.at = open->off + 1;
    while (ok && k < args->nkids) {
        lang_lex_next(&lx, &t);
        int closes = t.kind == LANG_TOK_RPAREN || t.kind == LANG_TOK_RBRACK;
        if (t.kind == LANG_TOK_EOF || t.kind == LANG_TOK_ERR)
            break;                  /* cannot happen: the tuple parsed */
        if (depth == 0 && (t.kind == LANG_TOK_COMMA || closes)) {
            const struct lang_node *a = args->kids[k++];
            int wrap = !(a->flags & LANG_F_PAREN)
                       && (a->kind == LANG_APP || a->kind == LANG_BINOP || a->kind == LANG_NEG);
            o += snprintf(call + o, sizeof call - (size_t)o, wrap ? " (%.*s)" : " %.*s",
                          (int)(end - start), src + start);
            ok = o < (int)sizeof call;
            start = 0;
            continue;
        }
        if (start == 0)
            start = t.off;
        end = t.off + t.len;
        depth += (t.kind == LANG_TOK_LPAREN || t.kind == LANG_TOK_LBRACK) - closes;
    }
    if (ok && k == args->nkids) {
        snprintf(hint, sizeof hint, "to pass the tuple %.*s, put a space before '(': %.*s %.*s",
                 (int)tlen, src + open->off, (int)fn->len, src + fn->off,
                 (int)tlen, src + open->off);
        fail(p, fn->pos, hint, "arguments are separated by spaces: %s", call);
    } else {
        fail(p, fn->pos, "to pass a tuple, put a space before '(': f (a, b)",
             "arguments are separated by spaces: f a b, not f(a, b)");
    }
}

COLD static void fail_close(struct parser *p, enum lang_tok want, const struct lang_token *open)
{
    char what[64];
    struct lang_pos at = lang_ast_pos(p->ast, open->pos);
    snprintf(what, sizeof what, "'%c' to close '%c' opened at %d:%d",
             want == LANG_TOK_RPAREN ? ')' : ']', want == LANG_TOK_RPAREN ? '(' : '[', at.line, at.col);
    fail_found(p, NULL, what);
}

/* Consume the closing bracket `want` of `open`, or report what is there. */
static int expect_close(struct parser *p, enum lang_tok want, const struct lang_token *open)
{
    if (p->tok.kind == want && !at_end(p)) {
        next(p);
        return 1;
    }
    fail_close(p, want, open);
    return 0;
}

/* `()`, or `f()` when call is set. */
COLD static void fail_empty_parens(struct parser *p, const struct lang_token *fn, int call)
{
    char hint[96];
    int n = (int)(fn->len > 40 ? 40 : fn->len);
    snprintf(hint, sizeof hint, "to use '%.*s' without arguments, write %.*s",
             n, tok_text(p, fn), n, tok_text(p, fn));
    fail(p, p->tok.pos, call ? hint : NULL, "expected an expression inside '( )' but found ')'");
}

/* paren -> '(' op expr ')'                  section, operand on the right: (# speed 2)
 *        | '(' expr op ')'                  section, operand on the left: (0.25 <~)
 *        | '(' op ')'                       the operator as a function: spread ($) [...]
 *        | '(' expr ')'
 *        | '(' expr ',' expr {',' expr} ')'   tuple: (0.25, 0.75) */
static struct lang_node *parse_paren(struct parser *p)
{
    const struct lang_token open = p->tok;
    const struct lang_token fn = p->prev;   /* `f(`: the name just before, no space */
    int call = fn.kind == LANG_TOK_NAME && fn.off + fn.len == open.off;
    struct lang_node *n = NULL, *x;
    if (!enter(p, open.pos))
        return NULL;
    p->open++;
    next(p);
    if (p->tok.kind == LANG_TOK_OP) {
        struct lang_token op = p->tok;
        next(p);
        if (p->tok.kind == LANG_TOK_RPAREN) {
            next(p);
            if ((n = node_new(p, LANG_SECTION, op.pos, 0))) {
                n->op = op.op;
                n->flags |= LANG_F_SECTION_R | LANG_F_PAREN;
                n = node_done(p, n);
            }
        } else if ((x = parse_expr(p)) && expect_close(p, LANG_TOK_RPAREN, &open)
            && (n = node_op(p, LANG_SECTION, &op, x, NULL)))
            n->flags |= LANG_F_SECTION_R | LANG_F_PAREN;
    } else if (p->tok.kind == LANG_TOK_RPAREN) {
        fail_empty_parens(p, &fn, call);
    } else if ((x = parse_expr(p))) {
        if (p->tok.kind == LANG_TOK_OP && peek(p)->kind == LANG_TOK_RPAREN) {
            struct lang_token op = p->tok;
            next(p);
            next(p);
            if ((n = node_op(p, LANG_SECTION, &op, x, NULL)))
                n->flags |= LANG_F_SECTION_L | LANG_F_PAREN;
        } else if (p->tok.kind == LANG_TOK_COMMA) {
            size_t base = p->nstack;
            int ok = push(p, x);
            while (ok && p->tok.kind == LANG_TOK_COMMA && !at_end(p)) {
                next(p);
                ok = (x = parse_expr(p)) && push(p, x);
            }
            if (ok && expect_close(p, LANG_TOK_RPAREN, &open)
                && (n = node_from_stack(p, LANG_TUPLE, open.pos, base)) && call) {
                fail_call_syntax(p, &fn, &open, n);
                n = NULL;
            }
        } else if (expect_close(p, LANG_TOK_RPAREN, &open)) {
            n = x;
            n->flags |= LANG_F_PAREN;
        }
    }
    p->open--;
    p->depth--;
    return n;
}

/* list -> '[' [expr {',' expr} [',']] ']'     (may span lines) */
static struct lang_node *parse_list(struct parser *p)
{
    const struct lang_token open = p->tok;
    struct lang_node *n = NULL, *x;
    size_t base = p->nstack;
    if (!enter(p, open.pos))
        return NULL;
    p->open++;
    next(p);
    int ok = 1;
    while (p->tok.kind != LANG_TOK_RBRACK && !at_end(p)) {
        if (!(ok = (x = parse_expr(p)) && push(p, x)))
            break;
        if (p->tok.kind != LANG_TOK_COMMA || at_end(p))
            break;
        next(p);
    }
    if (ok && expect_close(p, LANG_TOK_RBRACK, &open))
        n = node_from_stack(p, LANG_LIST, open.pos, base);
    p->open--;
    p->depth--;
    return n;
}

COLD static void fail_kwarg_value(struct parser *p, const struct lang_token *kw)
{
    char what[96];
    snprintf(what, sizeof what, "a value after '%.*s'",
             (int)(kw->len > 40 ? 40 : kw->len), tok_text(p, kw));
    fail_found(p, NULL, what);
}

/* kwarg -> KW primary      (:q 4, :room_size (~lfo * 0.5)) */
static struct lang_node *parse_kwarg(struct parser *p)
{
    const struct lang_token kw = p->tok;
    struct lang_node *n, *v;
    next(p);
    if (!starts_primary(p)) {
        fail_kwarg_value(p, &kw);
        return NULL;
    }
    if (!(v = parse_primary(p)) || !(n = node_new(p, LANG_KWARG, kw.pos, 1))
        || !(n->text = copy_text(p, tok_text(p, &kw) + 1, kw.len - 1)))
        return NULL;
    n->len = kw.len - 1;
    n->kids[0] = v;
    return node_done(p, n);
}

/* The current token cannot start an expression: say what came before. */
COLD static void fail_no_expr(struct parser *p)
{
    char what[96];
    const struct lang_token *t = &p->prev;
    if (p->tok.kind == LANG_TOK_KW && !at_end(p)) {
        fail(p, p->tok.pos, "write it after a function and its arguments: lpf 800 :q 4",
             "expected an expression but found the keyword argument '%.*s'",
             (int)(p->tok.len > 40 ? 40 : p->tok.len), tok_text(p, &p->tok));
        return;
    }
    if (t->kind == LANG_TOK_COLON)                  /* out: ~x: tempo: */
        snprintf(what, sizeof what, "an expression after '%.*s:'",
                 (int)(p->first.len > 40 ? 40 : p->first.len), tok_text(p, &p->first));
    else if (t->kind == LANG_TOK_OP)
        snprintf(what, sizeof what, "an expression after '%s'", lang_op_text(t->op));
    else if (t->kind == LANG_TOK_EOF)
        snprintf(what, sizeof what, "an expression");
    else
        snprintf(what, sizeof what, "an expression after '%.*s'",
                 (int)(t->len > 40 ? 40 : t->len), tok_text(p, t));
    fail_found(p, NULL, what);
}

/* The definition above of the current token (@name, %name, a modifier
 * bus ~name), the latest; NULL when there is none. */
static const struct def *find_def(const struct parser *p)
{
    const struct lang_token *t = &p->tok;
    for (int i = p->ndefs - 1; i >= 0; i--)
        if (p->defs[i].len == t->len && memcmp(p->defs[i].text, tok_text(p, t), t->len) == 0)
            return &p->defs[i];
    return NULL;
}

/* ref -> '@'name | '%'name | BUS (a modifier bus): the expression of its
 * definition above (the same node: the tree shares it). */
static struct lang_node *parse_ref(struct parser *p)
{
    const struct lang_token t = p->tok;
    const struct def *d = find_def(p);
    if (d) {
        next(p);
        return d->expr;
    }
    fail(p, t.pos, tok_text(p, &t)[0] == '@' ? "define it above: @name: expr" : "define it above: %name: expr",
         "unknown %s '%.*s'", tok_text(p, &t)[0] == '@' ? "template" : "pattern reference",
         (int)(t.len > 40 ? 40 : t.len), tok_text(p, &t));
    return NULL;
}

/* The function (~name a b $ ..., fn name a b = ...) the current token
 * calls, the latest defined above; NULL when there is none, or when the
 * token is a parameter of the function being defined. */
static const struct macro *find_macro(const struct parser *p)
{
    const struct lang_token *t = &p->tok;
    const struct macro *d = p->defining;
    for (int i = 0; d && i < d->nparams; i++)
        if (d->params[i].len == t->len && memcmp(tok_text(p, &d->params[i]), tok_text(p, t), t->len) == 0)
            return NULL;
    for (int i = p->nmacros - 1; i >= 0; i--)
        if (p->macros[i].len == t->len && memcmp(p->macros[i].text, tok_text(p, t), t->len) == 0)
            return &p->macros[i];
    return NULL;
}

/* A copy of the function body x with each parameter (a NAME) replaced by
 * its argument; the arguments are shared, not copied. */
static struct lang_node *substitute(struct parser *p, const struct macro *m, struct lang_node *x,
                                    struct lang_node **args)
{
    p->expanded += 1 + x->nkids;           /* what it costs: a visit, and the kids' copies */
    if (p->expanded > LANG_MAX_EXPANDED) {
        fail(p, p->prev.pos, "a function whose body calls another function more than once doubles the copies "
             "at each level", "the function calls copy more than %d nodes of expressions", LANG_MAX_EXPANDED);
        return NULL;
    }
    if (x->kind == LANG_NAME)
        for (int i = 0; i < m->nparams; i++)
            if (m->params[i].len == x->len && memcmp(tok_text(p, &m->params[i]), x->text, x->len) == 0)
                return args[i];
    if (x->nkids == 0)
        return x;
    struct lang_node *n = node_new(p, x->kind, x->pos, x->nkids);
    if (!n)
        return NULL;
    n->op = x->op;
    n->flags = x->flags;
    n->text = x->text;
    n->len = x->len;
    n->num = x->num;
    for (int i = 0; i < x->nkids; i++)
        if (!(n->kids[i] = substitute(p, m, x->kids[i], args)))
            return NULL;
    return node_done(p, n);
}

/* call -> function primary{its number of parameters}: the function's
 * expression with the arguments in place of the parameters, as if written
 * there in parentheses (~mix (sine 440) (sine 880) is (sine 440 + sine 880)). */
static struct lang_node *parse_call(struct parser *p, const struct macro *m)
{
    const struct lang_token name = p->tok;
    struct lang_node *args[LANG_MAX_PARAMS];
    next(p);
    for (int i = 0; i < m->nparams; i++) {
        if (!starts_primary(p)) {
            char hint[128];
            snprintf(hint, sizeof hint, "it was defined with the parameter%s", m->nparams == 1 ? "" : "s");
            for (int k = 0; k < m->nparams; k++)
                snprintf(hint + strlen(hint), sizeof hint - strlen(hint), " %.*s",
                         (int)(m->params[k].len > 20 ? 20 : m->params[k].len), tok_text(p, &m->params[k]));
            fail(p, at_end(p) ? end_pos(p) : p->tok.pos, hint, "%.*s takes %d argument%s, got %d",
                 (int)(name.len > 40 ? 40 : name.len), tok_text(p, &name), m->nparams,
                 m->nparams == 1 ? "" : "s", i);
            return NULL;
        }
        if (!(args[i] = parse_primary(p)))
            return NULL;
    }
    if (!enter(p, name.pos))
        return NULL;
    struct lang_node *n = substitute(p, m, m->body, args);
    p->depth--;
    if (n)
        n->flags |= LANG_F_PAREN;
    return n;
}

/* primary -> NUM | STR | NAME | BUS | REF | call | paren | list */
static struct lang_node *parse_primary(struct parser *p)
{
    if (!at_end(p)) {
        const struct macro *m;
        switch (p->tok.kind) {
        case LANG_TOK_NUM:    return node_leaf(p, LANG_NUM);
        case LANG_TOK_STR:    return node_leaf(p, LANG_STR);
        case LANG_TOK_NAME:   return (m = find_macro(p)) ? parse_call(p, m) : node_leaf(p, LANG_NAME);
        case LANG_TOK_BUS:
            if ((m = find_macro(p)))
                return parse_call(p, m);
            return find_def(p) ? parse_ref(p) : node_leaf(p, LANG_BUS);
        case LANG_TOK_LPAREN: return parse_paren(p);
        case LANG_TOK_LBRACK: return parse_list(p);
        case LANG_TOK_REF:    return parse_ref(p);
        default: break;
        }
    }
    fail_no_expr(p);
    return NULL;
}

/* app -> primary { primary | KW primary }      (fast 2 "bd sn", lpf 800 :q 4) */
static struct lang_node *parse_app(struct parser *p)
{
    struct lang_pos start = p->tok.pos;
    struct lang_node *f = parse_primary(p), *a;
    if (!f || !(starts_primary(p) || (p->tok.kind == LANG_TOK_KW && !at_end(p))))
        return f;
    size_t base = p->nstack;
    if (!push(p, f))
        return NULL;
    for (;;) {
        if (p->tok.kind == LANG_TOK_KW && !at_end(p))
            a = parse_kwarg(p);
        else if (starts_primary(p))
            a = parse_primary(p);
        else
            break;
        if (!a || !push(p, a))
            return NULL;
    }
    return node_from_stack(p, LANG_APP, start, base);
}

/* unary -> '-' unary | app */
static struct lang_node *parse_unary(struct parser *p)
{
    if (p->tok.kind != LANG_TOK_OP || p->tok.op != LANG_OP_SUB)
        return parse_app(p);
    struct lang_token minus = p->tok;
    if (!enter(p, minus.pos))
        return NULL;
    next(p);
    struct lang_node *x = parse_unary(p);
    p->depth--;
    return x ? node_op(p, LANG_NEG, &minus, x, NULL) : NULL;
}

/* A '#' chain written without parentheses: only a reference (~fx, @fx)
 * brings one to the right of '#', as '#' is left-associative. */
static int is_chain_node(const struct lang_node *n)
{
    return n->kind == LANG_BINOP && n->op == LANG_OP_CHAIN && !(n->flags & LANG_F_PAREN);
}

/* x # (a # b) from a reference is (x # a) # b: the chain goes on from x,
 * as if written out there. */
static struct lang_node *chain_onto(struct parser *p, const struct lang_token *op, struct lang_node *x,
                                    struct lang_node *chain)
{
    struct lang_node *l = is_chain_node(chain->kids[0]) ? chain_onto(p, op, x, chain->kids[0])
                                                        : node_op(p, LANG_BINOP, op, x, chain->kids[0]);
    return l ? node_op(p, LANG_BINOP, op, l, chain->kids[1]) : NULL;
}

/* binary -> unary { op binary }
 * Precedence climbing: an operator of precedence >= min_prec joins; its right
 * operand takes only tighter operators (prec + 1), or the same for '$', which
 * is right-associative. An operator just before ')' is left for parse_paren()
 * to make a section of: (0.25 <~), (s "bd" #). */
static struct lang_node *parse_binary(struct parser *p, int min_prec)
{
    struct lang_node *lhs = parse_unary(p), *rhs;
    while (lhs && p->tok.kind == LANG_TOK_OP) {
        struct lang_token op = p->tok;
        int prec = lang_op_prec(op.op);
        if (prec < min_prec || peek(p)->kind == LANG_TOK_RPAREN)
            break;
        next(p);
        if (op.bol && op.op == LANG_OP_CHAIN)
            p->hash_line = op.pos.line;     /* `# the bass` may be a comment */
        if (op.op == LANG_OP_APPLY) {
            if (!enter(p, op.pos))
                return NULL;
            rhs = parse_binary(p, prec);
            p->depth--;
        } else {
            rhs = parse_binary(p, prec + 1);
        }
        if (!rhs)
            return NULL;
        if (op.op == LANG_OP_CHAIN && is_chain_node(rhs)) {
            if (!(lhs = chain_onto(p, &op, lhs, rhs)))
                return NULL;
            continue;
        }
        if (flat_op(op.op) && lhs->kind == LANG_BINOP && lhs->op == op.op && !(lhs->flags & LANG_F_PAREN)) {
            if (!node_append(p, lhs, rhs))
                return NULL;
            continue;
        }
        if (!(lhs = node_op(p, LANG_BINOP, &op, lhs, rhs)))
            return NULL;
        if (op.bol)
            lhs->flags |= LANG_F_LINE_START;
    }
    return lhs;
}

/* expr -> binary(1) */
static struct lang_node *parse_expr(struct parser *p)
{
    return parse_binary(p, 1);
}

/* ---- statements ----------------------------------------------------------- */

/* The value of a constant expression: numbers, + - * /, unary minus. */
static int fold(const struct lang_node *n, double *v)
{
    double a, b;
    switch (n->kind) {
    case LANG_NUM:
        *v = n->num;
        return 1;
    case LANG_NEG:
        if (!fold(n->kids[0], &a))
            return 0;
        *v = -a;
        return 1;
    case LANG_BINOP:                    /* a flat chain folds from the left */
        if (!fold(n->kids[0], &a))
            return 0;
        for (int i = 1; i < n->nkids; i++) {
            if (!fold(n->kids[i], &b))
                return 0;
            switch (n->op) {
            case LANG_OP_ADD: a = a + b; break;
            case LANG_OP_SUB: a = a - b; break;
            case LANG_OP_MUL: a = a * b; break;
            case LANG_OP_DIV: a = a / b; break;
            default: return 0;
            }
        }
        *v = a;
        return 1;
    default:
        return 0;
    }
}

/* Beats per cycle from a time signature "B/D" (D a power of two up to 32:
 * "3/4", "6/8", "7/16"; the beat is the D-th note and bpm counts them);
 * 0 if it is not one. */
static double beats_per_cycle(const struct lang_node *sig)
{
    const char *s = sig->text;
    char *end;
    while (*s == ' ')
        s++;
    if (*s < '0' || *s > '9')
        return 0;
    double b = strtod(s, &end);
    for (s = end; *s == ' '; s++)
        ;
    if (*s++ != '/')
        return 0;
    while (*s == ' ')
        s++;
    long d = strtol(s, &end, 10);
    if (end == s || end - s > 2 || !(d == 1 || d == 2 || d == 4 || d == 8 || d == 16 || d == 32))
        return 0;
    s = end;
    while (*s == ' ')
        s++;
    return (size_t)(s - sig->text) == sig->len && b > 0 && isfinite(b) ? b : 0;
}

/* tempo -> ('tempo' | 'cps' | 'setcps' | 'setbpm' | 'setcpm') ':'? expr
 *        |  'bpm' ':' expr [STR]                              (a constant) */
static int parse_tempo(struct parser *p, struct lang_stmt *st)
{
    struct lang_pos at = p->tok.pos;
    struct lang_node *e = parse_expr(p);
    if (!e)
        return 0;
    int bpm = st->name[0] == 'b';
    const struct lang_node *num = e, *sig = NULL;
    if (bpm && e->kind == LANG_APP && e->nkids == 2 && e->kids[1]->kind == LANG_STR
        && !(e->flags & LANG_F_PAREN)) {
        num = e->kids[0];
        sig = e->kids[1];
    }
    double v, beats = 1;
    if (!fold(num, &v)) {
        if (bpm)
            fail(p, at, "for example: bpm: 120, or bpm: 90 \"3/4\" for 3 beats per cycle",
                 "expected a number of beats per minute after 'bpm:'");
        else
            fail(p, at, "for example: tempo: 0.5, or cps: 135/60/4",
                 "expected a number of cycles per second after '%s%s'", st->name,
                 strncmp(st->name, "set", 3) ? ":" : "");
        return 0;
    }
    if (sig && !(beats = beats_per_cycle(sig))) {
        fail(p, sig->pos, "\"B/D\" means B beats per cycle, D 1 to 32: bpm: 90 \"3/4\", bpm: 120 \"6/8\"",
             "expected a time signature like \"4/4\" after 'bpm: %g'", v);
        return 0;
    }
    if (strcmp(st->name, "setbpm") == 0)
        beats = 4, bpm = 1;                 /* Tidal's 4 beats to the cycle */
    st->cps = bpm ? v / 60 / beats : strcmp(st->name, "setcpm") == 0 ? v / 60 : v;
    if (!(st->cps > 0 && st->cps <= 1000)) {        /* NaN fails too */
        if (bpm)
            fail(p, at, "the tempo must be > 0 and <= 1000 cycles per second",
                 "tempo out of range: bpm: %g gives %g cycles per second", v, st->cps);
        else
            fail(p, at, NULL, "tempo out of range: %s: %g (it must be > 0 and <= 1000 cycles per second)",
                 st->name, st->cps);
        return 0;
    }
    return 1;
}

static int add_stmt(struct parser *p, const struct lang_stmt *st)
{
    struct lang_ast *a = p->ast;
    if (a->nstmts == a->cap) {
        int cap = a->cap ? a->cap * 2 : 16;
        struct lang_stmt *s = cap < a->cap || (size_t)cap > SIZE_MAX / sizeof *s ? NULL
                            : ARENA_ARRAY(&a->arena, struct lang_stmt, cap);
        if (!s) {
            fail_oom(p);
            return 0;
        }
        if (a->nstmts)
            memcpy(s, a->stmts, (size_t)a->nstmts * sizeof *s);
        a->stmts = s;
        a->cap = cap;
    }
    a->stmts[a->nstmts] = *st;
    a->stmts[a->nstmts].off = p->first.off;
    a->stmts[a->nstmts].end = p->prev.kind == LANG_TOK_EOF ? p->first.off : p->prev.off + p->prev.len;
    a->nstmts++;
    return 1;
}

/* @name: expr / %name: expr: what a reference below stands for (a later
 * definition of the same name replaces it from there on). */
static int add_def(struct parser *p, const struct lang_token *t, struct lang_node *expr)
{
    if (p->ndefs == (int)(sizeof p->defs / sizeof *p->defs)) {
        fail(p, t->pos, NULL, "too many templates and pattern references (at most %d)", p->ndefs);
        return 0;
    }
    p->defs[p->ndefs++] = (struct def){ tok_text(p, t), t->len, expr };
    return 1;
}

/* once $ x: the output (once $ x), the word `once` its function. */
static struct lang_node *once_of(struct parser *p, const struct lang_token *word,
                                 const struct lang_token *sep, struct lang_node *x)
{
    struct lang_token op = *sep;
    op.kind = LANG_TOK_OP;
    op.op = LANG_OP_APPLY;
    struct lang_node *f = node_new(p, LANG_NAME, word->pos, 0);
    if (!f || !(f->text = copy_text(p, "once", 4)))
        return NULL;
    f->len = 4;
    return node_op(p, LANG_BINOP, &op, f, x);
}

/* The statements, for tempo words and the "unknown statement" hint: the
 * rows of LANG_STATEMENTS (lang.h). */
#define STMT_ROW(name, alias_of, kind, args, desc, example) { name, kind },
static const struct { const char *name; enum lang_stmt_kind kind; } stmt_rows[] = { LANG_STATEMENTS(STMT_ROW) };
#undef STMT_ROW

/* The tempo statement the word t names (a row of kind LANG_STMT_TEMPO,
 * written with its colon): "tempo", "cps" or "bpm"; NULL when none. */
static const char *tempo_word(const struct parser *p, const struct lang_token *t)
{
    static const char *const names[] = { "tempo", "cps", "bpm" };
    for (size_t i = 0; i < sizeof stmt_rows / sizeof *stmt_rows; i++) {
        const char *name = stmt_rows[i].name;
        size_t len = strlen(name) - 1;          /* without the ':' */
        if (stmt_rows[i].kind != LANG_STMT_TEMPO || t->len != len || memcmp(tok_text(p, t), name, len) != 0)
            continue;
        for (size_t k = 0; k < sizeof names / sizeof *names; k++)
            if (strncmp(names[k], name, len) == 0 && names[k][len] == 0)
                return names[k];
    }
    return NULL;
}

/* The session statements: the rows written without a colon, other than
 * hush and panic (setcps, solo, unmute ...). The row's index, or -1. */
static int session_row(const struct parser *p, const struct lang_token *t)
{
    if (t->kind != LANG_TOK_NAME)
        return -1;
    for (size_t i = 0; i < sizeof stmt_rows / sizeof *stmt_rows; i++) {
        const char *name = stmt_rows[i].name;
        if (strchr(name, ':') || stmt_rows[i].kind == LANG_STMT_HUSH || stmt_rows[i].kind == LANG_STMT_PANIC
            || stmt_rows[i].kind == LANG_STMT_EXPR || stmt_rows[i].kind == LANG_STMT_DEF
            || stmt_rows[i].kind == LANG_STMT_MACRO)
            continue;
        if (t->len == strlen(name) && memcmp(tok_text(p, t), name, t->len) == 0)
            return (int)i;
    }
    return -1;
}

/* The output number after solo/mute (optional after unsolo/unmute/unhush: -1). */
static int parse_out_number(struct parser *p, const char *word, int optional, int *out)
{
    struct lang_pos at = p->tok.pos;
    double v;
    *out = -1;
    if (at_end(p) && optional)
        return 1;
    struct lang_node *e = at_end(p) ? NULL : parse_expr(p);
    if (p->failed)
        return 0;
    if (!e || !fold(e, &v) || v != floor(v) || v < 1 || v > 16) {
        fail(p, e ? at : end_pos(p), "outputs are numbered 1 to 16: solo 1, mute 2",
             "expected an output number after '%s'", word);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* setCycle N: a constant, a whole number of cycles (kept in st->cps). */
static int parse_cycle(struct parser *p, struct lang_stmt *st)
{
    struct lang_pos at = p->tok.pos;
    struct lang_node *e = at_end(p) ? NULL : parse_expr(p);
    if (p->failed)
        return 0;
    if (!e || !fold(e, &st->cps) || st->cps != floor(st->cps) || fabs(st->cps) > 1e9) {
        fail(p, e ? at : end_pos(p), "for example: setCycle 8", "expected a whole number of cycles after 'setCycle'");
        return 0;
    }
    return 1;
}

/* nudge X: a constant number of seconds in [-1, 1] (kept in st->cps). */
static int parse_nudge(struct parser *p, struct lang_stmt *st)
{
    struct lang_pos at = p->tok.pos;
    struct lang_node *e = at_end(p) ? NULL : parse_expr(p);
    if (p->failed)
        return 0;
    if (!e || !fold(e, &st->cps) || !(st->cps >= -1 && st->cps <= 1)) {
        fail(p, e ? at : end_pos(p), "for example: nudge 0.02 (seconds, -1 to 1)",
             "expected a number of seconds from -1 to 1 after 'nudge'");
        return 0;
    }
    return 1;
}

/* session -> 'setcps' expr | 'setbpm' expr | 'setcpm' expr
 *          | ('solo' | 'mute') N | ('unsolo' | 'unmute' | 'unhush') [N]
 *          | 'resetCycles' | 'setCycle' N | 'nudge' X | 'all' expr
 * The current token is the word (row r of the table). */
static int parse_session(struct parser *p, struct lang_stmt *st, int r)
{
    const char *word = stmt_rows[r].name;
    st->kind = stmt_rows[r].kind;
    st->name = word;
    st->on = strncmp(word, "un", 2) != 0;
    next(p);
    if (st->kind == LANG_STMT_TEMPO) {
        if (at_end(p)) {
            char what[64];
            snprintf(what, sizeof what, "an expression after '%s'", word);
            fail_found(p, NULL, what);
            return 0;
        }
        if (!parse_tempo(p, st))
            return 0;
    } else if ((st->kind == LANG_STMT_SOLO || st->kind == LANG_STMT_MUTE || st->kind == LANG_STMT_UNHUSH)
               && !parse_out_number(p, word, !st->on, &st->out)) {
        return 0;
    } else if (st->kind == LANG_STMT_CYCLE && word[0] == 's' && !parse_cycle(p, st)) {
        return 0;
    } else if (st->kind == LANG_STMT_NUDGE && !parse_nudge(p, st)) {
        return 0;
    } else if (st->kind == LANG_STMT_ALL && !(st->expr = at_end(p) ? NULL : parse_expr(p))) {
        if (!p->failed)
            fail(p, end_pos(p), "for example: all (# speed 2)", "expected a transform after 'all'");
        return 0;
    }
    if (!at_end(p)) {
        char what[96];
        snprintf(what, sizeof what, "the end of the line after '%s'", word);
        fail_found(p, NULL, what);
        return 0;
    }
    return add_stmt(p, st);
}

/* outmix -> 'outmix' ':' ('none' | 'gain' | 'sqrt' | 'tanh' | 'hard')
 * The current token is the mode. */
static int parse_outmix(struct parser *p, struct lang_stmt *st)
{
    static const char *const modes[] = { LANG_OUTMIX_MODES };
    st->kind = LANG_STMT_OUTMIX;
    st->out = -1;
    for (int i = 0; i < (int)(sizeof modes / sizeof *modes); i++)
        if (!at_end(p) && tok_is(p, &p->tok, modes[i]))
            st->out = i;
    if (st->out < 0) {
        fail_found(p, "outmix: none, gain, sqrt, tanh or hard", "a mixing mode after 'outmix:'");
        return 0;
    }
    next(p);
    if (!at_end(p)) {
        fail_leftover(p, "line");
        return 0;
    }
    return add_stmt(p, st);
}

/* buffer -> 'buffer' ':' expr      (a constant whole number of frames) */
static int parse_buffer(struct parser *p, struct lang_stmt *st)
{
    struct lang_pos at = p->tok.pos;
    double v;
    struct lang_node *e = at_end(p) ? NULL : parse_expr(p);
    if (p->failed)
        return 0;
    if (!e || !fold(e, &v) || v != floor(v) || v < LANG_BUFFER_MIN || v > LANG_BUFFER_MAX) {
        fail(p, e ? at : end_pos(p), "for example: buffer: 256", "expected a whole number of frames from %d to %d "
             "after 'buffer:'", LANG_BUFFER_MIN, LANG_BUFFER_MAX);
        return 0;
    }
    if (!at_end(p)) {
        fail_leftover(p, "line");
        return 0;
    }
    st->kind = LANG_STMT_BUFFER;
    st->out = (int)v;
    return add_stmt(p, st);
}

int lang_ast_buffer(const struct lang_ast *a)
{
    int n = 0;
    for (int i = 0; a && i < a->nstmts; i++)
        if (a->stmts[i].kind == LANG_STMT_BUFFER)
            n = a->stmts[i].out;
    return n;
}

/* "statements are tempo:, cps:, ... and panic", from the rows. */
static const char *statement_list(void)
{
    static char list[256];
    if (!list[0]) {
        size_t n = sizeof stmt_rows / sizeof *stmt_rows, k = 0;
        k += (size_t)snprintf(list, sizeof list, "statements are");
        for (size_t i = 0; i < n && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s %s", i == 0 ? "" : i + 1 == n ? " and" : ",",
                                  stmt_rows[i].name);
    }
    return list;
}

/* function -> BUS NAME {NAME} ('$' | ':' | '#') expr
 *           | 'fn' NAME {NAME} '=' expr
 * The phonon family's functions: where the name is called below with as
 * many arguments, the expression stands (parse_call). No statement. */
static int parse_function(struct parser *p)
{
    int fn = p->tok.kind == LANG_TOK_NAME;
    if (fn)
        next(p);
    struct macro m = { .text = tok_text(p, &p->tok), .len = p->tok.len };
    next(p);
    while (p->tok.kind == LANG_TOK_NAME && !at_end(p)) {
        if (m.nparams == LANG_MAX_PARAMS) {
            fail(p, p->tok.pos, NULL, "a function has at most %d parameters", LANG_MAX_PARAMS);
            return 0;
        }
        m.params[m.nparams++] = p->tok;
        next(p);
    }
    int sep = fn ? p->tok.kind == LANG_TOK_EQ
                 : p->tok.kind == LANG_TOK_COLON || is_apply(&p->tok) || is_chain(&p->tok);
    if (!sep || at_end(p)) {
        fail_found(p, fn ? "for example: fn double x = x * 2" : "for example: ~wob rate $ sine rate * 500 + 800",
                   fn ? "parameter names and then '='" : "parameter names and then '$'");
        return 0;
    }
    next(p);
    if (at_end(p)) {
        fail_found(p, NULL, fn ? "an expression after '='" : "an expression after '$'");
        return 0;
    }
    p->defining = &m;
    m.body = parse_expr(p);
    p->defining = NULL;
    if (!m.body)
        return 0;
    if (!at_end(p)) {
        fail_leftover(p, "line");
        return 0;
    }
    if (p->nmacros == (int)(sizeof p->macros / sizeof *p->macros)) {
        fail(p, p->first.pos, NULL, "too many functions (at most %d)", p->nmacros);
        return 0;
    }
    p->macros[p->nmacros++] = m;
    return 1;
}

/* statement -> ('tempo' | 'cps' | 'bpm') ':' tempo
 *            | BUS (':' | '$') expr
 *            | ('out' | 'o'N | 'd'N | 'out'N) (':' | '$' | '#') expr      N in 1..16
 *            | 'once' (':' | '$') expr
 *            | REF ':' expr                  (@name: / %name:, see add_def)
 *            | BUS '#' expr                  (a modifier bus, the same)
 *            | 'hush' | 'hush'N | 'panic' | session | function
 * The current token starts a statement (starts_statement()). */
static int parse_statement(struct parser *p)
{
    const struct lang_token t = p->first = p->tok;
    if (tok_is(p, &t, "fn") || (t.kind == LANG_TOK_BUS && macro_params_ahead(p) > 0)) {
        p->open = 0;
        p->hash_line = 0;
        return parse_function(p);
    }
    struct lang_stmt st = { .pos = t.pos };
    char word[48];
    int n = tok_numbered(p, &t, "hush");
    p->open = 0;
    p->hash_line = 0;
    snprintf(word, sizeof word, "%.*s", (int)(t.len > 40 ? 40 : t.len), tok_text(p, &t));
    int row = session_row(p, &t);
    if (row >= 0)
        return parse_session(p, &st, row);
    if (tok_is(p, &t, "hush") || tok_is(p, &t, "panic") || n >= 0) {
        st.kind = word[0] == 'p' ? LANG_STMT_PANIC : LANG_STMT_HUSH;
        st.out = n > 0 ? n : 0;
        if (n == 0 || n > 16) {
            fail(p, t.pos, "outputs are numbered 1 to 16", "unknown output '%s'", word);
            return 0;
        }
        next(p);
        if (!at_end(p)) {
            char what[96];
            snprintf(what, sizeof what, "the end of the line after '%s'", word);
            fail_found(p, NULL, what);
            return 0;
        }
        return add_stmt(p, &st);
    }
    next(p);
    const struct lang_token sep = p->tok;       /* ':' or '$' */
    next(p);
    if (t.kind == LANG_TOK_REF || (t.kind == LANG_TOK_BUS && sep.kind == LANG_TOK_OP && sep.op == LANG_OP_CHAIN)) {
        st.kind = LANG_STMT_DEF;
    } else if (tok_is(p, &t, "once")) {
        st.kind = LANG_STMT_ONCE;
    } else if (t.kind == LANG_TOK_BUS) {
        st.kind = LANG_STMT_BUS;
        if (!(st.name = copy_text(p, tok_text(p, &t) + 1, t.len - 1)))
            return 0;
    } else if (tok_is(p, &t, "outmix") && sep.kind == LANG_TOK_COLON) {
        return parse_outmix(p, &st);
    } else if (tok_is(p, &t, "buffer") && sep.kind == LANG_TOK_COLON) {
        return parse_buffer(p, &st);
    } else if ((st.name = tempo_word(p, &t))) {
        st.kind = LANG_STMT_TEMPO;
    } else if ((n = out_index(p, &t)) >= 0) {
        st.kind = LANG_STMT_OUT;
        st.out = n;
        if (n == 0 && !tok_is(p, &t, "out")) {
            fail(p, t.pos, "outputs are o1 to o16 (or d1 to d16, out1 to out16), and out for the main output",
                 "unknown output '%s'", word);
            return 0;
        }
        if (n > 16) {
            fail(p, t.pos, "outputs are o1 to o16 (or d1 to d16), and out for the main output",
                 "unknown output '%s': there are 16 numbered outputs", word);
            return 0;
        }
    } else {
        fail(p, t.pos, statement_list(), "unknown statement '%s:'", word);
        return 0;
    }
    if (at_end(p)) {
        char what[96];
        snprintf(what, sizeof what, "an expression after '%s%c'", word,
                 sep.kind == LANG_TOK_COLON ? ':' : is_chain(&sep) ? '#' : '$');
        fail_found(p, NULL, what);
        return 0;
    }
    if (st.kind == LANG_STMT_TEMPO) {
        if (!parse_tempo(p, &st))
            return 0;
    } else if (!(st.expr = parse_expr(p))) {
        return 0;
    }
    if (!at_end(p)) {
        fail_leftover(p, "line");
        return 0;
    }
    if (st.kind == LANG_STMT_ONCE && !(st.expr = once_of(p, &t, &sep, st.expr)))
        return 0;
    if (st.kind == LANG_STMT_DEF)
        return add_def(p, &t, st.expr);
    return add_stmt(p, &st);
}

/* file -> { statement }     (blank and comment lines are not tokens) */
static void parse_file(struct parser *p)
{
    next(p);
    while (!p->failed && p->tok.kind != LANG_TOK_EOF) {
        if (p->tok.kind == LANG_TOK_ERR)
            fail_lex(p);
        else if (!starts_statement(p))
            fail_found(p, p->tok.kind == LANG_TOK_OP && p->tok.op == LANG_OP_CHAIN
                              ? comment_hint : NULL,
                       "a statement such as 'out:' or '~name:'");
        else
            parse_statement(p);
    }
}

/* one expression, for `phonon query` */
static void parse_one(struct parser *p)
{
    next(p);
    struct lang_stmt st = { .kind = LANG_STMT_EXPR, .pos = p->tok.pos };
    if ((p->tok.kind == LANG_TOK_NAME || p->tok.kind == LANG_TOK_BUS)
        && peek(p)->kind == LANG_TOK_COLON) {
        fail(p, p->tok.pos, "write the expression alone: s \"bd sn\" # gain 0.8",
             "expected an expression but found the statement '%.*s:'",
             (int)(p->tok.len > 40 ? 40 : p->tok.len), tok_text(p, &p->tok));
        return;
    }
    if (!(st.expr = parse_expr(p)))
        return;
    if (p->tok.kind != LANG_TOK_EOF)
        fail_leftover(p, "expression");
    else
        add_stmt(p, &st);
}

static struct lang_ast *parse(const char *src, size_t len, const char *file,
                              struct lang_error *err, int expr_mode)
{
    struct parser p = { .err = err, .expr_mode = expr_mode };
    memset(err, 0, sizeof *err);
    err->file = file;
    if (len > INT32_MAX) {
        snprintf(err->msg, sizeof err->msg, "input too large (%zu bytes)", len);
        return NULL;
    }
    if (!(p.ast = ast_new(file, len))
        || !(p.ast->src = arena_strndup(&p.ast->arena, len ? src : "", len))) {
        lang_ast_free(p.ast);
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    p.ast->len = p.ast->text_len = len;
    p.ast->text = p.ast->src;
    if (!expr_mode) {
        char xerr[160];
        size_t xlen = 0;
        char *x = lang_expand_macros(p.ast->src, len, &xlen, &p.ast->map, xerr, sizeof xerr);
        if (xerr[0] || (x && !(p.ast->src = arena_strndup(&p.ast->arena, x, xlen)))) {
            free(x);
            lang_ast_free(p.ast);
            snprintf(err->msg, sizeof err->msg, "%s", xerr[0] ? xerr : "out of memory");
            return NULL;
        }
        if (x)
            len = p.ast->len = xlen;
        free(x);
    }
    p.prev.kind = LANG_TOK_EOF;
    lang_lex_init(&p.lx, p.ast->src, len, file);
    if (expr_mode)
        parse_one(&p);
    else
        parse_file(&p);
    free(p.stack);
    if (p.failed) {
        lang_ast_locate(p.ast, err);
        lang_ast_free(p.ast);
        return NULL;
    }
    return p.ast;
}

struct lang_ast *lang_parse(const char *src, size_t len, const char *file,
                            struct lang_error *err)
{
    return parse(src, len, file, err, 0);
}

struct lang_ast *lang_parse_expr(const char *src, size_t len, const char *file,
                                 struct lang_error *err)
{
    return parse(src, len, file, err, 1);
}
