/* lang.h -- the .ph language front end: source text -> AST with positions.
 *
 * The grammar is ../spec/LANGUAGE.md sections 1-2 (statements, expressions,
 * operators and their precedence, continuation lines, comments). The parser
 * knows no function names and no pattern semantics: it builds a tree that the
 * compiler (pat_eval.c, graph_*.c) gives meaning to. Mini-notation strings stay
 * text here (LANG_STR); pat_mini.c parses them and reports positions through
 * lang_str_pos().
 *
 * Thread context: any thread; nothing here is used on the audio thread.
 * Memory: an AST owns one arena; every node, string and array hangs off it and
 * is released by lang_ast_free(). Parameters are borrowed.
 */
#ifndef LANG_H
#define LANG_H

#include <stddef.h>
#include <stdio.h>

struct lang_pos {
    int line, col;          /* 1-based; col counts bytes of the line; 0 = unknown */
};

/* An error or warning with its position. The message is complete without the
 * position ("expected ']' to close '[' opened at 3:13"); hint is an optional
 * second sentence ("comments start with '--'"). */
struct lang_error {
    const char *file;       /* borrowed, not owned; "<expr>" for a command-line expression */
    int line, col;          /* 1-based position of the offending token; 0 = none */
    char msg[256];
    char hint[192];         /* "" when there is none */
};

/* printf-style setter; keeps the file pointer already in e, clears the hint. */
void lang_error_set(struct lang_error *e, struct lang_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Print a diagnostic like gcc:
 *   file:line:col: <severity>: msg
 *     <the source line>
 *     <spaces>^
 *   note: hint                      (only when hint is not empty)
 * severity is "error" or "warning". src/len is the whole source text the
 * position refers to (NULL: no source line is shown). Tabs in the source line
 * are kept so the caret lines up. */
void lang_diag_print(FILE *f, const char *severity, const struct lang_error *e,
                     const char *src, size_t len);

/* Expression nodes. */
enum lang_kind {
    LANG_NUM,       /* number literal: num, text (as written, sign included) */
    LANG_STR,       /* "..." : text/len = contents without the quotes, raw bytes;
                       pos = the opening quote */
    LANG_NAME,      /* identifier: text (fast, sine, rev, every', c4 ...) */
    LANG_BUS,       /* ~name: text = name without '~' */
    LANG_APP,       /* application by juxtaposition: kids[0] = the function,
                       kids[1..] = arguments in order (may include LANG_KWARG) */
    LANG_BINOP,     /* op with kids[0] = left, kids[1] = right */
    LANG_NEG,       /* unary minus: kids[0] */
    LANG_LIST,      /* [a, b, c]: kids = elements (0 or more) */
    LANG_TUPLE,     /* (a, b, ...): two or more elements */
    LANG_KWARG,     /* :name value: text = name, kids[0] = value */
    LANG_SECTION,   /* operator section, a function: (# speed 2), (+ 7), (|* 2):
                       op, kids[0] = the operand; flags tell which side it is on */
};

/* Binary operators, loosest first. LANG_OPS(X): X(ENUM, "text", precedence,
 * "what it does", "an example statement") -- the last two for the language
 * page (names.c). */
#define LANG_OPS(X) \
    X(CHAIN,   "#",  1, "chain: the right side's controls or sound function take the left side as input", \
      "out: s \"bd*4\" # gain 0.8 # lpf 2000 0.3") \
    X(APPLY,   "$",  2, "apply a transform (right-associative; either side may be the pattern)", \
      "out: every 4 (fast 2) $ s \"bd sn\"") \
    X(ADD,     "+",  3, "add; structure from both sides (on sounds: sample by sample)", \
      "out: n (\"0 2\" + \"<0 12>\") # s \"arpy\"") \
    X(SUB,     "-",  3, "subtract; structure from both sides", "out: n (\"12 14\" - \"<0 5>\") # s \"arpy\"") \
    X(ADD_L,   "|+", 3, "add, structure from the left", "out: n (\"0 2 4\" |+ \"<0 7>\") # s \"arpy\"") \
    X(ADD_R,   "+|", 3, "add, structure from the right", "out: n (\"0 7\" +| \"0 2 4\") # s \"arpy\"") \
    X(ADD_B,   "|+|", 3, "add, structure from both sides", "out: n (\"0 2\" |+| \"0 7 12\") # s \"arpy\"") \
    X(SUB_L,   "|-", 3, "subtract, structure from the left", "out: n (\"12 14\" |- \"<0 5>\") # s \"arpy\"") \
    X(SUB_R,   "-|", 3, "subtract, structure from the right", "out: n (\"12\" -| \"0 2 4\") # s \"arpy\"") \
    X(SUB_B,   "|-|", 3, "subtract, structure from both sides", "out: n (\"12 14\" |-| \"0 2 4\") # s \"arpy\"") \
    X(SET_L,   "|>", 3, "take values from the right, structure from the left", \
      "out: s \"bd*4\" |> speed \"1 2\"") \
    X(SET_R,   ">|", 3, "take values from the right, structure from the right", \
      "out: s \"bd*2\" >| speed \"1 2 3\"") \
    X(SET_B,   "|>|", 3, "take values from the right, structure from both sides", \
      "out: s \"bd*2\" |>| speed \"1 2 3\"") \
    X(KEEP_L,  "|<", 3, "keep the left's values, structure from the left", \
      "out: s \"bd*4\" # speed 1 |< speed \"2 3\"") \
    X(KEEP_R,  "<|", 3, "keep the left's values, structure from the right", \
      "out: s \"bd\" # speed 1 <| speed \"2 3\"") \
    X(KEEP_B,  "|<|", 3, "keep the left's values, structure from both sides", \
      "out: s \"bd*2\" # speed 1 |<| speed \"2 3 4\"") \
    X(EARLY,   "<~", 3, "shift earlier by a (patternable) time in cycles", "out: \"<0.25 0.5>\" <~ s \"bd sn hh\"") \
    X(LATE,    "~>", 3, "shift later by a (patternable) time in cycles", "out: 0.25 ~> s \"bd sn hh\"") \
    X(SIG_ADD, "~+", 3, "add sample by sample, whatever the operands", "out: sine 220 ~+ sine 330 * 0.5") \
    X(SIG_SUB, "~-", 3, "subtract sample by sample", "out: sine 220 ~- sine 221") \
    X(MUL,     "*",  4, "multiply; structure from both sides (on sounds: sample by sample)", \
      "out: s \"bd*4\" * 0.8") \
    X(DIV,     "/",  4, "divide; structure from both sides", "out: n (\"12 24\" / 2) # s \"arpy\"") \
    X(MUL_L,   "|*", 4, "multiply, structure from the left", "out: s \"bd*4\" # gain 1 |* gain \"<1 0.5>\"") \
    X(MUL_R,   "*|", 4, "multiply, structure from the right", "out: s \"bd\" # gain 1 *| gain \"1 0.5\"") \
    X(MUL_B,   "|*|", 4, "multiply, structure from both sides", "out: s \"bd*2\" # gain 1 |*| gain \"1 0.5 0.7\"") \
    X(DIV_L,   "|/", 4, "divide, structure from the left", "out: s \"bd*4\" # speed 2 |/ speed \"<1 2>\"") \
    X(DIV_R,   "/|", 4, "divide, structure from the right", "out: s \"bd\" # speed 2 /| speed \"1 2\"") \
    X(DIV_B,   "|/|", 4, "divide, structure from both sides", "out: s \"bd*2\" # speed 2 |/| speed \"1 2 4\"") \
    X(SIG_MUL, "~*", 4, "multiply sample by sample (ring modulation, amplitude modulation)", \
      "out: s \"hh*8\" ~* sine 4") \
    X(SIG_DIV, "~/", 4, "divide sample by sample", "out: sine 220 ~/ 2") \
    /* Tidal's remaining operators (issue 11): modulo, power, string append, <>, '.' */ \
    X(MOD_L,   "|%", 4, "modulo (Haskell's mod': the result has the sign of the right side), structure from the left", \
      "out: n (\"0 .. 7\" |% \"<3 5>\") # s \"arpy\"") \
    X(MOD_R,   "%|", 4, "modulo, structure from the right", "out: n (\"9\" %| \"2 4 5\") # s \"arpy\"") \
    X(MOD_B,   "|%|", 4, "modulo, structure from both sides", "out: n (\"7 9\" |%| \"2 4 5\") # s \"arpy\"") \
    X(POW_L,   "|**", 4, "raise to a power, structure from the left", "out: s \"bd*4\" # speed (\"1 2\" |** \"<1 2>\")") \
    X(POW_R,   "**|", 4, "raise to a power, structure from the right", "out: s \"bd\" # speed (2 **| \"0 1\")") \
    X(POW_B,   "|**|", 4, "raise to a power, structure from both sides", "out: s \"bd*2\" # speed (\"1 2\" |**| \"1 0.5\")") \
    X(CAT_L,   "|++", 3, "append strings (Tidal's ++), structure from the left; on controls, common string keys are joined", \
      "out: s (\"h l m\" |++ \"t\")") \
    X(CAT_R,   "++|", 3, "append strings, structure from the right", "out: s (\"h\" ++| \"h t\")") \
    X(CAT_B,   "|++|", 3, "append strings, structure from both sides", "out: s (\"b s\" |++| \"d n\")") \
    X(OVERLAY, "<>", 3, "overlay: play both sides together (Tidal's <>, the same as stack [a, b]; on sounds: their sum)", \
      "out: s \"bd*2\" <> s \"~ hh\"") \
    X(COMPOSE, ".", 5, "compose two transforms (Tidal's '.'): (f . g) applies g, then f", \
      "out: every 2 (fast 2 . rev) $ s \"bd sn hh\"") \
    /* issue 11 (predicates for when, ifp, filterValues ...): comparisons give booleans, structure \
       from both sides (a section (> 2): from the pattern); they bind as + does, so write \
       (x + 1) > 2 with parentheses when a sum is on the right. Haskell's infix mod and div. */ \
    X(GT, ">", 3, "greater than: true or false (a predicate as a section: when (> 2) (fast 2))", \
      "out: n (filterValues (> 1) \"0 1 2 3\") # s \"arpy\"") \
    X(LT, "<", 3, "less than: true or false", "out: s \"hh*8\" $ whenT (< 0.5) (# speed 2)") \
    X(GE, ">=", 3, "greater than or equal: true or false", "out: s \"bd*4\" $ filterWhen (>= 0)") \
    X(LE, "<=", 3, "less than or equal: true or false", "out: s \"bd*4\" $ when (<= 2) (fast 2)") \
    X(EQ, "==", 3, "equal (numbers, or strings as text): true or false", \
      "out: s \"bd sn\" $ ifp ((== 0) . (`mod` 2)) rev (fast 2)") \
    X(NE, "/=", 3, "not equal (Haskell's spelling): true or false", \
      "out: s \"bd sn\" $ when ((/= 0) . (`mod` 3)) (fast 2)") \
    X(IMOD, "`mod`", 4, "Haskell's infix mod (as |%|: the sign of the right side)", \
      "out: s \"bd sn\" $ when ((== 1) . (`mod` 2)) rev") \
    X(IMODQ, "`mod'`", 4, "Haskell's mod' (the same as `mod`)", \
      "out: s \"hh*8\" $ whenT ((< 0.5) . (`mod'` 2)) (# speed 2)") \
    X(IDIV, "`div`", 4, "Haskell's infix div: the quotient rounded down", \
      "out: s \"bd sn\" $ when (even . (`div` 2)) rev")

#define LANG_OP_ENUM(e, text, prec, desc, example) LANG_OP_##e,
enum lang_op { LANG_OP_NONE = 0, LANG_OPS(LANG_OP_ENUM) LANG_OP_COUNT };
#undef LANG_OP_ENUM

const char *lang_op_text(enum lang_op op);  /* "#", "|+", ...; "" for NONE */
int lang_op_prec(enum lang_op op);          /* 1 (loosest) .. 5 */

enum lang_flag {
    LANG_F_PAREN       = 1u << 0, /* the node was written inside ( ) */
    LANG_F_LINE_START  = 1u << 1, /* BINOP: the operator token began a
                                     continuation line ("# lpf 300" on its own line) */
    LANG_F_SECTION_L   = 1u << 2, /* SECTION with the operand on the left: (0.25 <~) */
    LANG_F_SECTION_R   = 1u << 3, /* SECTION with the operand on the right: (# speed 2) */
};

struct lang_node {
    enum lang_kind kind;
    enum lang_op op;                /* BINOP and SECTION */
    unsigned flags;                 /* enum lang_flag */
    struct lang_pos pos;            /* where the node starts (for BINOP/SECTION:
                                       the operator token) */
    const char *text;               /* NUM, STR, NAME, BUS, KWARG; NUL-terminated */
    size_t len;                     /* bytes of text (STR may hold NUL bytes) */
    double num;                     /* NUM */
    int nkids;
    struct lang_node **kids;
};

/* Statements (one per logical line, continuation lines included). */
enum lang_stmt_kind {
    LANG_STMT_TEMPO,    /* tempo: X / cps: X / bpm: N ["B/D"]: cps holds cycles per second */
    LANG_STMT_BUS,      /* ~name: expr or ~name $ expr: name, expr */
    LANG_STMT_OUT,      /* out: expr (out = 0), o1..o16 / d1..d16 (out = n): expr */
    LANG_STMT_HUSH,     /* hush (out = 0: everything) or hushN (out = N) */
    LANG_STMT_PANIC,    /* panic */
    LANG_STMT_EXPR,     /* only from lang_parse_expr(): a bare expression */
    /* session statements (issues 11 and 13), a word first on its line */
    LANG_STMT_SOLO,     /* solo N (on = 1) / unsolo [N] (on = 0; out = -1: all) */
    LANG_STMT_MUTE,     /* mute N (on = 1) / unmute [N] (on = 0; out = -1: all) */
    LANG_STMT_UNHUSH,   /* unhush (out = -1): the hush statements above it no longer count;
                           unhush N (out = N): hushN no longer does */
    LANG_STMT_ONCE,     /* once $ expr / once: expr: expr is (once $ <the pattern>) */
    LANG_STMT_CYCLE,    /* resetCycles (cps = 0) / setCycle N (cps = N): the cycle count */
    LANG_STMT_NUDGE,    /* nudge X: every event X seconds later (cps = X) */
    LANG_STMT_OUTMIX,   /* outmix: none|gain|sqrt|tanh|hard (out = the index in that list) */
    LANG_STMT_BUFFER,   /* buffer: N (out = N frames): the block phonon live asks the device for */
    LANG_STMT_DEF,      /* @name: expr, %name: expr, ~name # chain, and the functions
                           ~name a b $ expr and fn name a b = expr: the parser substitutes
                           the expression where the name is written below; no statement */
    LANG_STMT_ALL,      /* all f (issue 11, Tidal's all): expr is the transform f */
    LANG_STMT_MACRO,    /* for i in A..B: and sum(~h[A..B]), the phonon family's text macros:
                           expanded before the file is parsed (lang_macro.c); no statement */
};

/* The statements of a file, each once: X(name, alias_of, kind, args, desc,
 * example). The parser takes the tempo words from the rows of kind
 * LANG_STMT_TEMPO and names every row in its "unknown statement" hint; the
 * compiler's graph_names() gives them to the language page. */
#define LANG_STATEMENTS(X) \
    X("tempo:", NULL, LANG_STMT_TEMPO, "cps(0,1000]", "cycles per second (default 0.5)", "tempo: 0.5") \
    X("cps:", "tempo:", LANG_STMT_TEMPO, "cps(0,1000]", "cycles per second", "cps: 135/60/4") \
    X("bpm:", NULL, LANG_STMT_TEMPO, "bpm [\"B/D\"]", \
      "bpm/60 cycles per second; a time signature \"B/D\" (D 1, 2, 4, 8, 16 or 32): B beats per cycle", \
      "bpm: 90 \"3/4\"") \
    X("~name:", NULL, LANG_STMT_BUS, "expr", \
      "define a bus (also ~name $ expr); forward references are legal, a bus reading itself is feedback", \
      "~bass: saw 55 # lpf 400") \
    X("out:", NULL, LANG_STMT_OUT, "expr", "the main output (also out $ expr, and out # expr as the phonon family writes it; " \
      "the same for numbered outputs: d1 # expr)", "out: saw 110 # lpf 800 0.7") \
    X("oN:", NULL, LANG_STMT_OUT, "expr", "numbered outputs o1 .. o16, summed into the main output", \
      "o1: s \"bd*4\"") \
    X("dN:", "oN:", LANG_STMT_OUT, "expr", "numbered outputs d1 .. d16 (the same as o1 .. o16)", \
      "d1 $ s \"bd*2 sn\"") \
    X("hush", NULL, LANG_STMT_HUSH, "", "silence everything (hushN: output N)", "hush") \
    X("panic", NULL, LANG_STMT_PANIC, "", "silence everything and kill sounding voices", "panic") \
    /* session statements (issues 11, 13): a word first on its line, no colon */ \
    X("setcps", NULL, LANG_STMT_TEMPO, "cps(0,1000]", \
      "Tidal's tempo statement: cycles per second, a constant expression", "setcps (120/60/4)") \
    X("setbpm", NULL, LANG_STMT_TEMPO, "bpm", "beats per minute, 4 beats per cycle (setbpm 120 is setcps 0.5)", \
      "setbpm 120") \
    X("setcpm", NULL, LANG_STMT_TEMPO, "cpm", "Strudel's tempo statement: cycles per minute", "setcpm 30") \
    X("outN:", "oN:", LANG_STMT_OUT, "expr", "numbered outputs out1 .. out16 (the same as o1 .. o16)", \
      "out1: s \"bd*2\"") \
    X("unhush", NULL, LANG_STMT_UNHUSH, "[N]", "undo the hush and hushN statements above it (unhush N: hushN only)", \
      "unhush") \
    X("solo", NULL, LANG_STMT_SOLO, "N", \
      "only the soloed numbered outputs play (out, the main output, is silenced too)", "solo 1") \
    X("unsolo", NULL, LANG_STMT_SOLO, "[N]", "undo solo N above (no N: every solo)", "unsolo") \
    X("mute", NULL, LANG_STMT_MUTE, "N", "silence numbered output N", "mute 2") \
    X("unmute", NULL, LANG_STMT_MUTE, "[N]", "undo mute N above (no N: every mute)", "unmute 2") \
    X("once:", NULL, LANG_STMT_ONCE, "expr", \
      "play the pattern's first cycle once, in the cycle after the save that added or changed the statement " \
      "(also once $ expr; phonon render: cycle 0)", "once $ s \"cp*4\"") \
    X("all", NULL, LANG_STMT_ALL, "transform", \
      "Tidal's all: every output whose expression is a pattern goes through transform (the last all " \
      "statement of the file counts; all id undoes it; audio expressions are left alone)", "all (# speed 2)") \
    X("resetCycles", NULL, LANG_STMT_CYCLE, "", \
      "the cycle count starts again from 0 at the save that adds the statement", "resetCycles") \
    X("setCycle", NULL, LANG_STMT_CYCLE, "N", \
      "the cycle count jumps to N at the save that adds or changes the statement", "setCycle 8") \
    X("~name #", NULL, LANG_STMT_DEF, "chain", \
      "a modifier bus: x # ~name applies the chain written after '#' (~fx # lpf 800 0.7 # delay 0.25 0.5); " \
      "~name elsewhere stands for the expression", "~fx # lpf 800 0.7 # delay 0.25 0.5") \
    X("@name:", NULL, LANG_STMT_DEF, "expr", \
      "a template: @name written below stands for the expression (a value, pattern or transform)", \
      "@swing: every 2 (0.125 ~>)") \
    X("%name:", NULL, LANG_STMT_DEF, "expr", \
      "a pattern reference: %name written below stands for the pattern (fast %speed)", \
      "%speed: \"1 2\"") \
    X("outmix:", NULL, LANG_STMT_OUTMIX, "none|gain|sqrt|tanh|hard", \
      "how the outputs are mixed: none sums them (the default), gain divides the sum by their number, " \
      "sqrt by its square root, tanh saturates it softly, hard clips it to -1..1", "outmix: sqrt") \
    X("buffer:", NULL, LANG_STMT_BUFFER, "frames[16,4096]", \
      "frames per audio block in phonon live (read when it starts), render and profile, as --block; " \
      "a --block on the command line wins. The same block renders the same samples as live plays", \
      "buffer: 256") \
    /* the phonon family's functions (issue 13): expanded where they are called */ \
    X("~name a b $", NULL, LANG_STMT_DEF, "expr", \
      "a bus with parameters: ~name x y below stands for the expression with a, b replaced by x, y", \
      "~wob rate $ sine rate * 500 + 800") \
    X("fn", NULL, LANG_STMT_DEF, "name a b = expr", \
      "a function: name x y below stands for the expression with a, b replaced by x, y", \
      "fn double x = x * 2") \
    X("for", NULL, LANG_STMT_MACRO, "i in A..B:", \
      "a loop, expanded as the phonon family does before the file is read: the lines below it that are " \
      "indented deeper, once for each i from A to B (both ends included), with ~name[i] written ~nameA .. " \
      "~nameB and the word i the number outside strings; loops nest; at most 4096 times, 8 MiB of text", \
      "for i in 1..3:\n    ~h[i]: sine (220 * i) * 0.2\nout: sum(~h[1..3])") \
    X("sum", NULL, LANG_STMT_MACRO, "(~name[A..B])", \
      "the buses ~nameA .. ~nameB added: sum(~h[1..3]) is (~h1 + ~h2 + ~h3), expanded with the for loops", \
      "~h1: sine 220\n~h2: saw 330 # lpf 900\nout: sum(~h[1..2]) * 0.3") \
    X("nudge", NULL, LANG_STMT_NUDGE, "seconds[-1,1]", \
      "every pattern's events play this many seconds later (negative: earlier); the last nudge counts", \
      "nudge 0.01") \
    X("nudgeAll", "nudge", LANG_STMT_NUDGE, "seconds[-1,1]", "Tidal's name for nudge", "nudgeAll 0.02") \
    /* names in an output's expression, whose time is that statement's (not statements) */ \
    X("trigger", NULL, LANG_STMT_EXPR, "", \
      "a transform: the pattern starts (its cycle 0) when its output statement was last changed", \
      "d1 $ trigger $ s \"bd sn\"") \
    X("qtrigger", NULL, LANG_STMT_EXPR, "", \
      "a transform: the pattern starts at the first cycle boundary after its output statement changed (also qt)", \
      "d1 $ qtrigger $ s \"bd sn\"")

/* buffer: N's range, the command line's --block (phonon.h) */
#define LANG_BUFFER_MIN 16
#define LANG_BUFFER_MAX 4096

/* outmix: modes, in the order of LANG_STMT_OUTMIX's index */
#define LANG_OUTMIX_MODES "none", "gain", "sqrt", "tanh", "hard"

struct lang_stmt {
    enum lang_stmt_kind kind;
    struct lang_pos pos;            /* the statement's first token */
    const char *name;               /* BUS: bus name without '~'; TEMPO: the word ("tempo", "cps",
                                       "bpm", "setcps", "setbpm" or "setcpm") */
    int out;                        /* OUT, HUSH, SOLO, MUTE: see above */
    int on;                         /* SOLO, MUTE: see above */
    size_t off, end;                /* the statement's bytes in the source (its text) */
    double cps;                     /* TEMPO: cycles per second, > 0 and <= 1000 */
    struct lang_node *expr;         /* BUS, OUT, EXPR */
};

struct lang_ast;                    /* opaque */

/* Parse a whole .ph file. src need not be NUL-terminated; len may be 0 (an
 * empty file parses to zero statements). file is borrowed and must outlive
 * the AST and any error filled from it. Returns NULL on error with *err filled
 * (the first error; the parser does not guess past it). */
struct lang_ast *lang_parse(const char *src, size_t len, const char *file,
                            struct lang_error *err);

/* Parse one expression (what `phonon query 'EXPR'` takes): the result has one
 * LANG_STMT_EXPR statement. Statement syntax (out:, ~x:) is an error here. */
struct lang_ast *lang_parse_expr(const char *src, size_t len, const char *file,
                                 struct lang_error *err);

void lang_ast_free(struct lang_ast *a);            /* NULL is a no-op */
int lang_ast_count(const struct lang_ast *a);      /* number of statements */
const struct lang_stmt *lang_ast_stmt(const struct lang_ast *a, int i);
const char *lang_ast_file(const struct lang_ast *a);
/* The frames of the last buffer: statement, or 0 when there is none. */
int lang_ast_buffer(const struct lang_ast *a);
/* The source text the AST was parsed from, its macros expanded (the AST
 * keeps its own copy; positions in the AST are of this text). */
const char *lang_ast_source(const struct lang_ast *a, size_t *len);

/* The phonon family's text macros (lang_macro.c): `for i in 1..4:` loops
 * and sum(~h[1..4]), expanded. NULL when the text uses none (err "") or on
 * an error (err set); else the expanded text (malloc'd, NUL-terminated,
 * *outlen bytes), which the caller frees, and when map is not NULL its
 * source map in *map (free it with lang_srcmap_free). */
struct lang_srcmap;
char *lang_expand_macros(const char *src, size_t len, size_t *outlen, struct lang_srcmap **map, char *err,
                         size_t errcap);
void lang_srcmap_free(struct lang_srcmap *m);      /* NULL is a no-op */
/* A position in the expanded text as the file's line and column (col 0
 * stays 0); *iter (when not NULL) is the loop iteration it was written in,
 * 0 outside loops. m NULL: at itself. */
struct lang_pos lang_srcmap_pos(const struct lang_srcmap *m, struct lang_pos at, int *iter);
/* e's position made the file's, and its message told the iteration:
 * "... (in for i = 3)", "(in for i = 2, j = 1)" for nested loops. */
void lang_srcmap_locate(const struct lang_srcmap *m, struct lang_error *e);
/* The same through an AST (the map of its expansion; none: no change).
 * lang_parse's errors are already located; the compiler locates its own. */
struct lang_pos lang_ast_pos(const struct lang_ast *a, struct lang_pos at);
void lang_ast_locate(const struct lang_ast *a, struct lang_error *e);
/* The file's own text, before any macro (lang_ast_source: after). */
const char *lang_ast_text(const struct lang_ast *a, size_t *len);

/* Position of byte `offset` of a LANG_STR node's contents (strings do not
 * span lines, so this is the quote's position plus 1 + offset). */
struct lang_pos lang_str_pos(const struct lang_node *str, size_t offset);

/* The closest of names[0..n) to `name` by edit distance (Damerau-Levenshtein,
 * case-insensitive), or NULL if none is close enough to be a likely typo
 * (distance <= 1 for names of up to 4 bytes, <= 2 up to 8, <= 3 beyond).
 * Never `name` itself (a name that exists but cannot be used, such as a
 * sample folder without audio files, must not suggest itself); a name that
 * differs only in case is suggested. */
const char *lang_suggest(const char *name, const char *const *names, int n);

/* Debug: print the tree as an S-expression, e.g. (# (app s "bd") (app gain 0.8)). */
void lang_node_dump(FILE *f, const struct lang_node *n);

/* ---- Front-end internals, shared by lang_lex.c and lang_parse.c ----------
 * Declared here so the parser and tests/test_lang.c can use the lexer; the
 * compiler has no reason to. */

/* Most levels of nesting an expression may have: brackets, parentheses,
 * sections, unary minus and '$' chains count, and so does the height of the
 * tree (a chain of 300 '+' is too deep). Deeper input is an error ("nesting
 * too deep"), which keeps every recursive walk of an AST on a small stack. */
#define LANG_MAX_DEPTH 200

/* Most parameters of a function (~name a b $ expr, fn name a b = expr). */
#define LANG_MAX_PARAMS 8

/* The most work the calls of functions may do in one file, counted in
 * nodes of their bodies visited and kids copied: a function whose body calls
 * another twice, and so on, doubles the copies at each level (1.9 KB of them
 * took 7 s to parse; fuzz lang), and a body of wide nodes copies their
 * kids (3.5 KB of them, counted by internal nodes alone, took 2.7 s and
 * 720 MB: 89 million kids; fuzz lang, regress/lang/timeout-24930c5d...).
 * More is an error. */
#define LANG_MAX_EXPANDED (1 << 18)

enum lang_tok {
    LANG_TOK_EOF,       /* end of input */
    LANG_TOK_ERR,       /* lexical error; the message is in lexer->err */
    LANG_TOK_NUM,       /* 1  0.5  .25  1e3  -0.66 (sign attached by the rule in LANGUAGE.md 2) */
    LANG_TOK_STR,       /* "..." on one line */
    LANG_TOK_NAME,      /* fast  every'  c4  _x */
    LANG_TOK_BUS,       /* ~name */
    LANG_TOK_KW,        /* :name after a space, '(', '[' or ',' (a keyword argument) */
    LANG_TOK_OP,        /* one of LANG_OPS, longest match */
    LANG_TOK_LPAREN, LANG_TOK_RPAREN, LANG_TOK_LBRACK, LANG_TOK_RBRACK,
    LANG_TOK_COMMA,
    LANG_TOK_COLON,     /* ':' of a statement (out:  ~x:  tempo:) */
    LANG_TOK_REF,       /* @name (a template) or %name (a pattern reference) */
    LANG_TOK_EQ,        /* '=' of a function definition: fn name a b = expr */
};

struct lang_token {
    enum lang_tok kind;
    enum lang_op op;        /* OP */
    struct lang_pos pos;    /* the token's first byte */
    size_t off, len;        /* bytes in the source: STR with its quotes, BUS with
                               '~', KW with ':', NUM with its sign */
    double num;             /* NUM */
    int bol;                /* 1 when it is the first token on its line */
};

struct lang_lexer {         /* caller storage; no allocation */
    const char *src;        /* src[len] must be '\0' (numbers are read by strtod) */
    size_t len, at;         /* at: the next byte to read */
    size_t begin;           /* first byte of text (3 after a UTF-8 BOM) */
    size_t line_start;      /* offset of the current line's first byte */
    int line;               /* current line, 1-based */
    int bol;                /* no token yet on the current line */
    int failed;             /* an ERR token was returned */
    struct lang_error err;  /* filled when LANG_TOK_ERR is returned */
};

/* file is borrowed (copied into err.file). */
void lang_lex_init(struct lang_lexer *lx, const char *src, size_t len, const char *file);
/* The next token. After EOF or ERR, the same token is returned again. */
void lang_lex_next(struct lang_lexer *lx, struct lang_token *t);
/* "a number", "')'", ... for messages about a token kind. */
const char *lang_tok_name(enum lang_tok k);
/* Bytes of the valid UTF-8 sequence at s[0..n) with its code point in *cp, or
 * 0 if there is none (overlong forms and surrogates are invalid). n >= 1. */
size_t lang_utf8_len(const unsigned char *s, size_t n, unsigned *cp);

/* Where the line holding s[at] ends: the offset of its line break (LF, or a
 * CR not followed by LF: old Mac files end lines with CR alone), or len. A
 * CRLF line ends at its LF; the CR before it is blank. */
size_t lang_eol(const char *s, size_t at, size_t len);

#endif
