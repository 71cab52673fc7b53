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
    const struct pnode *scale;  /* issue 11 (strans): the TK_SCALE node v is a note of
                                   (Strudel's context.scale), for scaleTranspose; NULL */
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
    /* issue 11 tidal5: nTake's counts of onsets before cycle tk[i].cycle,
       kept across queries for the node of serial tk[i].id (0: none) and seed */
    struct { uint64_t id; double seed; int64_t cycle, count; } tk[8];
    int tk_next;                /* the entry the next new node takes */
    struct rat rshift;          /* added to the time the random signals are read at (P_RSHIFT;
                                   0 at the start of each query) */
};

/* Bounds (the language page's LIMITS section states them): events one
 * query may yield, pattern tree depth at evaluation, bracket depth in one
 * mini-notation string; and the steps of work one query may do (each node
 * asked counts one): a plain sequence takes one an event, and no query of
 * the corpus's blocks or of the conformance cases takes more than 2,468
 * (110 events of tangled random mini-notation); a block asks a small part
 * of a cycle. Twice the events allowed: a flood of plain events meets the
 * event bound first. A pattern that spends them on nothing (10^11 empty
 * cycles: "[~ ~]!!1e11") stops after 7 to 30 ms, as the steps cost; before,
 * at 20,000,000 steps, after 4 s, in every block. phonon query, which asks
 * for many cycles at once and not in real time, allows 100 times as many. */
enum {
    PAT_MAX_EVENTS = 100000,
    PAT_MAX_WORK = 2 * PAT_MAX_EVENTS,
    PAT_MAX_DEPTH = 400,
    PAT_MINI_MAX_DEPTH = 200
};

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
    P_JOIN,         /* kids[0] selects among kids[1..] by index: op 0 inner, 1 outer join,
                       2 unwrap (wholes intersected), 3 squeeze join */
    P_PATARG,       /* op = opcode; kids[0..n-2] argument patterns, kids[n-1] the pattern */
    P_HOLE,         /* the argument of the function being applied */
    P_CALL,         /* fn applied to kids[0]: fn's HOLE is kids[0] */
    P_SEED,         /* kids[0] with the random seed set to x0 */
    P_FILTER_WHEN,  /* kids[0] filtered by cycle position of whole begin in [x0, x1] (op: 0 inside, 1 outside) */
    P_REARRANGE,    /* shuffle/scramble: kids[0] index pattern, kids[1] source, i0 = n */
    P_WCHOOSE,      /* kids[0] selector in 0..1, kids[1..] values; v: list of cumulative
                       weights, x0: their total */
    P_RANDRUN,      /* signal: shuffled indices 0..i0-1 per cycle */
    P_MATCH,        /* issue 11 (fix): kids[0]'s events whose value has the keys and values
                       of one of kids[1]'s values at its onset (op 1: those that have not) */
    P_TIMECAT,      /* a weighted sequence: kids[i] fills [rs[i], rs[i+1]) of each cycle
                       (compressed by the query); a stack of kids that asks only those a
                       span touches */
    P_VALCAT,       /* a slowcat of plain values, v.u.list[0 .. v.n-1] (VAL_NONE: a rest),
                       written at line, cols[i]: a mini-notation sequence of bare atoms
                       in 24 bytes a step instead of a node each */
    P_HOOK,         /* op = enum pat_hook: queried by pat_hook_query (pat_ops_struct.c) */
    P_TONAL,        /* op = enum tonal_kind: kids[0]'s events rewritten by pat_tonal.c */
    P_RSHIFT,       /* kids[0] with its random signals read r0 later (pat_rand_shift) */
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
    VOP_CAT,        /* left string followed by right string (Tidal's ++) */
    /* issue 11 (predicates) */
    VOP_IDIV,       /* floor(left / right) (Haskell's div) */
    VOP_GT, VOP_LT, VOP_GE, VOP_LE, VOP_EQ, VOP_NE,     /* booleans; EQ, NE on two strings: text */
    VOP_ELEM,       /* boolean: right is an item of the left list, or in the left text */
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
    FM_NOT,                     /* issue 11 (inv): the boolean not of v's truth */
    FM_WRAP_INDEX,              /* issue 11 (squeeze): round(v) mod x0, 0 .. x0-1 */
    FM_NAME_INDEX,              /* issue 11 (inhabit): the index of string v in the list
                                   of strings v (none when absent) */
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
    union {
        const struct rat *rs;   /* P_TIMECAT: the n + 1 slot boundaries, 0 .. 1 */
        const int32_t *cols;    /* P_VALCAT: the column of each value (0: unknown) */
    };
    const int32_t *seeds;       /* P_SLOWCAT, P_TIMECAT: kid i as pat_rand_shift by
                                   pat_mini_seed_shift(seeds[i]) would make it (NULL: all 0),
                                   4 bytes a kid instead of a node */
};

enum pnode_flags {
    PF_PURE = 1,                /* a bare atom (Strudel's __pure): usable as a direct argument */
    PF_LIST = 2,                /* issue 11 (runMarkov): a P_VALCAT that stands for a Haskell list
                                   of numbers: the evaluator gives it as the list [a, b, ...] */
};

/* Constructors. a is the arena that owns the node (the program's, or the
 * query's scratch). They return NULL only when a is exhausted. Those that
 * always make a new node (pat_pure, pat_signal, pat_node1, pat_nodes, pat_app,
 * pat_fmap) return it mutable, for the caller to finish filling in (x0,
 * i0, ...) before handing it out as const; the others may return one of
 * their arguments or a shared node. */
const struct pnode *pat_silence(void);
struct pnode *pat_pure(struct arena *a, struct val v);
struct pnode *pat_signal(struct arena *a, enum pat_signal s);
const struct pnode *pat_stack(struct arena *a, const struct pnode *const *kids, int n);
struct pnode *pat_node1(struct arena *a, enum pkind k, int op, const struct pnode *kid);
/* A new node of kind k and op over the n kids (NULL also when a kid is). */
struct pnode *pat_nodes(struct arena *a, enum pkind k, int op, const struct pnode *const *kids, int n);
struct pnode *pat_app(struct arena *a, int op, const struct pnode *l, const struct pnode *r);
struct pnode *pat_fmap(struct arena *a, int op, const struct pnode *kid, double x0, double x1, struct val v);
const struct pnode *pat_shift(struct arena *a, struct rat early, const struct pnode *kid);
const struct pnode *pat_fast(struct arena *a, struct rat factor, const struct pnode *kid);
const struct pnode *pat_fastgap(struct arena *a, struct rat factor, const struct pnode *kid);
const struct pnode *pat_compress(struct arena *a, struct rat b, struct rat e, const struct pnode *kid);
const struct pnode *pat_zoom(struct arena *a, struct rat s, struct rat e, const struct pnode *kid);
const struct pnode *pat_slowcat(struct arena *a, const struct pnode *const *kids, int n);
const struct pnode *pat_fastcat(struct arena *a, const struct pnode *const *kids, int n);
/* kid with its random signals (rand, and what is made of it: ?, |, degradeBy
 * ...) read `later` cycles later, as rand.early(later) in it would: the
 * pattern of a mini-notation step with random operators, made once for its
 * text and shared by every step of the same text, each with its own shift
 * (pat_mini_seed_shift). A shift of 0 is kid itself. */
const struct pnode *pat_rand_shift(struct arena *a, struct rat later, const struct pnode *kid);
/* pat_fastcat of kids[i] shifted so (pat_rand_shift by pat_mini_seed_shift(seeds[i])),
 * without a node a kid; seeds is kept as given (NULL: none shifted). */
const struct pnode *pat_fastcat_seeded(struct arena *a, const struct pnode *const *kids, const int32_t *seeds,
                                       int n);
/* pat_timecat of kids[i] shifted so (a copy of seeds is kept; NULL: none). */
const struct pnode *pat_timecat_seeded(struct arena *a, const struct rat *weights, const struct pnode *const *kids,
                                       const int32_t *seeds, int n, const char **err);
/* The time shift of mini-notation's random operator number `seed` (its
 * random operators, ? and |, are numbered from 0 in the order they are
 * written): Strudel's rand.early(0.0003 * seed), exactly 3 seed / 10000. */
struct rat pat_mini_seed_shift(int64_t seed);
/* pat_slowcat of pat_pure(vals[i]) (VAL_NONE: silence), in one node that
 * keeps vals and cols (may be NULL) as given; line for every value. */
struct pnode *pat_valcat(struct arena *a, const struct val *vals, const int32_t *cols, int n, int32_t line);
/* Weighted sequence (Strudel's stepcat/timeCat): weights[i] for kids[i].
 * Returns NULL with *err set to "Division by Zero" when the weights sum to 0. */
const struct pnode *pat_timecat(struct arena *a, const struct rat *weights,
                                const struct pnode *const *kids, int n, const char **err);
const struct pnode *pat_call(struct arena *a, const struct pnode *fn, const struct pnode *arg);
const struct pnode *pat_hole(void);
const struct pnode *pat_repeat(struct arena *a, struct rat n, const struct pnode *kid);
/* kid's cycle 0 and nothing else (before it: silence; after it: silence for
 * 2^31 cycles), for the once statement. */
const struct pnode *pat_first_cycle(struct arena *a, const struct pnode *kid);
/* Boolean sequence of n steps (euclid): true steps from bits[0..n). */
const struct pnode *pat_bits(struct arena *a, const int *bits, int n);

/* issue 13: the phonon family's shuffle with an amount below 1 (shuffle
 * 0.2): each event of p moved by a random time in [-x, x) cycles, the same
 * on every query (pat_ops_struct.c). */
const struct pnode *pat_jitter(struct arena *a, double x, const struct pnode *p);

/* ---- queries written outside pat_core.c ---------------------------------- */

/* A P_HOOK node's query is pat_hook_query (pat_ops_struct.c): the functions
 * whose events are a rewrite of their pattern's events over a span (rot,
 * mono, bite, substruct ...). It queries kids with pat_sub_query and adds
 * events with pat_sub_push; both keep the query's context, environment and
 * seed (struct pat_sub, private to pat_core.c). */
struct pat_sub;
int pat_sub_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                  struct pat_evbuf *out);
/* A new event at the end of out (NULL, the query failed: at a limit). */
struct pat_ev *pat_sub_push(const struct pat_sub *s, struct pat_evbuf *out);
struct arena *pat_sub_arena(const struct pat_sub *s);
/* Stop the query with PAT_ERR_SILENT and msg (a static string); returns it. */
int pat_sub_fail(const struct pat_sub *s, const char *msg);
int pat_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                   struct pat_evbuf *out);
/* issue 11 tidal5: a count the context keeps across queries for the node of
 * serial id (nTake's onsets before a cycle), only for a node queried outside
 * any function (in a function's body the same node stands for several
 * patterns): get returns 0 and sets *cycle, *count when one is kept. */
int pat_sub_memo_get(const struct pat_sub *s, uint64_t id, int64_t *cycle, int64_t *count);
void pat_sub_memo_set(const struct pat_sub *s, uint64_t id, int64_t cycle, int64_t count);
/* Forget the scratch memory the query has taken since pat_sub_mark (what
 * was queried since is no longer read); the context's caches into it go. */
struct arena_mark pat_sub_mark(const struct pat_sub *s);
void pat_sub_rewind(const struct pat_sub *s, struct arena_mark m);
/* TimeSpan.intersection of [ab, ae) and [bb, be) into *rb, *re: 0 when empty. */
int pat_span_sect(struct rat ab, struct rat ae, struct rat bb, struct rat be, struct rat *rb, struct rat *re);

/* ---- pattern functions: the table (pat_ops.c) ------------------------- */

/* Every pattern function of the language is a row of PAT_OPS:
 *
 *   X(ENUM, "name", class, "kinds", builder, "args", "description", "example")
 *
 * class: PAT_T, a transform (the pattern transformed is an implicit last
 * argument: `fast 2 $ p`); PAT_V, a pattern by itself (`stack [a, b]`,
 * `run 4`); PAT_I, internal (no name: built while querying, through a
 * P_PATARG node, by the named rows that need it).
 *
 * kinds, one letter per explicit argument:
 *   n  a number (a count, probability, offset); may be given as a pattern
 *   t  a time or factor: a number that must also be an exact rational
 *   N  a number as n, but one that is not arrives as NaN, for the builder's
 *      own checks to reject after what the reference decides first (the
 *      silence of euclidOff's 0 steps whatever its pulses)
 *   b  a boolean, by truthiness (internal rows)
 *   f  a function pattern -> pattern     F  a list of functions [f, g]
 *   p  a pattern used as it is (euclidFull's first)
 *   B  a boolean pattern, as p; a "..." string written there is read as
 *      Tidal's Pattern Bool: t/true and f/false are booleans, and the steps
 *      a Euclidean rhythm leaves out are false (issue 11: "t(3,8)" for sew)
 *   L  a list of numbers [3, 5] (foldEvery)
 *   l  (in a PAT_T row) a list of patterns, as VAL_LIST of VAL_NODE (pick)
 *   g  a function that takes one more argument (fast, ($), (~>)), then
 *   V  a list of its arguments: V arrives as the list of the functions
 *      g applied to each (F's form); g itself arrives as nothing (spread)
 *   l  a list of patterns [a, b]          w  a list of (weight, pattern) pairs
 *   W  a list of (pattern, weight) pairs  L  a list of plain numbers [1, 2]
 *   T  a list of (begin, end, pattern) triples (PAT_V rows)
 *   M  a list of lists of plain numbers [[1, 2], [3, 4]] (PAT_V rows)
 *   s  a name (a string: a scale, an arp mode); may be given as a pattern
 *   S  a list of (name, pattern) pairs [("a", p), ("b", q)]
 *   r  a "..." string as written, not read as mini-notation (PAT_V rows)
 *   o  an operator alone, (+) (#) (|+|) (<>): it arrives as a number, its
 *      pat_app op (mode | value op), or -1 for (<>) (overlay), plus
 *      PAT_O_FLIP for flip (-) (PAT_T rows)
 *   U  a list of (name, function) pairs [("fast", fast 2)], as a VAL_LIST
 *      of name, body, name, body ... (PAT_V rows)
 *
 * builder: the function in pat_ops.c that builds the row's pattern from its
 * arguments, unpacked once by pat_op_build (or, for lists, by the evaluator).
 *
 * args: the arguments as the language page shows them, one word per kind
 * letter, "kind:name" with an optional [range] and =default; the names are
 * the arguments' keyword names. description: one line. example: a whole
 * statement that compiles (tests/test_names_pat.c compiles every one).
 *
 * A new pattern function is one row here and its builder in pat_ops.c;
 * the evaluator, "did you mean" and the language page read this table. */
enum pat_op_class { PAT_T, PAT_V, PAT_I };
enum { PAT_O_FLIP = 1 << 12 };      /* an o argument flipped (issue 11 tidal5) */

#define PAT_OPS(X) \
    X(FAST, "fast", PAT_T, "t", op_fast, "t:factor", \
      "speed up: factor cycles of the pattern per cycle (0: silence)", \
      "out: s \"bd sn\" $ fast 2") \
    X(SLOW, "slow", PAT_T, "t", op_slow, "t:factor", \
      "slow down: one cycle of the pattern per factor cycles (0: silence)", \
      "out: s \"bd sn hh cp\" $ slow 2") \
    X(HURRY, "hurry", PAT_T, "t", op_hurry, "t:factor", \
      "speed up and multiply the speed control (pitch) by factor", \
      "out: s \"bd sn\" $ hurry 2") \
    X(EARLY, "rotL", PAT_T, "t", op_early, "t:time", \
      "shift earlier by time cycles (also time <~ p)", \
      "out: s \"bd sn hh\" $ rotL 0.25") \
    X(LATE, "rotR", PAT_T, "t", op_late, "t:time", \
      "shift later by time cycles (also time ~> p)", \
      "out: s \"bd sn hh\" $ rotR 0.25") \
    X(FASTGAP, "fastGap", PAT_T, "t", op_fastgap, "t:factor", \
      "squeeze each cycle into its first 1/factor, leaving a gap", \
      "out: s \"bd sn\" $ fastGap 2") \
    X(COMPRESS, "compress", PAT_T, "tt", op_compress, "t:begin[0,1] t:end[0,1]", \
      "squeeze each cycle into [begin, end) of the cycle", \
      "out: s \"bd sn\" $ compress (0.25, 0.75)") \
    X(ZOOM, "zoom", PAT_T, "tt", op_zoom, "t:begin t:end", \
      "play [begin, end) of each cycle stretched to the whole cycle", \
      "out: s \"bd sn hh cp\" $ zoom (0.25, 0.75)") \
    X(INSIDE, "inside", PAT_T, "tf", op_inside, "t:factor f:transform", \
      "apply transform to the pattern slowed by factor, then speed it back up", \
      "out: s \"bd sn hh cp\" $ inside 2 rev") \
    X(OUTSIDE, "outside", PAT_T, "tf", op_outside, "t:factor f:transform", \
      "apply transform to the pattern sped up by factor, then slow it back down", \
      "out: s \"<bd sn> hh\" $ outside 2 rev") \
    X(REV, "rev", PAT_T, "", op_rev, "", \
      "reverse each cycle", \
      "out: s \"bd sn hh\" $ rev") \
    X(PALINDROME, "palindrome", PAT_T, "", op_palindrome, "", \
      "reverse every other cycle (lastOf 2 rev)", \
      "out: s \"bd sn hh\" $ palindrome") \
    X(ITER, "iter", PAT_T, "n", op_iter, "n:count", \
      "start each cycle 1/count of a cycle later in the pattern than the last", \
      "out: s \"bd sn hh cp\" $ iter 4") \
    X(ITERBACK, "iter'", PAT_T, "n", op_iterback, "n:count", \
      "as iter, moving backwards", \
      "out: s \"bd sn hh cp\" $ iter' 4") \
    X(EVERY, "every", PAT_T, "nf", op_every, "n:count[1,1e9] f:transform", \
      "apply transform on the first of every count cycles (cycle mod count = 0)", \
      "out: every 4 (fast 2) $ s \"bd sn\"") \
    X(EVERYOFF, "every'", PAT_T, "nnf", op_everyoff, "n:count[1,1e9] n:offset f:transform", \
      "apply transform when cycle mod count = offset", \
      "out: every' 4 1 (fast 2) $ s \"bd sn\"") \
    X(LASTOF, "lastOf", PAT_T, "nf", op_lastof, "n:count[1,1e9] f:transform", \
      "apply transform on the last of every count cycles (cycle mod count = count - 1)", \
      "out: lastOf 4 rev $ s \"bd sn hh\"") \
    X(WHENMOD, "whenmod", PAT_T, "ttf", op_whenmod, "t:period t:from f:transform", \
      "apply transform when cycle mod period >= from", \
      "out: whenmod 4 2 (# speed 2) $ s \"bd sn\"") \
    X(CHUNK, "chunk", PAT_T, "nf", op_chunk, "n:count[1,1e5] f:transform", \
      "apply transform to one of count parts of the cycle, the next part each cycle", \
      "out: chunk 4 (hurry 2) $ s \"bd sn hh cp\"") \
    X(CHUNKBACKS, "chunkBack", PAT_T, "nf", op_chunkback_s, "n:count[1,1e5] f:transform", \
      "Strudel's chunkBack: as chunk, the first part first, then backwards from the last " \
      "(Tidal's chunk' starts at the last)", \
      "out: chunkBack 4 (hurry 2) $ s \"bd sn hh cp\"") \
    X(CHUNKBACK, "chunk'", PAT_T, "nf", op_chunkback, "n:count[1,1e5] f:transform", \
      "as chunk, the parts taken from the last backwards, starting with the last (Tidal; Strudel's chunkBack starts with the first)", \
      "out: chunk' 4 (hurry 2) $ s \"bd sn hh cp\"") \
    X(BRAK, "brak", PAT_T, "", op_brak, "", \
      "squash every other cycle into half a cycle, a quarter cycle late", \
      "out: s \"bd sn\" $ brak") \
    X(PLY, "ply", PAT_T, "t", op_ply, "t:factor", \
      "repeat each event factor times inside its own span", \
      "out: s \"bd sn\" $ ply 2") \
    X(OFF, "off", PAT_T, "tf", op_off, "t:time f:transform", \
      "add a copy shifted later by time, with transform applied", \
      "out: s \"bd sn\" $ off 0.125 (# speed 2)") \
    X(SUPERIMPOSE, "superimpose", PAT_T, "f", op_superimpose, "f:transform", \
      "add a copy with transform applied", \
      "out: s \"bd sn\" $ superimpose (fast 2)") \
    X(LAYER, "layer", PAT_T, "F", op_layer, "F:transforms", \
      "play the results of every transform in the list together", \
      "out: s \"bd sn\" $ layer [rev, fast 2]") \
    X(STUT, "stut", PAT_T, "nnt", op_stut, "n:count n:feedback t:time", \
      "count echoes time cycles apart, each one's gain multiplied by feedback", \
      "out: s \"bd sn\" $ stut 3 0.5 0.125") \
    X(ECHO, "echo", PAT_T, "ntn", op_echo, "n:count t:time n:feedback", \
      "as stut with Strudel's argument order", \
      "out: s \"bd sn\" $ echo 3 0.2 0.5") \
    X(ECHOWITH, "echoWith", PAT_T, "ntf", op_echowith, "n:count t:time f:transform", \
      "count copies time cycles apart, transform applied once more to each", \
      "out: s \"bd sn\" $ echoWith 3 0.125 (# speed 2)") \
    X(JUX, "jux", PAT_T, "f", op_jux, "f:transform", \
      "the pattern panned left, the transformed pattern panned right", \
      "out: s \"bd sn hh\" $ jux rev") \
    X(JUXBY, "juxBy", PAT_T, "nf", op_juxby, "n:width[0,1] f:transform", \
      "as jux, the two width apart around the centre", \
      "out: s \"bd sn hh\" $ juxBy 0.5 rev") \
    X(CHOP, "chop", PAT_T, "n", op_chop, "n:parts", \
      "cut every event into parts, each playing its slice of the sample", \
      "out: s \"arpy\" $ chop 4") \
    X(STRIATE, "striate", PAT_T, "t", op_striate, "t:parts", \
      "play slice i of every event's sample in turn, parts times per cycle", \
      "out: s \"arpy bd\" $ striate 4") \
    X(SEGMENT, "segment", PAT_T, "t", op_segment, "t:count", \
      "sample the pattern count times per cycle (discrete events)", \
      "out: n (segment 4 $ irand 8) # s \"arpy\"") \
    X(RANGE, "range", PAT_T, "nn", op_range, "n:low n:high", \
      "scale values from 0..1 to low..high", \
      "out: s \"hh*8\" # gain (range 0.5 1 sine)") \
    X(RANGEX, "rangex", PAT_T, "nn", op_rangex, "n:low n:high", \
      "scale values from 0..1 to low..high exponentially", \
      "out: s \"hh*8\" # speed (rangex 0.5 2 sine)") \
    X(LINGER, "linger", PAT_T, "n", op_linger, "n:fraction", \
      "repeat the first fraction of each cycle to fill the cycle (negative: the last -fraction, reversed, as Tidal)", \
      "out: s \"bd sn hh cp\" $ linger 0.25") \
    X(EUCLID, "euclid", PAT_T, "nn", op_euclid, "n:pulses[-1e4,1e4] n:steps[-1e4,1e4]", \
      "keep the pulses of a Euclidean rhythm (negative pulses: its rests)", \
      "out: s \"bd\" $ euclid 3 8") \
    X(EUCLIDROT, "euclidRot", PAT_T, "nnn", op_euclidrot, "n:pulses n:steps n:rotation", \
      "as euclid, the rhythm rotated left by rotation steps", \
      "out: s \"bd\" $ euclidRot 3 8 2") \
    X(EUCLIDOFF, "euclidOff", PAT_T, "NnN", op_euclidoff, "n:pulses n:steps n:rotation", \
      "as euclidRot (0 steps: silence)", \
      "out: s \"bd\" $ euclidOff 3 8 2") \
    X(EUCLIDFULL, "euclidFull", PAT_T, "nnp", op_euclidfull, "n:pulses n:steps p:on", \
      "pattern on plays on the rhythm's pulses, the pattern transformed on its rests", \
      "out: euclidFull 3 8 (s \"bd\") $ s \"hh\"") \
    X(EUCLIDLEGATO, "euclidLegato", PAT_T, "nN", op_euclidlegato, "n:pulses n:steps", \
      "as euclid, each pulse held until the next", \
      "out: s \"bd\" $ euclidLegato 3 8") \
    X(EUCLIDLEGATOROT, "euclidLegatoRot", PAT_T, "nNN", op_euclidlegatorot, "n:pulses n:steps n:rotation", \
      "as euclidLegato, rotated left by rotation steps", \
      "out: s \"bd\" $ euclidLegatoRot 3 8 1") \
    X(STRUCT, "struct", PAT_T, "B", op_struct, "B:booleans", \
      "the structure of a boolean pattern (its true steps), values from the pattern", \
      "out: s \"bd\" $ struct \"t f t t\"") \
    X(MASK, "mask", PAT_T, "B", op_mask, "B:booleans", \
      "keep the parts of events where the boolean pattern is true", \
      "out: s \"hh*8\" $ mask \"1 0 1 1\"") \
    X(SWINGBY, "swingBy", PAT_T, "nt", op_swingby, "n:amount t:slices", \
      "delay the second half of each of slices parts per cycle by amount/2 of a part", \
      "out: s \"hh*8\" $ swingBy 0.3 4") \
    X(SWING, "swing", PAT_T, "t", op_swing, "t:slices", \
      "swingBy 1/3", \
      "out: s \"hh*8\" $ swing 4") \
    X(SHUFFLE, "shuffle", PAT_T, "n", op_shuffle, "n:parts", \
      "play the cycle's parts in a random order, each once per cycle (Tidal's); an amount between 0 and 1 " \
      "that is not whole (no Tidal meaning) is the phonon family's: each event moved by up to that many cycles", \
      "out: s \"bd sn hh cp\" $ shuffle 4") \
    X(SCRAMBLE, "scramble", PAT_T, "n", op_scramble, "n:parts", \
      "play parts of the cycle chosen at random (with repeats)", \
      "out: s \"bd sn hh cp\" $ scramble 4") \
    X(WITHIN, "within", PAT_T, "nnf", op_within, "n:begin[0,1] n:end[0,1] f:transform", \
      "apply transform to the events starting in [begin, end] of each cycle", \
      "out: s \"bd sn hh cp\" $ within (0, 0.5) (fast 2)") \
    X(DEGRADEBY, "degradeBy", PAT_T, "n", op_degradeby, "n:probability[0,1]", \
      "drop events at random with probability", \
      "out: s \"hh*8\" $ degradeBy 0.3") \
    X(DEGRADE, "degrade", PAT_T, "", op_degrade, "", \
      "degradeBy 0.5", \
      "out: s \"hh*8\" $ degrade") \
    X(UNDEGRADEBY, "unDegradeBy", PAT_T, "n", op_undegradeby, "n:probability[0,1]", \
      "keep the events degradeBy with 1 - probability would drop", \
      "out: s \"hh*8\" $ unDegradeBy 0.3") \
    X(SOMETIMESBY, "sometimesBy", PAT_T, "nf", op_sometimesby, "n:probability[0,1] f:transform", \
      "apply transform to events chosen at random with probability", \
      "out: s \"hh*8\" $ sometimesBy 0.3 (# speed 2)") \
    X(SOMETIMES, "sometimes", PAT_T, "f", op_sometimes, "f:transform", \
      "sometimesBy 0.5", \
      "out: s \"hh*8\" $ sometimes (# speed 2)") \
    X(OFTEN, "often", PAT_T, "f", op_often, "f:transform", \
      "sometimesBy 0.75", \
      "out: s \"hh*8\" $ often (# speed 2)") \
    X(RARELY, "rarely", PAT_T, "f", op_rarely, "f:transform", \
      "sometimesBy 0.25", \
      "out: s \"hh*8\" $ rarely (# speed 2)") \
    X(ALMOSTNEVER, "almostNever", PAT_T, "f", op_almostnever, "f:transform", \
      "sometimesBy 0.1", \
      "out: s \"hh*8\" $ almostNever (# speed 2)") \
    X(ALMOSTALWAYS, "almostAlways", PAT_T, "f", op_almostalways, "f:transform", \
      "sometimesBy 0.9", \
      "out: s \"hh*8\" $ almostAlways (# speed 2)") \
    X(SOMECYCLESBY, "someCyclesBy", PAT_T, "nf", op_somecyclesby, "n:probability[0,1] f:transform", \
      "apply transform to whole cycles chosen at random with probability", \
      "out: s \"bd*4\" $ someCyclesBy 0.3 (# speed 2)") \
    X(SOMECYCLES, "someCycles", PAT_T, "f", op_somecycles, "f:transform", \
      "someCyclesBy 0.5", \
      "out: s \"bd*4\" $ someCycles (# speed 2)") \
    X(SEED, "seed", PAT_T, "n", op_seed, "n:seed", \
      "the pattern's randomness from another seed", \
      "out: s \"hh*8\" $ degradeBy 0.5 $ seed 2") \
    X(REPEATCYCLES, "repeatCycles", PAT_T, "t", op_repeatcycles, "t:count", \
      "play each cycle count times before moving on", \
      "out: s \"<bd sn> hh\" $ repeatCycles 2") \
    X(STACK, "stack", PAT_V, "l", op_stack, "l:patterns", \
      "the patterns played together", \
      "out: stack [s \"bd*2\", s \"hh*4\"]") \
    X(OVERLAY, "overlay", PAT_V, "pp", op_overlay, "p:a p:b", \
      "two patterns played together", \
      "out: overlay (s \"bd*2\") (s \"hh*4\")") \
    X(CAT, "cat", PAT_V, "l", op_cat, "l:patterns", \
      "one cycle of each pattern in turn; over sounds (cat [sine 220, saw 330]), each element's audio in turn, a cycle each (select \"<0 1>\" a b)", \
      "out: cat [s \"bd*2\", s \"sn\"]") \
    X(FASTCAT, "fastcat", PAT_V, "l", op_fastcat, "l:patterns", \
      "all the patterns in turn inside one cycle", \
      "out: fastcat [s \"bd*2\", s \"sn\"]") \
    X(TIMECAT, "timeCat", PAT_V, "w", op_timecat, "w:pairs", \
      "the patterns in turn inside one cycle, each taking its weight's share", \
      "out: timeCat [(1, s \"bd*4\"), (2, s \"hh*8\")]") \
    X(POLYMETER, "polymeter", PAT_V, "l", op_polymeter, "l:patterns", \
      "the patterns with their steps aligned (steps per cycle: the lcm of theirs)", \
      "out: polymeter [s \"bd sn\", s \"hh hh hh\"]") \
    X(RUN, "run", PAT_V, "n", op_run, "n:count", \
      "the numbers 0 .. count-1 inside one cycle", \
      "out: n (run 4) # s \"arpy\"") \
    X(IRAND, "irand", PAT_V, "n", op_irand, "n:count", \
      "random whole numbers 0 .. count-1 (continuous)", \
      "out: n (segment 4 $ irand 8) # s \"arpy\"") \
    X(CHOOSE, "choose", PAT_V, "l", op_choose, "l:values", \
      "a random choice among the values (continuous)", \
      "out: n (segment 4 $ choose [0, 2, 7]) # s \"arpy\"") \
    X(CHOOSECYCLES, "chooseCycles", PAT_V, "l", op_choosecycles, "l:patterns", \
      "one of the patterns, chosen at random each cycle", \
      "out: chooseCycles [s \"bd*2\", s \"hh*4\"]") \
    X(WCHOOSE, "wchoose", PAT_V, "W", op_wchoose, "W:pairs", \
      "a random choice among the values, each as likely as its weight (continuous)", \
      "out: n (segment 4 $ wchoose [(0, 1), (7, 0.5)]) # s \"arpy\"") \
    X(SILENCE, "silence", PAT_V, "", op_silence, "", \
      "no events", \
      "out: silence") \
    PAT_OPS_STRUCT(X) \
    PAT_OPS_COND(X) \
    PAT_OPS_PRED(X) \
    X(WHEN, "", PAT_I, "bf", op_when, "", "", "") \
    X(SOMETIMES_CORE, "", PAT_I, "n", op_sometimes_core, "", "", "") \
    X(SOMECYCLES_CORE, "", PAT_I, "n", op_somecycles_core, "", "", "") \
    X(IRAND_CORE, "", PAT_I, "n", op_irand_core, "", "", "") \
    X(RUN_CORE, "", PAT_I, "t", op_run_core, "", "", "") \
    PAT_OPS_TONAL(X) \
    PAT_OPS_VOICING(X) \
    PAT_OPS_PEER(X) \
    PAT_OPS_TIDAL5(X)

/* issue 11: Strudel's chord symbols and voicings (pat_voicing.c) */
#define PAT_OPS_VOICING(X) \
    X(VOICING, "voicing", PAT_T, "", op_voicing, "", \
      "Strudel's voicing, written a # voicing after the controls: each chord symbol (the chord control, or " \
      "a string: C^7 Dm7 F#m7b5 Bb7#11 Ebadd9 G7sus; m for -, M for ^) becomes the notes of one voicing " \
      "of the dictionary (ireal, the default; ireal-ext lefthand triads guidetones legacy), placed by " \
      "anchor (c5) and mode (below duck above root), moved by offset; with n, the n-th note alone " \
      "(octaves); notes as semitones from c4 where Strudel gives names; an unknown chord plays nothing", \
      "out: n \"0 1 2 3\" # chord \"<C^7 Dm7 G7>\" # voicing # s \"superfm\"")

/* issue 13: the phonon family's pattern transforms (pat_ops_peer.c): a
 * name Tidal or Strudel has keeps their meaning, the others the peer's */
#define PAT_OPS_PEER(X) \
    X(FOCUS, "focus", PAT_T, "tt", op_focus, "t:begin t:end", \
      "Strudel's focus: like compress with no gaps, the cycles from begin's cycle on played so that " \
      "[begin, end) fills each cycle", \
      "out: s \"bd hh sn hh\" $ focus 0.25 0.75") \
    X(STUTTER, "stutter", PAT_T, "nt", op_stutter, "n:count t:time", \
      "Tidal's stutter: count copies, each time cycles after the last, at full volume " \
      "(the phonon family's one-argument stutter n is ply n)", \
      "out: s \"bd sn\" $ stutter 4 (1/16)") \
    X(STRETCH, "stretch", PAT_T, "", op_stretch, "", \
      "Tidal's stretch: each cycle zoomed to the span its events cover, so silence at either end goes", \
      "out: s \"~ bd sn ~\" $ stretch") \
    X(HUMANIZE, "humanize", PAT_T, "nn", op_humanize, "n:time[0,1] n:velocity[0,1]", \
      "the phonon family's humanize: each event moved by up to +-time cycles and a control event's gain " \
      "scaled by 1 - velocity * r, at random (Tidal's rand at the event: the same each run)", \
      "out: s \"hh*8\" $ humanize 0.02 0.3") \
    X(WALK, "walk", PAT_T, "n", op_walk, "n:step", \
      "the phonon family's walk: each number plus a random amount in [-step, step) (p |+ range (-step) step rand)", \
      "out: note (\"0 4 7 12\" $ walk 0.3) # s \"superpwm\"") \
    X(GROOVE, "groove", PAT_T, "sn", op_groove, "s:preset n:amount", \
      "the phonon family's groove templates: each event moved by its 16th's deviation times amount " \
      "(mpc: off-16ths late by 1/32, hiphop, reggae, jazz: off-8ths late by 1/16, drunken)", \
      "out: s \"hh*16\" $ groove \"mpc\" 0.7")

/* issue 11 tidal5: Tidal's ur, nTake, snowball, runMarkov and stripe
 * (builders in pat_ops_tidal5.c; Tidal-only, from Tidal's UI.hs and Params.hs) */
#define PAT_OPS_TIDAL5(X) \
    X(UR, "ur", PAT_V, "npSU", op_ur, "n:cycles p:names S:patterns U:functions", \
      "Tidal's ur: the pattern of names stretched over cycles; each name event plays the pattern of that name " \
      "at its own speed, in the time it runs (not restarted); a name:function event plays it with the function " \
      "applied inside the event's span, restarted at its start (unknown names: silence; unknown functions: none)", \
      "out: ur 4 \"a [a b:double]\" [(\"a\", s \"bd*2\"), (\"b\", s \"hh*3\")] [(\"double\", fast 2)]") \
    X(NTAKE, "nTake", PAT_V, "rL", op_ntake, "r:name L:values", \
      "Tidal's nTake, written # nTake: each onset of the pattern on its left takes the next of the values as n, " \
      "in turn; the counter counts that pattern's onsets from cycle 0 (Tidal's counts from the start of the " \
      "session and is shared by every nTake of that name; here each nTake counts its own; alone, one a cycle). " \
      "A query counts at most 512 cycles: after a reload late in a session it is silent for a few blocks " \
      "while it counts (said as a warning); inside a function nothing is kept, so there it works for cycles 0-511", \
      "out: s \"arpy*4\" # nTake \"a\" [0, 2, 5]") \
    X(SNOWBALL, "snowball", PAT_T, "nof", op_snowball, "n:depth o:combine f:transform", \
      "Tidal's snowball: depth cycles in turn, the pattern, then each the last combined with transform applied " \
      "once more (p, p + f p, (p + f p) + f (f p) ...); combine an operator such as (+) (#) (|+|) (<>)", \
      "out: n (snowball 4 (+) (slow 2 . rev) \"0 ~ 5 3\") # s \"arpy\"") \
    X(RUNMARKOV, "runMarkov", PAT_V, "nMnn", op_runmarkov, "n:steps M:weights n:first n:seed", \
      "Tidal's runMarkov: the list of steps states of a Markov chain from state first, drawn with Tidal's " \
      "timeToRand from seed + k/steps; a list, for listToPat or fromList (as a pattern by itself, fromList)", \
      "out: n (listToPat $ runMarkov 8 [[0.3, 0.7], [0.6, 0.4]] 0 0) # s \"arpy\"") \
    X(STRIPE, "stripe", PAT_T, "n", op_stripe, "n:count", \
      "Tidal's stripe: count repetitions of the pattern per cycle, each a random length (1, 2 or 3 parts by " \
      "Tidal's rand), repetition i of cycle c playing the pattern's cycle c - i * count", \
      "out: s \"bd sn ~ [hh cp]\" $ stripe 3")

/* issue 11 tidal5: l # nTake: the nTake node take with its counter over the
 * onsets of l (NULL when take is not an nTake pattern). */
const struct pnode *pat_ntake_on(struct arena *a, const struct pnode *take, const struct pnode *l);

/* issue 11: tonal (pat_tonal.c; Tidal's tables in pat_tonal.h) */
#define PAT_OPS_TONAL(X) \
    X(SCALE, "scale", PAT_T, "s", op_scale, "s:name", \
      "degrees to semitones in scale name (Tidal's table, scaleList); \"c:minor\" adds a root as " \
      "Strudel does (octave 3 unless given), as semitones from c4 where Strudel gives note names; a note " \
      "name (\"c e\" $ scale \"C:major\") is snapped to the scale's nearest note, and n/note maps get note, as Strudel's " \
      "(with a root, names under note and n are snapped too: note \"c d#\" $ scale \"C:major\" is C3 E3)", \
      "out: n (scale \"<major minor>\" \"0 2 4 7\") # s \"arpy\"") \
    X(TOSCALE, "toScale", PAT_T, "L", op_toscale, "L:steps", \
      "degrees to semitones in the scale given as a list of steps (12 a octave)", \
      "out: n (toScale [0, 2, 7] \"0 1 2 3\") # s \"arpy\"") \
    X(TOSCALEOCT, "toScale'", PAT_T, "nL", op_toscaleoct, "n:octave L:steps", \
      "as toScale, octave semitones an octave", \
      "out: n (toScale' 24 [0, 4, 7, 10, 14, 17] \"0 .. 7\") # s \"arpy\"") \
    X(SCALELIST, "scaleList", PAT_V, "", op_scalelist, "", \
      "one string of every scale name scale knows (phonon query scaleList 0 1 prints it)", \
      "out: s \"arpy\" # unit scaleList") \
    X(ARP, "arp", PAT_T, "s", op_arp, "s:mode", \
      "play the notes of each chord (events sharing a whole) one after another in mode: up down " \
      "updown downup up&down down&up converge diverge disconverge pinkyup pinkyupdown thumbup " \
      "thumbupdown (Tidal's arp: Strudel's arp picks notes by index instead)", \
      "out: n (arp \"<up downup>\" \"c'maj e'min7\") # s \"arpy\"") \
    X(ARPEGGIATE, "arpeggiate", PAT_T, "", op_arpeggiate, "", \
      "arp \"up\": spread the events sharing a whole evenly over it", \
      "out: n (arpeggiate \"c'maj e'min\") # s \"arpy\"") \
    X(ROLLED, "rolled", PAT_T, "", op_rolled, "", \
      "rolledBy 1/4: strum each chord's notes, low to high, over its first quarter", \
      "out: n (rolled \"c'maj e'min\") # s \"arpy\"") \
    X(ROLLEDBY, "rolledBy", PAT_T, "t", op_rolledby, "t:fraction", \
      "start each chord's notes fraction of its length apart in turn, each held to the chord's end " \
      "(negative: high to low)", \
      "out: n (rolledBy \"<0.25 -0.5>\" \"c'maj e'min\") # s \"arpy\"") \
    X(TRANSPOSE, "transpose", PAT_T, "n", op_transpose, "n:semitones", \
      "add semitones to numbers and to the note of control maps; note names are respelled as " \
      "Strudel does (\"c\" up 3 is \"Eb\")", \
      "out: note (transpose \"<0 3>\" \"c e g\") # s \"arpy\"") \
    X(ROOTNOTES, "rootNotes", PAT_T, "n", op_rootnotes, "n:octave", \
      "the root of each chord symbol as a note name in octave (\"C^7\" -> \"C2\"); of the chord control, " \
      "note alone, as semitones from c4 (chord \"C^7\" $ rootNotes 2 is note -24)", \
      "out: note (rootNotes 2 \"<C^7 A7 Dm7 G7>\") # s \"arpy\"") \
    X(SCALETRANSPOSE, "scaleTranspose", PAT_T, "n", op_scaletranspose, "n:steps", \
      "Strudel's: move each note a scale made (a bare value, or note or n) by steps of that scale, " \
      "any number of transforms after it (each event keeps its scale, as Strudel's context); " \
      "steps patterned (structure from the pattern); numbers as scale gives them; a value no scale " \
      "made, or not in its scale, makes the query silent with a warning (Strudel throws)", \
      "out: n (\"0 2 4\" $ scale \"<c:major a:minor>\" $ fast 2 $ scaleTranspose \"<0 2>\") # s \"arpy\"")

/* issue 11: structure and time (Tidal's UI, Control, Core and Simple modules;
 * builders in pat_ops_struct.c). Where Strudel 1.2.6 has the function too,
 * the events are Strudel's unless the description says Tidal's differ. */
#define PAT_OPS_STRUCT(X) \
    X(BITE, "bite", PAT_T, "np", op_bite, "n:slices p:indices", \
      "cut each cycle into slices and play slice i squeezed into each event i of indices", \
      "out: s \"bd*2 [sn cp] hh*3 arpy\" $ bite 4 \"0 2*2 [1 3]\"") \
    X(PLYWITH, "plyWith", PAT_T, "tf", op_plywith, "t:count f:transform", \
      "ply count times, copy k with transform applied k times (Tidal: arpeggiate of the stacked copies)", \
      "out: s \"bd sn\" $ plyWith 3 (|* gain 0.8)") \
    X(ROT, "rot", PAT_T, "n", op_rot, "n:shift", \
      "per cycle, shift the values shift events along, keeping the rhythm (events in time order)", \
      "out: s \"bd sn hh cp\" $ rot \"<1 2>\"") \
    X(MONO, "mono", PAT_T, "", op_mono, "", \
      "monophonic: an event still sounding cuts the start of a later overlapping one", \
      "out: mono $ note \"[0 4 7, 12]\" # s \"superpwm\"") \
    X(LOOPAT, "loopAt", PAT_T, "t", op_loopat, "t:cycles", \
      "slow by cycles, speed divided by cycles, unit \"c\": a sample loop fitted to cycles (Tidal; Strudel also scales by cps)", \
      "out: s \"arpy\" $ loopAt 2 $ chop 4") \
    X(SOAK, "soak", PAT_T, "nf", op_soak, "n:depth f:transform", \
      "depth cycles in turn: the pattern, then transform applied once, twice, ...", \
      "out: s \"bd sn hh\" $ soak 3 (fast 2)") \
    X(DISTRIB, "distrib", PAT_T, "L", op_distrib, "L:layers", \
      "a euclidean rhythm of each layer's pulses over the next layer's pulses: distrib [3, 5, 8]", \
      "out: s \"hh\" $ distrib [3, 5, 8]") \
    X(SPACEOUT, "spaceOut", PAT_T, "L", op_spaceout, "L:lengths", \
      "play the pattern once at each length (in cycles) in turn", \
      "out: s \"bd sn\" $ spaceOut [1, 0.5, 2]") \
    X(SMASH, "smash", PAT_T, "tL", op_smash, "t:parts L:factors", \
      "striate parts, slowed by each factor in turn, one cycle each", \
      "out: s \"arpy bd\" $ smash 4 [2, 3, 4]") \
    X(TRUNC, "trunc", PAT_T, "t", op_trunc, "t:fraction[0,1]", \
      "play only the first fraction of each cycle, silence for the rest", \
      "out: s \"bd sn hh cp\" $ trunc 0.75") \
    X(SPIN, "spin", PAT_T, "n", op_spin, "n:copies", \
      "copies copies, copy i i/copies of a cycle earlier and panned to i/copies", \
      "out: s \"bd sn hh\" $ spin 2") \
    X(SLICE, "slice", PAT_T, "pp", op_slice, "p:slices p:indices", \
      "play slice i of slices of each sample for each event i of indices (begin/end; Tidal, without Strudel's _slices)", \
      "out: s \"arpy\" $ slice 4 \"0 2 1 3\"") \
    X(SPLICE, "splice", PAT_T, "np", op_splice, "n:slices p:indices", \
      "as slice, with speed set (unit \"c\") so each slice lasts its event (Tidal)", \
      "out: s \"arpy\" $ splice 4 \"0 2 1 3\"") \
    X(GAP, "gap", PAT_T, "n", op_gap, "n:parts", \
      "chop into parts, keeping only every other part (Tidal's gap; as Tidal it sets n 1 when unset)", \
      "out: s \"arpy\" $ gap 8") \
    X(WEDGE, "wedge", PAT_T, "tp", op_wedge, "t:fraction[0,1] p:first", \
      "first squashed into the first fraction of each cycle, the pattern into the rest", \
      "out: s \"sn*3\" $ wedge (1/4) (s \"bd*2\")") \
    X(LOOPFIRST, "loopFirst", PAT_T, "", op_loopfirst, "", \
      "repeat the pattern's first cycle (cycle 0) for ever", \
      "out: s \"<bd sn> hh\" $ loopFirst") \
    X(TIMELOOP, "timeLoop", PAT_T, "t", op_timeloop, "t:cycles", \
      "repeat the pattern's first cycles cycles for ever", \
      "out: s \"<bd sn hh cp>\" $ timeLoop 2") \
    X(SUBSTRUCT, "substruct", PAT_T, "p", op_substruct, "p:booleans", \
      "the whole pattern squashed into each true event of booleans", \
      "out: s \"bd sn hh\" $ substruct \"t ~ t t\"") \
    X(QUANTISE, "quantise", PAT_T, "n", op_quantise, "n:steps", \
      "round each number to the nearest multiple of 1/steps (Haskell's round: halves to even)", \
      "out: n (quantise 1 \"0.4 1.6 2.5\") # s \"arpy\"") \
    X(QFLOOR, "qfloor", PAT_T, "n", op_qfloor, "n:steps", \
      "each number down to a multiple of 1/steps", \
      "out: n (qfloor 1 \"0.4 1.6\") # s \"arpy\"") \
    X(QCEILING, "qceiling", PAT_T, "n", op_qceiling, "n:steps", \
      "each number up to a multiple of 1/steps", \
      "out: n (qceiling 1 \"0.4 1.6\") # s \"arpy\"") \
    X(CRUNCH, "crunch", PAT_T, "", op_crunch, "", "# crush 3 (Tidal's Simple)", "out: s \"bd sn\" $ crunch") \
    X(SCRATCH, "scratch", PAT_T, "", op_scratch, "", "rev . chop 32 (Tidal's Simple)", "out: s \"arpy\" $ scratch") \
    X(LOUDER, "louder", PAT_T, "", op_louder, "", "|* gain 1.2 (Tidal's Simple)", "out: s \"bd sn\" $ louder") \
    X(QUIETER, "quieter", PAT_T, "", op_quieter, "", "|* gain 0.8 (Tidal's Simple)", "out: s \"bd sn\" $ quieter") \
    X(SILENT, "silent", PAT_T, "", op_silent, "", "silence (Tidal's Simple)", "out: s \"bd sn\" $ silent") \
    X(SKIP, "skip", PAT_T, "", op_skip, "", "0.25 <~ (Tidal's Simple)", "out: s \"bd sn\" $ skip") \
    X(LEFT, "left", PAT_T, "", op_left, "", "# pan 0 (Tidal's Simple)", "out: s \"bd sn\" $ left") \
    X(RIGHT, "right", PAT_T, "", op_right, "", "# pan 1 (Tidal's Simple)", "out: s \"bd sn\" $ right") \
    X(HIGHER, "higher", PAT_T, "", op_higher, "", "|* speed 1.5 (Tidal's Simple)", "out: s \"bd sn\" $ higher") \
    X(LOWER, "lower", PAT_T, "", op_lower, "", "|* speed 0.75 (Tidal's Simple)", "out: s \"bd sn\" $ lower") \
    X(FASTER, "faster", PAT_T, "", op_faster, "", "hurry 2 (Tidal's Simple)", "out: s \"bd sn\" $ faster") \
    X(SLOWER, "slower", PAT_T, "", op_slower, "", "hurry 0.5 (Tidal's Simple)", "out: s \"bd sn\" $ slower") \
    X(PURE, "pure", PAT_V, "n", op_pure, "n:value", \
      "the value once per cycle (a number, or a string of one word)", \
      "out: n (pure 3) # s \"arpy\"") \
    X(APPEND, "append", PAT_V, "pp", op_append, "p:a p:b", \
      "a for one cycle, then b (slowAppend)", \
      "out: append (s \"bd*2\") (s \"hh*3\")") \
    X(FASTAPPEND, "fastAppend", PAT_V, "pp", op_fastappend, "p:a p:b", \
      "a's cycle then b's, both inside one cycle", \
      "out: fastAppend (s \"bd*2\") (s \"hh*3\")") \
    X(FROMLIST, "fromList", PAT_V, "l", op_fromlist, "l:values", \
      "one value per cycle, in turn (cat)", \
      "out: n (fromList [0, 2, 7]) # s \"arpy\"") \
    X(LISTTOPAT, "listToPat", PAT_V, "l", op_listtopat, "l:values", \
      "the values in turn inside one cycle (fastcat)", \
      "out: n (listToPat [0, 2, 7]) # s \"arpy\"") \
    X(SCAN, "scan", PAT_V, "n", op_scan, "n:count", \
      "run 1, then run 2, ... up to run count, one per cycle", \
      "out: n (scan 4) # s \"arpy\"") \
    X(WEAVE, "weave", PAT_V, "npl", op_weave, "n:cycles p:controls l:patterns", \
      "controls slowed to cycles, each pattern # it with its own offset into the loop", \
      "out: weave 4 (n \"0 1 2 3\") [s \"arpy\", s \"bd*2\"]") \
    X(WEAVEWITH, "weaveWith", PAT_V, "npF", op_weavewith, "n:cycles p:pattern F:transforms", \
      "the pattern slowed to cycles, each transform's result offset by its share of the loop", \
      "out: weaveWith 3 (s \"bd [sn sn:1]\") [fast 2, (# speed 2)]") \
    X(SEQP, "seqP", PAT_V, "T", op_seqp, "T:parts", \
      "each (begin, end, pattern) playing only from cycle begin to end", \
      "out: seqP [(0, 4, s \"bd*2\"), (2, 6, s \"hh*4\")]") \
    X(SEQPLOOP, "seqPLoop", PAT_V, "T", op_seqploop, "T:parts", \
      "seqP looped over its span (Tidal: every loop replays the same cycles; Strudel's does not)", \
      "out: seqPLoop [(0, 2, s \"bd*2\"), (1, 3, s \"hh*4\")]") \
    X(ARRANGE, "arrange", PAT_V, "w", op_arrange, "w:sections", \
      "each (cycles, pattern) for its cycles in turn, looped (Tidal: each section starts at its cycle 0)", \
      "out: arrange [(2, s \"bd*2\"), (1, s \"hh*4\")]") \
    X(NECKLACE, "necklace", PAT_V, "nL", op_necklace, "n:steps L:gaps", \
      "booleans: true then gap - 1 falses for each gap, steps of them per cycle", \
      "out: s \"hh\" $ struct (necklace 8 [3, 3, 2])") \
    X(BINARYN, "binaryN", PAT_V, "np", op_binaryn, "n:bits p:numbers", \
      "the bits of each number (most significant first) as booleans in its event", \
      "out: s \"hh\" $ struct (binaryN 8 \"<5 127>\")") \
    X(BINARY, "binary", PAT_V, "p", op_binary, "p:numbers", \
      "binaryN 8 (Tidal; Strudel's binary uses as many bits as the number needs); the phonon family's " \
      "p $ binary n, a number written after '$' on a pattern, plays p in the cycles whose number has bit n set", \
      "out: s \"hh\" $ struct (binary 5)") \
    X(ASCII, "ascii", PAT_V, "p", op_ascii, "p:words", \
      "the 8 bits of each character of each word, as booleans in its event", \
      "out: s \"hh\" $ struct (ascii \"hi\")") \
    X(ENVL, "envL", PAT_V, "", op_envl, "", \
      "a ramp from 0 to 1 over the first cycle, then 1 (continuous)", \
      "out: s \"hh*8\" # gain envL") \
    X(ENVLR, "envLR", PAT_V, "", op_envlr, "", \
      "1 - envL", \
      "out: s \"hh*8\" # gain envLR") \
    X(ENVEQ, "envEq", PAT_V, "", op_enveq, "", \
      "sqrt (sin (pi/2 * clamp (1 - t))): an equal-power fade over the first cycle", \
      "out: s \"hh*8\" # gain envEq") \
    X(ENVEQR, "envEqR", PAT_V, "", op_enveqr, "", \
      "sqrt (cos (pi/2 * clamp (1 - t))): the equal-power fade the other way", \
      "out: s \"hh*8\" # gain envEqR") \
    X(RAND2, "rand2", PAT_V, "", op_rand2, "", \
      "rand, -1..1 (Strudel)", \
      "out: s \"hh*8\" # pan (rand2 * 0.5 + 0.5)") \
    X(CHEW, "chew", PAT_T, "np", op_chew, "n:slices p:indices", \
      "as bite, each slice's speed scaled by how much its event squashes or stretches it", \
      "out: s \"bd*2 [sn cp] hh*3 arpy\" $ chew 4 \"0 [1 2]\"") \
    X(BEAT, "beat", PAT_T, "nn", op_beat, "n:step n:steps", \
      "each event played in the step-th of steps parts of its cycle", \
      "out: s \"bd\" $ beat \"0,7,10\" 16") \
    X(RANDSLICE, "randslice", PAT_T, "n", op_randslice, "n:slices", \
      "play a random one of slices slices of each sample (chosen per query, as Tidal)", \
      "out: s \"arpy*4\" $ randslice 4") \
    X(SMOOTH, "smooth", PAT_T, "", op_smooth, "", \
      "a continuous glide from each value of a number pattern to the next (Tidal)", \
      "out: s \"hh*16\" # gain (smooth \"0.5 1 0.7\")") \
    X(MARKOVPAT, "markovPat", PAT_V, "nnM", op_markovpat, "n:steps n:first M:weights", \
      "per cycle, steps states of a Markov chain from state first; row i of weights: the chances of going from i to each state (Tidal's runMarkov)", \
      "out: n (markovPat 8 1 [[3, 5, 2], [4, 4, 2], [0, 1, 0]]) # s \"arpy\"") \
    /* issue 11 (h-tidal2): Strudel's cpm, Tidal's string rewriting */ \
    X(CPM, "cpm", PAT_T, "t", op_cpm, "t:cycles", \
      "Strudel's cpm: play cycles cycles a minute whatever the tempo (fast by cycles / 60 / cps, cps the file's tempo)", \
      "out: s \"<bd sn>, hh*2\" $ cpm 90") \
    X(LINDENMAYER, "lindenmayer", PAT_V, "nrr", op_lindenmayer, "n:steps r:rules r:axiom", \
      "Tidal's lindenmayer: rewrite axiom steps times by rules \"a:b,b:ab\" (a character to a string), as one cycle " \
      "of steps, one a character: digits as numbers (Tidal's lindenmayerI), ~ a rest, others one-letter names", \
      "out: n (slow 4 $ lindenmayer 3 \"0:1~~~,1:0~~2~,2:2~1~,~:~~1~\" \"0\") # s \"arpy\"") \
    X(SCAN_CORE, "", PAT_I, "n", op_scan_core, "", "", "") \
    X(MARKOV_CORE, "", PAT_I, "nnL", op_markov_core, "", "", "") \
    X(SLICE_CORE, "", PAT_I, "nn", op_slice_core, "", "", "") \
    X(BINARYN_CORE, "", PAT_I, "n", op_binaryn_core, "", "", "")


/* issue 11: conditionals and selection (builders in pat_ops_cond.c) */
#define PAT_OPS_COND(X) \
    X(UNDEGRADE, "undegrade", PAT_T, "", op_undegrade, "", \
      "undegradeBy 0.5: the events degrade would drop", \
      "out: s \"hh*8\" $ undegrade") \
    X(DEGRADESEED, "degradeSeed", PAT_T, "n", op_degradeseed, "n:seed", \
      "degrade with the random stream of another seed (the pattern's own randomness unchanged)", \
      "out: s \"hh*8\" $ degradeSeed 42") \
    X(WITHINQ, "within'", PAT_T, "nnf", op_withinq, "n:begin[0,1] n:end[0,1] f:transform", \
      "Tidal's within': transform the part [begin, end) of each cycle as if it were a whole cycle", \
      "out: s \"bd sn hh cp\" $ within' (0, 0.5) (fast 2)") \
    X(STRIATEBY, "striateBy", PAT_T, "nn", op_striateby, "n:parts n:length", \
      "striate with overlap: parts copies a cycle, each playing length of the sample from its offset", \
      "out: s \"arpy\" $ striateBy 4 0.5") \
    X(CHOOSEBY, "chooseBy", PAT_V, "pl", op_chooseby, "p:selector[0,1] l:values", \
      "the value at floor(selector * count), with the selector's structure", \
      "out: n (segment 4 $ chooseBy rand [0, 2, 7]) # s \"arpy\"") \
    X(INV, "inv", PAT_T, "", op_inv, "", \
      "invert a boolean pattern (0 becomes true, anything else false: \"f\" is a string, as in Strudel)", \
      "out: s \"bd*4\" $ struct (inv \"1 0 1 1\")") \
    X(SEW, "sew", PAT_T, "Bp", op_sew, "B:booleans p:on", \
      "on where the booleans are true, the pattern where false (both cut to the booleans' steps)", \
      "out: sew \"1 0\" (n \"0*8\") $ n \"7*4\" # s \"arpy\"") \
    X(STITCH, "stitch", PAT_T, "Bp", op_stitch, "B:booleans p:on", \
      "the booleans' structure: values of on at true steps, of the pattern at false steps", \
      "out: stitch \"1 0 1 1\" (s \"bd\") $ s \"hh\"") \
    X(EUCLIDINV, "euclidInv", PAT_T, "nn", op_euclidinv, "n:pulses n:steps", \
      "the rests of a Euclidean rhythm (euclid with -pulses)", \
      "out: s \"hh\" $ euclidInv 3 8") \
    X(CONTRAST, "contrast", PAT_T, "ffp", op_contrast, "f:matched f:other p:controls", \
      "matched on the events whose controls include those of controls (at their onset), other on the rest", \
      "out: s \"bd sn\" $ contrast (# crush 4) (# speed 2) (s \"bd\")") \
    X(FIX, "fix", PAT_T, "fp", op_fix, "f:transform p:controls", \
      "transform the events whose controls include those of controls (contrast transform id)", \
      "out: s \"bd sn hh\" $ fix (fast 2) (s \"hh\")") \
    X(UNFIX, "unfix", PAT_T, "fp", op_unfix, "f:transform p:controls", \
      "transform the events whose controls do not include those of controls", \
      "out: s \"bd sn hh\" $ unfix (# speed 2) (s \"hh\")") \
    X(APPLY, "apply", PAT_T, "f", op_apply, "f:function", \
      "apply the function to the pattern (fmap (+ 1): a section on every value)", \
      "out: n (\"0 2\" $ apply (+ 12)) # s \"arpy\"") \
    X(ALWAYS, "always", PAT_T, "f", op_always, "f:transform", \
      "apply transform always (sometimesBy 1)", \
      "out: s \"hh*4\" $ always (# speed 2)") \
    X(GHOST, "ghost", PAT_T, "", op_ghost, "", \
      "ghost' 0.125", \
      "out: s \"sn\" $ ghost") \
    X(GHOSTQ, "ghost'", PAT_T, "t", op_ghostq, "t:time", \
      "quieter, shorter, higher ghost notes 1.5 and 2.5 times time after each event", \
      "out: s \"sn\" $ ghost' 0.0625") \
    X(GHOSTWITH, "ghostWith", PAT_T, "tf", op_ghostwith, "t:time f:transform", \
      "superimpose copies transformed and shifted 1.5 and then 2.5 times time later", \
      "out: s \"sn\" $ ghostWith 0.125 (# speed 2)") \
    X(PICKF, "pickF", PAT_T, "nF", op_pickf, "n:index F:transforms", \
      "apply the transform at index (wrapping) in the list", \
      "out: s \"bd sn\" $ pickF \"<0 1>\" [rev, fast 2]") \
    X(SELECTF, "selectF", PAT_T, "nF", op_selectf, "n:position[0,1] F:transforms", \
      "apply the transform at floor(position * count) in the list", \
      "out: s \"bd sn\" $ selectF \"<0 0.5>\" [rev, fast 2]") \
    X(SELECT, "select", PAT_V, "pl", op_select, "p:position[0,1] l:patterns", \
      "the pattern at floor(position * (count - 1)) in the list, position clamped to 0..1 (inner join)", \
      "out: select \"<0 1>\" [s \"bd*2\", s \"hh*3\"]") \
    X(PICK, "pick", PAT_T, "l", op_pick, "l:patterns", \
      "Strudel's pick: each index of the pattern (rounded, clamped) plays that pattern of the list (inner join)", \
      "out: s (\"<0 1>\" $ pick [\"bd*2\", \"hh*3\"])") \
    X(SPREAD, "spread", PAT_T, "gV", op_spread, "g:function V:arguments", \
      "one cycle each of function applied to each argument in turn (spread ($) [rev, fast 2]: the functions)", \
      "out: s \"bd sn hh\" $ spread fast [1, 2]") \
    X(FASTSPREAD, "fastspread", PAT_T, "gV", op_fastspread, "g:function V:arguments", \
      "as spread, all of them in turn inside one cycle", \
      "out: s \"bd sn hh\" $ fastspread ($) [rev, fast 2]") \
    X(SPREADF, "spreadf", PAT_T, "F", op_spreadf, "F:transforms", \
      "spread ($): one cycle of each transform in turn", \
      "out: s \"bd sn hh\" $ spreadf [rev, fast 2]") \
    X(FIT, "fit", PAT_V, "nlp", op_fit, "n:step l:values p:indices", \
      "Tidal's fit: each index plus step times its cycle number picks from the values (wrapping); not Strudel's fit (the phonon family's one-argument fit n, used as a transform, is slow n)", \
      "out: n (fit 1 [0, 2, 7] \"0 1\") # s \"arpy\"") \
    X(INHABIT, "inhabit", PAT_V, "Sp", op_inhabit, "S:pairs p:names", \
      "each name event plays a whole cycle of the pattern of that name squeezed into it (unknown names: silence)", \
      "out: inhabit [(\"a\", s \"bd*2\"), (\"b\", s \"hh*3\")] \"a [b a]\"") \
    X(SQUEEZE, "squeeze", PAT_V, "pl", op_squeeze, "p:index l:patterns", \
      "each index event (rounded, wrapping) plays a whole cycle of that pattern squeezed into the event", \
      "out: s (squeeze \"0 [1 0]\" [\"bd sn\", \"hh*3\"])") \
    X(SOMETIMESBYQ, "sometimesBy'", PAT_T, "nf", op_sometimesbyq, "n:probability[0,1] f:transform", \
      "as sometimesBy, transform applied to the whole pattern before the events are chosen", \
      "out: s \"hh*8\" $ sometimesBy' 0.3 (# speed 2)") \
    X(SOMETIMESQ, "sometimes'", PAT_T, "f", op_sometimesq, "f:transform", \
      "sometimesBy' 0.5", \
      "out: s \"hh*8\" $ sometimes' (# speed 2)") \
    X(OFTENQ, "often'", PAT_T, "f", op_oftenq, "f:transform", \
      "sometimesBy' 0.75", \
      "out: s \"hh*8\" $ often' (# speed 2)") \
    X(RARELYQ, "rarely'", PAT_T, "f", op_rarelyq, "f:transform", \
      "sometimesBy' 0.25", \
      "out: s \"hh*8\" $ rarely' (# speed 2)") \
    X(ALMOSTALWAYSQ, "almostAlways'", PAT_T, "f", op_almostalwaysq, "f:transform", \
      "sometimesBy' 0.9", \
      "out: s \"hh*8\" $ almostAlways' (# speed 2)") \
    X(WCHOOSEBY, "wchooseBy", PAT_V, "pW", op_wchooseby, "p:selector[0,1] W:pairs", \
      "the value whose running total of weights first exceeds selector * total, with the selector's structure", \
      "out: n (segment 4 $ wchooseBy rand [(0, 1), (7, 0.5)]) # s \"arpy\"") \
    X(WRANDCAT, "wrandcat", PAT_V, "W", op_wrandcat, "W:pairs", \
      "one of the patterns each cycle, each as likely as its weight (events cut to the cycle)", \
      "out: wrandcat [(s \"bd*2\", 3), (s \"hh*4\", 1)]") \
    X(CYCLECHOOSE, "cycleChoose", PAT_V, "l", op_cyclechoose, "l:values", \
      "a random choice among the values, one per cycle (segment 1 $ choose values)", \
      "out: n (cycleChoose [0, 2, 7]) # s \"arpy\"") \
    X(FOLDEVERY, "foldEvery", PAT_T, "Lf", op_foldevery, "L:counts f:transform", \
      "every n1 transform (every n2 transform ...): applied once per count that divides the cycle", \
      "out: foldEvery [3, 5] (|+ n 12) $ n \"0 7\" # s \"arpy\"")

/* issue 11: Tidal's functions with a test (a predicate: a section such as
 * (> 2) or (== 0) . (`mod` 4), or even, odd), and the rest of Tidal's
 * conditionals and structure (pat_ops_pred.c). */
#define PAT_OPS_PRED(X) \
    X(TWHEN, "when", PAT_T, "ff", op_twhen, "f:test f:transform", \
      "Tidal's when: transform the cycles whose number passes test (when (> 2), when even, " \
      "when ((== 0) . (`mod` 4))); not Strudel's when, which takes a boolean pattern", \
      "out: s \"bd sn\" $ when ((== 3) . (`mod` 4)) (fast 2)") \
    X(WHENT, "whenT", PAT_T, "ff", op_whent, "f:test f:transform", \
      "transform the events whose onset (a time in cycles) passes test; Tidal tests the start of " \
      "each query, which its scheduler makes the onset", \
      "out: s \"hh*8\" $ whenT ((< 0.5) . (`mod'` 2)) (# speed 2)") \
    X(IFP, "ifp", PAT_T, "fff", op_ifp, "f:test f:then f:else", \
      "then on the cycles whose number passes test, else on the others", \
      "out: s \"bd sn\" $ ifp ((== 0) . (flip mod 2)) (striate 4) (# coarse \"24 48\")") \
    X(FILTERVALUES, "filterValues", PAT_T, "f", op_filtervalues, "f:test", \
      "keep the events whose value passes test", \
      "out: n (filterValues (>= 2) \"0 1 2 3\") # s \"arpy\"") \
    X(FILTERWHEN, "filterWhen", PAT_T, "f", op_filterwhen, "f:test", \
      "keep the events whose whole starts at a time (in cycles) that passes test", \
      "out: s \"bd*4\" $ filterWhen (>= 0.5)") \
    X(WHILE, "while", PAT_T, "Bf", op_while, "B:booleans f:transform", \
      "transform where the booleans are true (sew booleans (transform p) p)", \
      "out: s \"hh*8\" $ while \"1 0\" (# speed 2)") \
    X(EVEN, "even", PAT_T, "", op_even, "", \
      "true for even numbers (a test: when even (fast 2))", \
      "out: s \"bd sn\" $ when even (fast 2)") \
    X(ODD, "odd", PAT_T, "", op_odd, "", \
      "true for odd numbers", \
      "out: s \"bd sn\" $ when odd rev") \
    X(ELEM, "elem", PAT_T, "p", op_elem, "p:item", \
      "true where the value is a list holding item, or a text holding it (Haskell's elem on a " \
      "String: a character, written '4' or \"4\")", \
      "out: s \"hh sn\" $ when ((elem '4') . show) (striate 4)") \
    X(SHOW, "show", PAT_T, "", op_show, "", \
      "the value's text: a number's digits (Haskell's show on an Int; a test: (elem '4') . show)", \
      "out: s \"bd sn\" $ when ((elem '1') . show) (fast 2)") \
    X(RESET, "reset", PAT_T, "B", op_reset, "B:booleans", \
      "each true event plays the pattern from its own position in a cycle, cut to the event " \
      "(Tidal's reset; Strudel's pat.reset(booleans)); with a number n (the phonon family's), restart " \
      "(slow n \"t\"): from cycle 0 every n cycles", \
      "out: s \"bd sn hh cp\" $ reset \"<t [~ t]>\"") \
    X(RESTART, "restart", PAT_T, "B", op_restart, "B:booleans", \
      "each true event plays the pattern from its cycle 0, cut to the event (Tidal's restart); with a " \
      "number n, restart (slow n \"t\")", \
      "out: s \"<bd sn> hh\" $ restart \"t . ~ t\"") \
    X(ID, "id", PAT_T, "", op_id, "", \
      "the pattern unchanged (Haskell's id: layer [id, rev], every 2 id)", \
      "out: s \"bd sn\" $ layer [id, fast 2]") \
    X(SIG, "sig", PAT_V, "f", op_sig, "f:function", \
      "a continuous pattern: function applied to the time in cycles (sig (* 0.5), sig ((/ 4) . (`mod'` 4))); " \
      "Tidal's sig takes any Haskell function of time, this one the language's functions of patterns", \
      "out: s \"hh*8\" # speed (segment 8 $ sig ((+ 1) . (`mod'` 1)))")

/* Other spellings of rows of PAT_OPS: X("alias", ENUM, "example"). */
#define PAT_OP_ALIASES(X) \
    X("density", FAST, "out: s \"bd sn\" $ density 2") \
    X("sparsity", SLOW, "out: s \"bd sn hh cp\" $ sparsity 2") \
    X("undegradeBy", UNDEGRADEBY, "out: s \"hh*8\" $ undegradeBy 0.3") \
    X("fastgap", FASTGAP, "out: s \"bd sn\" $ fastgap 2") \
    X("iterBack", ITERBACK, "out: s \"bd sn hh cp\" $ iterBack 4") \
    X("firstOf", EVERY, "out: firstOf 4 (fast 2) $ s \"bd sn\"") \
    X("echowith", ECHOWITH, "out: s \"bd sn\" $ echowith 3 0.125 (# speed 2)") \
    X("stutWith", ECHOWITH, "out: s \"bd sn\" $ stutWith 3 0.125 (# speed 2)") \
    X("juxby", JUXBY, "out: s \"bd sn hh\" $ juxby 0.5 rev") \
    X("euclidrot", EUCLIDROT, "out: s \"bd\" $ euclidrot 3 8 2") \
    X("seg", SEGMENT, "out: n (seg 4 $ irand 8) # s \"arpy\"") \
    X("slowcat", CAT, "out: slowcat [s \"bd*2\", s \"sn\"]") \
    X("timecat", TIMECAT, "out: timecat [(1, s \"bd*4\"), (2, s \"hh*8\")]") \
    X("randcat", CHOOSECYCLES, "out: randcat [s \"bd*2\", s \"hh*4\"]") \
    /* issue 11: structure and time */ \
    X("qround", QUANTISE, "out: n (qround 1 \"0.4 1.6\") # s \"arpy\"") \
    X("slowAppend", APPEND, "out: slowAppend (s \"bd*2\") (s \"hh*3\")") \
    X("slowappend", APPEND, "out: slowappend (s \"bd*2\") (s \"hh*3\")") \
    X("fastappend", FASTAPPEND, "out: fastappend (s \"bd*2\") (s \"hh*3\")") \
    X("fastFromList", LISTTOPAT, "out: n (fastFromList [0, 2, 7]) # s \"arpy\"") \
    X("loopat", LOOPAT, "out: s \"arpy\" $ loopat 2 $ chop 4") \
    X("plywith", PLYWITH, "out: s \"bd sn\" $ plywith 3 (|* gain 0.8)") \
    /* issue 11: aliases Tidal and Strudel users type */ \
    X("early", EARLY, "out: s \"bd sn hh\" $ early 0.25") \
    X("late", LATE, "out: s \"bd sn hh\" $ late 0.25") \
    X("seq", FASTCAT, "out: seq [s \"bd*2\", s \"sn\"]") \
    X("sequence", FASTCAT, "out: sequence [s \"bd*2\", s \"sn\"]") \
    X("fastCat", FASTCAT, "out: fastCat [s \"bd*2\", s \"sn\"]") \
    X("slowCat", CAT, "out: slowCat [s \"bd*2\", s \"sn\"]") \
    X("slowChunk", CHUNK, "out: slowChunk 4 (hurry 2) $ s \"bd sn hh cp\"") \
    X("zoomArc", ZOOM, "out: s \"bd sn hh cp\" $ zoomArc (0.25, 0.75)") \
    X("iterback", ITERBACK, "out: s \"bd sn hh cp\" $ iterback 4") \
    X("nothing", SILENCE, "out: nothing") \
    X("stut'", ECHOWITH, "out: s \"bd sn\" $ stut' 3 0.125 (# speed 2)") \
    X("eoff", EUCLIDOFF, "out: s \"bd\" $ eoff 3 8 2") \
    X("discretise", SEGMENT, "out: n (discretise 4 $ irand 8) # s \"arpy\"") \
    X("somecyclesBy", SOMECYCLESBY, "out: s \"bd*4\" $ somecyclesBy 0.3 (# speed 2)") \
    X("fmap", APPLY, "out: n (\"0 2\" $ fmap (+ 12)) # s \"arpy\"") \
    X("almostNever'", ALMOSTNEVER, "out: s \"hh*8\" $ almostNever' (# speed 2)") \
    X("somecycles", SOMECYCLES, "out: s \"bd*4\" $ somecycles (# speed 2)") \
    X("ghost''", GHOSTWITH, "out: s \"sn\" $ ghost'' 0.125 (# speed 2)") \
    X("wchooseCycles", WRANDCAT, "out: wchooseCycles [(s \"bd*2\", 3), (s \"hh*4\", 1)]") \
    X("slowspread", SPREAD, "out: s \"bd sn hh\" $ slowspread (~>) [0, 0.25]") \
    X("withValue", APPLY, "out: n (\"0 2\" $ withValue (* 2)) # s \"arpy\"") \
    X("signal", SIG, "out: s \"hh*8\" # pan (segment 8 $ signal (`mod'` 1))") \
    X("fromMaybes", FASTCAT, "out: n (fromMaybes [Just 0, Nothing, Just 2]) # s \"arpy\"") \
    X("Just", PURE, "out: n (fromMaybes [Just 0, Just 2]) # s \"arpy\"") \
    X("Nothing", SILENCE, "out: n (fromMaybes [Just 0, Nothing]) # s \"arpy\"") \
    X("not", INV, "out: s \"bd sn\" $ when (not . even) (fast 2)") \
    PAT_OP_ALIASES_TONAL(X) \
    PAT_OP_ALIASES_PEER(X)

/* issue 13: the phonon family's names for rows Tidal spells otherwise (the
 * peer's own definitions are these: dup n is fast n, wait t is late t, trim
 * and focus's zoom, mirror is palindrome, compressGap is compress meant) */
#define PAT_OP_ALIASES_PEER(X) \
    X("dup", FAST, "out: s \"bd\" $ dup 4") \
    X("wait", LATE, "out: s \"bd sn hh\" $ wait 0.25") \
    X("trim", ZOOM, "out: s \"bd sn hh cp\" $ trim 0.25 0.75") \
    X("mirror", PALINDROME, "out: s \"bd sn hh\" $ mirror") \
    X("compressGap", COMPRESS, "out: s \"bd sn hh\" $ compressGap 0 0.5") \
    X("quantize", QUANTISE, "out: n (quantize 4 \"0.3 1.6\") # s \"arpy\"")

/* issue 11: tonal */
#define PAT_OP_ALIASES_TONAL(X) \
    X("arpg", ARPEGGIATE, "out: n (arpg \"c'maj e'min\") # s \"arpy\"") \
    X("trans", TRANSPOSE, "out: note (trans 3 \"c e g\") # s \"arpy\"") \
    X("scaleTrans", SCALETRANSPOSE, "out: n (scaleTrans 1 $ scale \"c:major\" \"0 2\") # s \"arpy\"") \
    X("strans", SCALETRANSPOSE, "out: n (strans 1 $ scale \"c:major\" \"0 2\") # s \"arpy\"")

#define PAT_OP_ENUM(e, name, cls, kinds, fn, args, desc, ex) PAT_OP_##e,
enum pat_opcode { PAT_OPS(PAT_OP_ENUM) PAT_OP_COUNT };
#undef PAT_OP_ENUM

/* Copies, parts and chunks one transform may make of a pattern (chop,
 * striate, stut, echo, chunk, shuffle): more is an error as written. */
enum { PAT_MAX_COPIES = 100000 };
/* Explicit arguments of a row, at most (the longest kinds string). */
enum { PAT_MAX_ARGS = 4 };

/* The opcode of a language name ("every'", an alias such as "density"), or
 * -1. Internal rows have no name. *spelling (may be NULL) gets the table's
 * copy of the name as written (the alias's, for an alias). */
int pat_op_find(const char *name, const char **spelling);
int pat_op_lookup(const char *name);        /* pat_op_find(name, NULL) */
const char *pat_op_name(int op);            /* the row's name ("" internal, "?" unknown) */
const char *pat_op_args(int op);            /* the kinds string */
enum pat_op_class pat_op_class(int op);
/* Is kind letter k a number argument (n, t, N: a constant or a pattern)? */
static inline int pat_kind_is_number(char k) { return k == 'n' || k == 't' || k == 'N'; }

/* Build transform `op` with constant arguments args[0..nargs) (VAL_NUM for n
 * and t, VAL_NODE for f and p, VAL_LIST of VAL_NODE for F) applied to
 * pattern p. Returns NULL with *err set (a static string) when an argument
 * is invalid as written ("every: the count must be a positive integer"), or
 * with *err NULL when the arena is exhausted. fn: an internal row's function
 * (P_PATARG's). */
const struct pnode *pat_op_build(struct arena *a, int op, const struct val *args, int nargs,
                                 const struct pnode *fn, const struct pnode *p, const char **err);
/* The same when some `n` arguments are patterns: argpats[i] is the pattern of
 * argument i, or NULL when args[i] is a constant. With no pattern among them
 * this is pat_op_build; otherwise a P_PATARG node that builds the transform
 * per argument event while querying. */
const struct pnode *pat_op_apply(struct arena *a, int op, const struct val *args,
                                 const struct pnode *const *argpats, int nargs,
                                 const struct pnode *p, const char **err);

/* The list argument of a PAT_V row (kinds l, w, W, T), as the evaluator
 * unpacks it: items[i] with, for l, steps[i] (the steps per cycle of item i,
 * 0 when unknown); for w, times[i] (its weight); for W, weights[i]. */
struct pat_list {
    const struct pnode *const *items;
    const struct rat *steps;
    const struct rat *times;
    const double *weights;
    const struct rat *ends;     /* T: the end of item i (its begin in times) */
    const char *const *names;       /* S: the name of items[i] */
    int n;
};
/* Build PAT_V row `op`: args[i] for n (VAL_NUM, or VAL_NONE with
 * argpats[i] its pattern) and p (VAL_NODE); list for l, w and W. NULL with
 * *err as pat_op_build. */
const struct pnode *pat_value_build(struct arena *a, int op, const struct val *args,
                                    const struct pnode *const *argpats, const struct pat_list *list,
                                    const char **err);

/* Patterns that are not transforms of a pattern. */
const struct pnode *pat_irand(struct arena *a, struct val n, const struct pnode *npat);
const struct pnode *pat_run(struct arena *a, struct val n, const struct pnode *npat, const char **err);
const struct pnode *pat_choose(struct arena *a, const struct pnode *const *xs, int n, int cycles);
const struct pnode *pat_wchoose(struct arena *a, const struct pnode *const *xs, const double *w,
                                int n, const char **err);
/* polymeter: steps[i] is the steps per cycle of kids[i] (0: unknown, ignored). */
const struct pnode *pat_polymeter(struct arena *a, const struct pnode *const *kids,
                                  const struct rat *steps, int n);
/* A control pattern: {name: v} for each value of p (names as FM_CONTROL). */
const struct pnode *pat_control(struct arena *a, const char *names, int note, const struct pnode *p);

/* ---- continuous signals: the table (pat_ops.c) -------------------------- */

/* Tidal's continuous patterns, written bare (`# lpf (range 200 2000 sine)`):
 *
 *   X(ENUM, "name", builder, bipolar, osc, "description", "example")
 *
 * builder(arena, bipolar) makes the signal, 0..1 or, bipolar, -1..1; osc is
 * 1 for the shapes that are also oscillators when given a frequency (the
 * compiler's side: `sine 440`), 0 for rand and perlin. */
#define PAT_SIGNALS(X) \
    X(SINE, "sine", sig_sine, 0, 1, "a sine wave, one period per cycle, 0..1", \
      "out: s \"hh*8\" # gain (range 0.5 1 sine)") \
    X(COSINE, "cosine", sig_cosine, 0, 1, "sine a quarter cycle earlier, 0..1", \
      "out: s \"hh*8\" # gain (range 0.5 1 cosine)") \
    X(SAW, "saw", sig_saw, 0, 1, "a ramp up from 0 to 1 each cycle", \
      "out: s \"hh*8\" # gain (range 0.5 1 saw)") \
    X(ISAW, "isaw", sig_isaw, 0, 1, "a ramp down from 1 to 0 each cycle", \
      "out: s \"hh*8\" # gain (range 0.5 1 isaw)") \
    X(TRI, "tri", sig_tri, 0, 1, "a triangle, 0 up to 1 and back each cycle", \
      "out: s \"hh*8\" # gain (range 0.5 1 tri)") \
    X(SQUARE, "square", sig_square, 0, 1, "0 for the first half of each cycle, 1 for the second", \
      "out: s \"hh*8\" # gain (range 0.5 1 square)") \
    X(RAND, "rand", sig_rand, 0, 0, "a random value 0..1 for each moment (the same at the same time)", \
      "out: s \"hh*8\" # gain (range 0.5 1 rand)") \
    X(PERLIN, "perlin", sig_perlin, 0, 0, "smooth noise 0..1, a new random point each cycle", \
      "out: s \"hh*8\" # gain (range 0.5 1 perlin)") \
    X(SINE2, "sine2", sig_sine, 1, 1, "sine, -1..1", \
      "out: s \"hh*8\" # pan (sine2 * 0.5 + 0.5)") \
    X(COSINE2, "cosine2", sig_cosine, 1, 1, "cosine, -1..1", \
      "out: s \"hh*8\" # pan (cosine2 * 0.5 + 0.5)") \
    X(SAW2, "saw2", sig_saw, 1, 1, "saw, -1..1", \
      "out: s \"hh*8\" # pan (saw2 * 0.5 + 0.5)") \
    X(ISAW2, "isaw2", sig_isaw, 1, 1, "isaw, -1..1", \
      "out: s \"hh*8\" # pan (isaw2 * 0.5 + 0.5)") \
    X(TRI2, "tri2", sig_tri, 1, 1, "tri, -1..1", \
      "out: s \"hh*8\" # pan (tri2 * 0.5 + 0.5)") \
    X(SQUARE2, "square2", sig_square, 1, 1, "square, -1..1", \
      "out: s \"hh*8\" # pan (square2 * 0.5 + 0.5)")

#define PAT_SIG_ENUM(e, name, fn, bipolar, osc, desc, ex) PAT_SIG_##e,
enum pat_signame { PAT_SIGNALS(PAT_SIG_ENUM) PAT_SIG_COUNT };
#undef PAT_SIG_ENUM

/* The row of a signal name, or -1. */
int pat_signal_lookup(const char *name);
const char *pat_signal_name(int sig);
int pat_signal_is_osc(int sig);
/* Row sig's pattern (NULL when a is exhausted or sig is out of range). */
const struct pnode *pat_signal_build(struct arena *a, int sig);
/* The named continuous signal (a row's name), or NULL for other names. */
const struct pnode *pat_named_signal(struct arena *a, const char *name);

/* ---- mini-notation (pat_mini.c) --------------------------------------- */

struct pat_mini_error {
    size_t offset;              /* byte offset in the string */
    long open_offset;           /* an unclosed bracket's offset, or -1 */
    char msg[256];              /* "expected ']' to close '['" (the caller adds where) */
    size_t scratch;             /* bytes the parse's scratch arena grew to: its peak (tests) */
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
/* The same read as Tidal's Pattern Bool (issue 11; the B arguments of
 * pat.h): atoms t and true are true, f and false false, and a Euclidean
 * rhythm's left-out steps are the negation of its value ("t(3,8)" is
 * t f f t f f t f; "f(3,8)" its inverse). */
const struct pnode *pat_mini_parse_bools_at(struct arena *a, const char *s, size_t len, int line, int col,
                                            struct pat_mini_error *err, struct rat *steps);

#endif
