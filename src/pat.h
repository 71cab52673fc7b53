/* pat.h -- exact time, values, and patterns as queryable functions of time.
 *
 * A pattern is an immutable tree of nodes (struct pnode). Querying it over a
 * span [b, e) of cycles returns events (whole, part, value): whole is the
 * event's full extent, part the piece of it inside the query (and inside any
 * cuts the pattern makes), both exact rationals. The semantics are those of
 * TidalCycles as Strudel 1.2.6 implements them, with Tidal's euclid rotation;
 * ../conformance/SEMANTICS.md states the rules and tests/conformance holds
 * the expected outputs.
 *
 * Memory. Nodes built when a program is compiled live in the program's arena.
 * A query allocates its scratch (event arrays, and the nodes that patterned
 * arguments build per event) from the arena in its struct pat_ctx; the caller
 * resets that arena between queries. With a fixed-size arena (grow = 0) a
 * query never calls malloc, so it may run on the audio thread; when the arena
 * or the event cap is exhausted the query stops with PAT_ERR_LIMIT.
 *
 * Recursion. A query recurses along the tree, so its depth is bounded by the
 * tree's depth, which the compiler bounds (PAT_MAX_DEPTH); query-time nodes
 * (from patterned arguments) add a bounded amount on top. ctx->max_depth is
 * checked on every query call as a last line of defence.
 *
 * Thread context: building (pat_mini_parse, pat_eval) on a control thread;
 * pat_query on any one thread per ctx. Nodes are never written after build.
 */
#ifndef PAT_H
#define PAT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arena.h"

/* ---- exact rational time -------------------------------------------------- */

/* n/d in lowest terms with d > 0. Arithmetic is exact; when a result does not
 * fit in 64 bits, rat_overflow is set (thread-local, sticky until cleared) and
 * the returned value is meaningless: callers check the flag and report an
 * error, never a wrong answer. */
struct rat {
    int64_t n, d;
};

extern _Thread_local int rat_overflow;

static inline struct rat rat_int(int64_t n) { struct rat r = { n, 1 }; return r; }
struct rat rat_make(int64_t n, int64_t d);      /* normalises; d == 0 sets overflow */
struct rat rat_add(struct rat a, struct rat b);
struct rat rat_sub(struct rat a, struct rat b);
struct rat rat_mul(struct rat a, struct rat b);
struct rat rat_div(struct rat a, struct rat b); /* b == 0 sets overflow */
struct rat rat_neg(struct rat a);
int rat_cmp(struct rat a, struct rat b);        /* -1, 0, 1 */
static inline int rat_eq(struct rat a, struct rat b) { return a.n == b.n && a.d == b.d; }
static inline int rat_lt(struct rat a, struct rat b) { return rat_cmp(a, b) < 0; }
static inline int rat_le(struct rat a, struct rat b) { return rat_cmp(a, b) <= 0; }
static inline int rat_gt(struct rat a, struct rat b) { return rat_cmp(a, b) > 0; }
static inline int rat_ge(struct rat a, struct rat b) { return rat_cmp(a, b) >= 0; }
static inline struct rat rat_min(struct rat a, struct rat b) { return rat_lt(b, a) ? b : a; }
static inline struct rat rat_max(struct rat a, struct rat b) { return rat_gt(b, a) ? b : a; }
int64_t rat_floor_int(struct rat a);            /* floor as an integer */
struct rat rat_floor(struct rat a);             /* "sam": start of a's cycle */
struct rat rat_ceil(struct rat a);
static inline struct rat rat_next_sam(struct rat a) { return rat_add(rat_floor(a), rat_int(1)); }
struct rat rat_cycle_pos(struct rat a);         /* a - floor(a) */
double rat_to_double(struct rat a);             /* (double)n / (double)d */
/* SEMANTICS.md section 1: a double used as a time becomes a rational by a
 * Stern-Brocot search with denominators up to 10^7. Returns 0 and sets *r on
 * success, -1 for NaN and infinities (and values too large to represent). */
int rat_from_double(double x, struct rat *r);
/* "3/4", "-5", "0" into buf (at least 48 bytes); returns buf. */
char *rat_format(struct rat a, char *buf);
/* Parse "3", "-1/2", "0.25", "1e3" (an exact decimal, or to_rational for
 * inexact ones). Returns 0 on success, -1 on a malformed string. */
int rat_parse(const char *s, struct rat *r);

/* ---- values ----------------------------------------------------------- */

enum val_kind {
    VAL_NONE = 0,   /* no value: "undefined"; events carrying it are dropped */
    VAL_NUM,
    VAL_STR,
    VAL_BOOL,
    VAL_LIST,       /* from ':' tails and lists */
    VAL_MAP,        /* control map: keys sorted, unique */
    VAL_NODE,       /* a pattern or function (argument of a transform; never an event value) */
};

struct pat_kv;

struct val {
    uint8_t kind;
    uint32_t n;                 /* LIST, MAP: number of items */
    union {
        double num;
        const char *str;        /* NUL-terminated, owned by a program or arena */
        int b;
        const struct val *list;
        const struct pat_kv *map;
        const struct pnode *node;
    } u;
};

struct pat_kv {
    const char *key;
    struct val v;
};

static inline struct val val_num(double x) { struct val v = { VAL_NUM, 0, { .num = x } }; return v; }
static inline struct val val_str(const char *s) { struct val v = { VAL_STR, 0, { .str = s } }; return v; }
static inline struct val val_bool(int b) { struct val v = { VAL_BOOL, 0, { .b = b } }; return v; }
static inline struct val val_none(void) { struct val v = { VAL_NONE, 0, { .num = 0 } }; return v; }

/* Look a key up in a map value; NULL when absent or v is not a map. */
const struct val *val_map_get(struct val v, const char *key);
/* A copy of map m (or {} when m is not a map) with key set to x, in arena a. */
struct val val_map_set(struct arena *a, struct val m, const char *key, struct val x);
/* Union of two maps: keys of both, values combined with `combine` where both
 * have the key (NULL: right wins). */
int val_truthy(struct val v);                   /* SEMANTICS.md 1: false only for 0 (and false) */
int val_equal(struct val a, struct val b);
/* Note name ([a-gA-G][#bsf]*-?[0-9]*) to a MIDI number, octave default_octave
 * when absent (3 for arithmetic, SEMANTICS.md 1); returns 0 and sets *midi,
 * or -1 when s is not a note name. */
int val_note_midi(const char *s, double default_octave, double *midi);
/* Print a value as the conformance format wants (SEMANTICS.md 1, README):
 * numbers in shortest round-trip form, strings raw or JSON-quoted, lists and
 * maps as compact JSON with sorted keys. Returns the length written (output
 * is truncated to cap-1 bytes and NUL-terminated). */
size_t val_format(struct val v, char *buf, size_t cap);
/* Shortest round-trip number text as JavaScript's Number#toString. */
size_t val_format_num(double x, char *buf, size_t cap);
/* JavaScript's Number(s) for a mini-notation atom (SEMANTICS.md 1): returns 1
 * and sets *x when the whole text is a number, else 0. */
int val_parse_number(const char *s, size_t len, double *x);

/* ---- events and queries ----------------------------------------------- */

struct pat_ev {
    struct rat wb, we;          /* whole (valid when has_whole) */
    struct rat pb, pe;          /* part */
    struct val v;
    int has_whole;              /* 0 for continuous signals */
};

struct pat_evbuf {
    struct pat_ev *ev;
    int n, cap;
};

enum pat_err {
    PAT_OK = 0,
    PAT_ERR_LIMIT,      /* too many events, too much work or memory: a resource error */
    PAT_ERR_OVERFLOW,   /* exact time arithmetic overflowed */
    PAT_ERR_SILENT,     /* a value that only goes wrong at run time (through a
                           pattern argument): the whole query is silent */
    PAT_ERR_DEPTH,      /* recursion bound reached */
};

struct pat_ctx {
    struct arena *scratch;      /* query memory; the caller resets it */
    int err;                    /* first error, enum pat_err */
    char msg[200];              /* its message */
    long work, max_work;        /* query steps done / allowed */
    int max_events;             /* per query span (default 100,000) */
    int depth, max_depth;
    /* shuffle's permutation of the last cycle asked (reset per query) */
    int64_t rr_cycle;
    int rr_n;
    double rr_seed;
    const int *rr_perm;
};

enum { PAT_MAX_EVENTS = 100000, PAT_MAX_DEPTH = 400 };

/* Prepare a context over an arena with the default limits. */
void pat_ctx_init(struct pat_ctx *c, struct arena *scratch);

struct pnode;

/* Query p over [b, e). Events go to *out (allocated in the scratch arena).
 * Returns 0, or an enum pat_err (also in c->err, with c->msg). On
 * PAT_ERR_SILENT the caller treats the span as silent. */
int pat_query(struct pat_ctx *c, const struct pnode *p, struct rat b, struct rat e,
              struct pat_evbuf *out);

/* Sort events the conformance way: part begin, value text, part end, whole
 * begin, whole end (no whole first). */
void pat_sort_events(struct pat_evbuf *out);
/* One event as a conformance line (no newline) into buf. */
size_t pat_format_event(const struct pat_ev *e, char *buf, size_t cap);

/* ---- building patterns ------------------------------------------------ */

/* Node kinds. The query of each is in pat_core.c; pat_ops.c builds the
 * transforms of LANGUAGE.md section 4 from them. */
enum pkind {
    P_SILENCE,
    P_PURE,         /* v, once per cycle */
    P_SIGNAL,       /* op = enum pat_signal; continuous */
    P_STACK,        /* kids */
    P_SHIFT,        /* kids[0] shifted earlier by r0 (negative: later) */
    P_FAST,         /* kids[0] sped up by r0 > 0 */
    P_SPLIT,        /* kids[0] with queries split at cycle boundaries */
    P_FASTGAP,      /* kids[0] sped up by r0 > 0 inside each cycle, leaving a gap */
    P_ZOOM,         /* kids[0]: cycle c plays [c+r0, c+r0+r1) stretched */
    P_REV,          /* kids[0] reversed per cycle */
    P_SLOWCAT,      /* kids: one per cycle, each at its own cycle count */
    P_ITER,         /* kids[0] as a slowcat of i0 copies shifted by i/i0 (op: 1 = later) */
    P_EVERY,        /* kids[0] plain, kids[1] transformed: op 0: cycle c % i0 == x0
                       (truncating; negative cycles silent); op 1: c mod r0 >= r1 */
    P_REPEAT,       /* kids[0]: each cycle repeated r0 times (repeatCycles) */
    P_APP,          /* op = app mode | value op: kids[0] (left), kids[1] (right) */
    P_FMAP,         /* op = enum pat_fmap: value function of kids[0], params v/x0/x1 */
    P_SQUEEZE,      /* op = enum pat_squeeze: squeeze join of kids[0]'s events */
    P_BINDRANGE,    /* mini '..': v .. each value of kids[0] */
    P_JOIN,         /* kids[0] selects among kids[1..] by index: op 0 inner, 1 outer join */
    P_PATARG,       /* op = opcode; kids[0..n-2] argument patterns, kids[n-1] the pattern */
    P_HOLE,         /* the argument of the function being applied */
    P_CALL,         /* fn applied to kids[0]: fn's HOLE is kids[0] */
    P_SEED,         /* kids[0] with the random seed set to x0 */
    P_FILTER_WHEN,  /* kids[0] filtered by cycle position of whole begin in [x0, x1] (op: 0 inside, 1 outside) */
    P_REARRANGE,    /* shuffle/scramble: kids[0] index pattern, kids[1] source, i0 = n */
    P_WCHOOSE,      /* kids[0] selector in 0..1, kids[1..] values; v: list of cumulative
                       weights, x0: their total */
    P_RANDRUN,      /* signal: shuffled indices 0..i0-1 per cycle */
    P_TIMECAT,      /* a weighted sequence: kids[i] (compressed) fills [rs[i], rs[i+1]) of
                       each cycle; a stack of kids that asks only those a span touches */
    P_KIND_COUNT
};

enum pat_signal {
    SIG_SAW, SIG_ISAW, SIG_SINE2, SIG_SQUARE, SIG_RAND, SIG_PERLIN, SIG_TIME,
};

/* Binary value operations (P_APP, low bits of op) and structure modes. */
enum pat_vop {
    VOP_ADD, VOP_SUB, VOP_MUL, VOP_DIV, VOP_MOD, VOP_POW,
    VOP_SET,        /* right value (union for maps: #, |>) */
    VOP_KEEP,       /* left value (union for maps: |<) */
    VOP_KEEPIF,     /* left value if right is truthy, else dropped (struct, mask) */
    VOP_DEGRADE,    /* left value if right > x0 (degradeBy with rand) */
    VOP_UNDEGRADE,  /* left value if 1 - right > x0 */
    VOP_TAIL,       /* list of left and right (mini ':') */
    VOP_RSET,       /* right value without map union (striate's begin/end set) */
};
enum { APP_LEFT = 0 << 8, APP_RIGHT = 1 << 8, APP_BOTH = 2 << 8, APP_MODE_MASK = 3 << 8 };

enum pat_fmap {
    FM_ADD, FM_MUL, FM_DIV,     /* v + x0, v * x0, v / x0 */
    FM_TOBIPOLAR, FM_FROMBIPOLAR,
    FM_ROUND,                   /* Math.round, note names as MIDI numbers */
    FM_TRUNC_MUL,               /* trunc(v * x0) (irand) */
    FM_ONE_MINUS,
    FM_RANGEX,                  /* exp(v) (rangex, after a range in log space) */
    FM_CONTROL,                 /* {name: v}: v.u.str holds NUL-separated names ending
                                   in an empty one ("s\0n\0gain\0": a list value fills
                                   them in order); i0: note names become semitones */
    FM_NOTE,                    /* note names -> semitones from c4 (numbers unchanged) */
    FM_PAN_ADD,                 /* pan := (pan or 0.5) + x0 (jux) */
    FM_CONST,                   /* every value replaced by v */
    FM_INDEX,                   /* clamp(floor(v), 0, x0 - 1) (choose) */
    FM_CHOP_SLICE,              /* begin/end := x0/x1 (rescaled into an existing begin..end) */
};

enum pat_squeeze {
    SQ_PLY,         /* r0 copies */
    SQ_CHOP,        /* i0 parts with begin/end */
    SQ_RANGE,       /* mini '..': kids[1] is the other end */
};

struct pnode {
    uint16_t kind;              /* enum pkind */
    uint16_t flags;
    int op;                     /* meaning depends on kind */
    int n;                      /* number of kids */
    const struct pnode *const *kids;
    const struct pnode *fn;     /* P_CALL: function body; P_PATARG: function argument */
    struct rat r0, r1;
    double x0, x1;
    int i0;
    struct val v;
    int32_t line, col;          /* P_PURE from a string: where the atom is written (0: unknown) */
    const struct rat *rs;       /* P_TIMECAT: the n + 1 slot boundaries, 0 .. 1 */
};

enum pnode_flags {
    PF_PURE = 1,                /* a bare atom (Strudel's __pure): usable as a direct argument */
};

/* Constructors. a is the arena that owns the node (the program's, or the
 * query's scratch). They return NULL only when a is exhausted. */
const struct pnode *pat_silence(void);
const struct pnode *pat_pure(struct arena *a, struct val v);
const struct pnode *pat_signal(struct arena *a, enum pat_signal s);
const struct pnode *pat_stack(struct arena *a, const struct pnode *const *kids, int n);
const struct pnode *pat_node1(struct arena *a, enum pkind k, int op, const struct pnode *kid);
const struct pnode *pat_app(struct arena *a, int op, const struct pnode *l, const struct pnode *r);
const struct pnode *pat_fmap(struct arena *a, int op, const struct pnode *kid, double x0, double x1, struct val v);
const struct pnode *pat_shift(struct arena *a, struct rat early, const struct pnode *kid);
const struct pnode *pat_fast(struct arena *a, struct rat factor, const struct pnode *kid);
const struct pnode *pat_fastgap(struct arena *a, struct rat factor, const struct pnode *kid);
const struct pnode *pat_compress(struct arena *a, struct rat b, struct rat e, const struct pnode *kid);
const struct pnode *pat_zoom(struct arena *a, struct rat s, struct rat e, const struct pnode *kid);
const struct pnode *pat_slowcat(struct arena *a, const struct pnode *const *kids, int n);
const struct pnode *pat_fastcat(struct arena *a, const struct pnode *const *kids, int n);
/* Weighted sequence (Strudel's stepcat/timeCat): weights[i] for kids[i].
 * Returns NULL with *err set to "Division by Zero" when the weights sum to 0. */
const struct pnode *pat_timecat(struct arena *a, const struct rat *weights,
                                const struct pnode *const *kids, int n, const char **err);
const struct pnode *pat_call(struct arena *a, const struct pnode *fn, const struct pnode *arg);
const struct pnode *pat_hole(void);
const struct pnode *pat_repeat(struct arena *a, struct rat n, const struct pnode *kid);
/* Boolean sequence of n steps (euclid): true steps from bits[0..n). */
const struct pnode *pat_bits(struct arena *a, const int *bits, int n);

/* ---- transforms with constant arguments (pat_ops.c) -------------------- */

/* The transforms of LANGUAGE.md section 4. X(ENUM, "name", "argument kinds"):
 * n = a number (a time, factor or count; may be given as a pattern),
 * f = a function (pattern -> pattern), F = a list of functions,
 * p = a pattern used as it is (struct's boolean pattern, euclidFull's first).
 * The pattern being transformed is an implicit last argument. */
#define PAT_OPS(X) \
    X(FAST, "fast", "n") X(SLOW, "slow", "n") X(HURRY, "hurry", "n") \
    X(EARLY, "rotL", "n") X(LATE, "rotR", "n") X(FASTGAP, "fastGap", "n") \
    X(COMPRESS, "compress", "nn") X(ZOOM, "zoom", "nn") \
    X(INSIDE, "inside", "nf") X(OUTSIDE, "outside", "nf") \
    X(REV, "rev", "") X(PALINDROME, "palindrome", "") \
    X(ITER, "iter", "n") X(ITERBACK, "iter'", "n") \
    X(EVERY, "every", "nf") X(EVERYOFF, "every'", "nnf") X(WHENMOD, "whenmod", "nnf") \
    X(CHUNK, "chunk", "nf") X(CHUNKBACK, "chunk'", "nf") X(BRAK, "brak", "") \
    X(PLY, "ply", "n") X(OFF, "off", "nf") X(SUPERIMPOSE, "superimpose", "f") \
    X(LAYER, "layer", "F") X(STUT, "stut", "nnn") X(ECHO, "echo", "nnn") \
    X(ECHOWITH, "echoWith", "nnf") X(JUX, "jux", "f") X(JUXBY, "juxBy", "nf") \
    X(CHOP, "chop", "n") X(STRIATE, "striate", "n") X(SEGMENT, "segment", "n") \
    X(RANGE, "range", "nn") X(RANGEX, "rangex", "nn") X(LINGER, "linger", "n") \
    X(EUCLID, "euclid", "nn") X(EUCLIDROT, "euclidRot", "nnn") X(EUCLIDOFF, "euclidOff", "nnn") \
    X(EUCLIDFULL, "euclidFull", "nnp") X(EUCLIDLEGATO, "euclidLegato", "nn") \
    X(EUCLIDLEGATOROT, "euclidLegatoRot", "nnn") \
    X(STRUCT, "struct", "p") X(MASK, "mask", "p") \
    X(SWINGBY, "swingBy", "nn") X(SWING, "swing", "n") \
    X(SHUFFLE, "shuffle", "n") X(SCRAMBLE, "scramble", "n") X(WITHIN, "within", "nnf") \
    X(DEGRADEBY, "degradeBy", "n") X(DEGRADE, "degrade", "") X(UNDEGRADEBY, "unDegradeBy", "n") \
    X(SOMETIMESBY, "sometimesBy", "nf") X(SOMETIMES, "sometimes", "f") X(OFTEN, "often", "f") \
    X(RARELY, "rarely", "f") X(ALMOSTNEVER, "almostNever", "f") X(ALMOSTALWAYS, "almostAlways", "f") \
    X(SOMECYCLESBY, "someCyclesBy", "nf") X(SOMECYCLES, "someCycles", "f") \
    X(SEED, "seed", "n") X(REPEATCYCLES, "repeatCycles", "n") \
    X(WHEN, "", "nf") X(SOMETIMES_CORE, "", "n") X(SOMECYCLES_CORE, "", "n") \
    X(IRAND, "", "n") X(RUN, "", "n")

#define PAT_OP_ENUM(e, name, args) PAT_OP_##e,
enum pat_opcode { PAT_OPS(PAT_OP_ENUM) PAT_OP_COUNT };
#undef PAT_OP_ENUM

/* The opcode of a language name ("every'"), or -1. Internal opcodes have no name. */
int pat_op_lookup(const char *name);
const char *pat_op_name(int op);
const char *pat_op_args(int op);            /* the kinds string */

/* Build transform `op` with constant arguments args[0..nargs) (VAL_NUM for n,
 * VAL_NODE for f and p, VAL_LIST of VAL_NODE for F) applied to pattern p.
 * Returns NULL with *err set (a static string) when an argument is invalid
 * as written ("every: the count must be a positive integer"), or with *err
 * NULL when the arena is exhausted. */
const struct pnode *pat_op_build(struct arena *a, int op, const struct val *args, int nargs,
                                 const struct pnode *fn, const struct pnode *p, const char **err);
/* The same when some `n` arguments are patterns: argpats[i] is the pattern of
 * argument i, or NULL when args[i] is a constant. With no pattern among them
 * this is pat_op_build; otherwise a P_PATARG node that builds the transform
 * per argument event while querying. */
const struct pnode *pat_op_apply(struct arena *a, int op, const struct val *args,
                                 const struct pnode *const *argpats, int nargs,
                                 const struct pnode *p, const char **err);

/* Patterns that are not transforms of a pattern. */
const struct pnode *pat_irand(struct arena *a, struct val n, const struct pnode *npat);
const struct pnode *pat_run(struct arena *a, struct val n, const struct pnode *npat, const char **err);
const struct pnode *pat_choose(struct arena *a, const struct pnode *const *xs, int n, int cycles);
const struct pnode *pat_wchoose(struct arena *a, const struct pnode *const *xs, const double *w,
                                int n, const char **err);
/* polymeter: steps[i] is the steps per cycle of kids[i] (0: unknown, ignored). */
const struct pnode *pat_polymeter(struct arena *a, const struct pnode *const *kids,
                                  const struct rat *steps, int n);
/* The named continuous signals: sine saw tri square isaw cosine rand perlin
 * and their bipolar "2" forms; NULL for other names. */
const struct pnode *pat_named_signal(struct arena *a, const char *name);
/* A control pattern: {name: v} for each value of p (names as FM_CONTROL). */
const struct pnode *pat_control(struct arena *a, const char *names, int note, const struct pnode *p);

/* ---- mini-notation (pat_mini.c) --------------------------------------- */

struct pat_mini_error {
    size_t offset;              /* byte offset in the string */
    long open_offset;           /* an unclosed bracket's offset, or -1 */
    char msg[256];              /* "expected ']' to close '['" (the caller adds where) */
};

/* Parse the contents of a "..." string into a pattern in arena a. Returns NULL
 * with *err filled on a syntax error or an error in a value given directly
 * (weights summing to 0, euclid with |p| > s, ...). Strings in the pattern
 * are copied into a. *steps (may be NULL) gets the steps per cycle of the
 * top level (a sequence's total weight), 0 when it has none. */
const struct pnode *pat_mini_parse(struct arena *a, const char *s, size_t len,
                                   struct pat_mini_error *err, struct rat *steps);
/* The same, recording in each atom's node the position of the atom when the
 * string's contents start at (line, col) of a file (strings are one line). */
const struct pnode *pat_mini_parse_at(struct arena *a, const char *s, size_t len, int line, int col,
                                      struct pat_mini_error *err, struct rat *steps);

/* ---- the pattern meaning of expressions (pat_eval.c) ------------------ */

#include "lang.h"

/* A compile-time value: what an expression evaluates to. */
enum pat_xkind {
    PX_NUM,         /* a number (also usable as a pattern: pure) */
    PX_STR,         /* a "..." pattern (its steps known) */
    PX_PAT,         /* any other pattern */
    PX_FN,          /* a function pattern -> pattern: pat is its body, with P_HOLE */
    PX_PARTIAL,     /* a builtin still waiting for arguments */
    PX_LIST,        /* [a, b, c] */
    PX_TUPLE,       /* (a, b) */
};

enum pat_xflags {
    PXF_SOUND = 1,                  /* built with s / sound / note: its events sound */
    PXF_BAREOSC = 2,                /* a bare oscillator name (saw, sine, ...) and its chain */
};

struct pat_x {
    enum pat_xkind kind;
    int flags;                      /* enum pat_xflags */
    double num;                     /* PX_NUM */
    const struct pnode *pat;        /* PX_STR, PX_PAT, PX_FN */
    struct rat steps;               /* PX_STR: steps per cycle (0: unknown) */
    const void *b;                  /* PX_PARTIAL: the builtin (pat_eval.c) */
    struct pat_x *args;             /* PX_PARTIAL: arguments so far */
    int nargs;
    struct pat_x *items;            /* PX_LIST, PX_TUPLE */
    int nitems;
    struct lang_pos pos;
};

struct pat_eval {
    struct arena *a;                /* where nodes go (the program's arena) */
    struct lang_error *err;         /* filled on error (its file already set) */
    /* Resolve ~name inside a pattern expression: 0 with *out filled, or -1
     * with err filled. NULL: buses are an error (phonon query). */
    int (*bus)(void *user, const char *name, struct lang_pos pos, struct pat_x *out);
    void *user;
    int depth;
};

/* Evaluate an expression: 0, or -1 with e->err filled (positioned). */
int pat_eval(struct pat_eval *e, const struct lang_node *n, struct pat_x *out);
/* Apply a function value (PX_FN, PX_PARTIAL) to an argument. */
int pat_eval_apply(struct pat_eval *e, const struct pat_x *f, const struct pat_x *arg,
                   struct lang_pos at, struct pat_x *out);
/* Combine two values with a binary operator, as the language does. */
int pat_eval_binop(struct pat_eval *e, enum lang_op op, const struct pat_x *l,
                   const struct pat_x *r, struct lang_pos at, struct pat_x *out);
/* Is name a builtin of the pattern language (a transform, control, signal...)?
 * 2 when it is a per-event control (gain, pan, speed, lpf, ...). */
int pat_eval_is_builtin(const char *name);
/* The pattern of a pattern-like value (numbers become pure patterns); NULL
 * for functions, lists and tuples. */
const struct pnode *pat_eval_as_pattern(struct pat_eval *e, const struct pat_x *x);
/* Every builtin name (for suggestions); returns the count. */
int pat_eval_names(const char **names, int cap);
/* Evaluate an expression that must be a pattern; NULL with e->err filled. */
const struct pnode *pat_eval_pattern(struct pat_eval *e, const struct lang_node *n);

#endif
