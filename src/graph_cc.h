/* graph_cc.h -- the compiler's shared context (private to graph_*.c).
 *
 * The compiler (graph_compile: .ph AST -> struct program) is recursive: an
 * expression's sound function compiles its arguments, which may name buses
 * and instruments, which compile expressions. It is split so that no file
 * calls back into a file above it; from the bottom up:
 *
 *   graph_names.c    the name tables (a leaf: calls nothing of the compiler)
 *   graph_cc.c       this context: values, errors and warnings, adding nodes,
 *                    per-voice ops, instruments and sounds, looking up buses
 *   graph_state.c    node state: allocation, reset, carry-over, freeing
 *   graph_wavconv.c  wavetable's and convolve's sample: its tables
 *   graph_signal.c   values into signals: sound functions into nodes or
 *                    per-voice ops, audio math
 *   graph_instr.c    instruments: a bus compiled as a per-voice program
 *   graph_sound.c    resolve pass: sound names (samples, synths, waves,
 *                    instruments) and players
 *   graph_eval.c     evaluation pass: expressions into values, buses
 *   graph_compile.c  the driver: collect statements and buses, evaluate the
 *                    outputs and buses, allocate, finish the program
 *
 * Each file calls only the files listed above it. Where the recursion has
 * to go back up -- a sound function's argument, an instrument's expression,
 * an instrument's chain after its voices, a sound pattern becoming a player
 * -- it goes through the two hooks of struct cc (eval, play), which the
 * driver sets to graph_eval.c's and graph_sound.c's functions. So the files
 * form no circle, and the order of evaluation (hence every node's index and
 * key) is exactly the order the recursion meets them.
 *
 * Each AST node evaluates to a struct cval:
 *
 *   CV_PX    a value of the pattern language (number, pattern, function ...)
 *   CV_SIG   an audio signal: a graph node
 *   CV_SFN   a sound function and the arguments it has so far (lpf 800,
 *            delay 0.3 0.2, sine 440): applied to an input by `#` or `$`,
 *            or a generator once its arguments are there
 *   CV_VSIG  (instrument mode) a per-voice signal: an op of the instrument
 *
 * Thread context: one compile on one control thread; nothing is shared.
 */
#ifndef GRAPH_CC_H
#define GRAPH_CC_H

#include "graph.h"
#include "graph_names.h"
#include "lang.h"
#include "pat.h"

enum {
    NEST_STACK = 64,                /* buses being compiled, recorded for the cycle error */
    NEST_MAX_DEPTH = 8              /* instrument buses played inside one another */
};

/* ---- compile-time values --------------------------------------------------------- */

enum cvk { CV_PX, CV_SIG, CV_SFN, CV_VSIG };

struct carg;

struct cval {
    enum cvk k;
    struct pat_x px;                /* CV_PX */
    int node;                       /* CV_SIG: node; CV_VSIG: op */
    int nch;                        /* CV_SIG: channels */
    const struct sfn *fn;           /* CV_SFN */
    struct carg *args;              /* CV_SFN: arguments given so far */
    int nargs;
    const struct lang_node *ast;    /* the expression this came from */
    /* CV_PX sound pattern: filters on its audio, one per enum post_flt (the
     * rhs of `# hpf ...`), where a voice cannot run them: a voice has one
     * filter (lpf, or hpf without lpf) and no band-pass. NULL: none. */
    const struct lang_node *post[3];
};

enum post_flt { POST_LPF, POST_HPF, POST_BPF };

struct carg {
    const char *kw;                 /* NULL: positional */
    struct cval v;
    struct lang_pos pos;
};

/* ---- compiler state -------------------------------------------------------------- */

struct cbus {
    const char *name;
    const struct lang_stmt *st;
    int state;                      /* 0 not yet, 1 compiling, 2 done */
    struct cval val;
    int fb;                         /* FEEDBACK node reading this bus, or -1 */
    int used;                       /* referenced by another expression */
    int instr;                      /* its instrument, -1 when not built */
    int instr_state;                /* 0 not yet, 1 building, 2 done */
    int nested;                     /* issue 13: its instrument plays its sound pattern (graph_nest.c) */
};

struct nodebuf {                    /* growable arrays (malloc; copied into the arena at the end) */
    struct gnode *v;
    int n, cap;
};

struct ibuild {                     /* an instrument being built */
    struct vop ops[INSTR_MAX_OPS];
    int nops, nstate;
    int first_osc;                  /* -1 until the first oscillator */
    float f0;
    /* the chain after the voice part: applied to the sum of the voices */
    const struct lang_node *post[16];
    int npost;
};

struct cc {
    struct program *p;
    struct arena *a;
    const struct graph_opts *o;
    struct lang_error *err;
    const struct lang_ast *ast;
    struct nodebuf nodes;
    struct cbus *buses;
    int nbuses;
    int *bus_slots;                 /* open addressing over buses by name: index + 1, 0 empty */
    unsigned bus_mask;              /* slots - 1 (a power of two, at least twice the statements) */
    struct pat_eval pe;
    const char *stmt_name;          /* for node keys */
    int key_seq[N_KIND_COUNT];
    struct ibuild *ib;              /* instrument mode when not NULL */
    int in_param;                   /* instrument mode: evaluating a function's arguments
                                       (parameters, not the voice's signal path) */
    /* the recursion's way back up (set by graph_compile) */
    int (*eval)(struct cc *c, const struct lang_node *n, struct cval *out);     /* eval_expr */
    int (*play)(struct cc *c, const struct pnode *pat, struct lang_pos at);     /* sound_player */
    /* players */
    struct player *players;
    int nplayers, capplayers;
    /* sounds */
    struct instr *instrs;
    const struct lang_node ***posts;    /* per instrument: its chain after the voices */
    int ninstrs, capinstrs;
    struct sound *sounds;
    int nsounds, capsounds;
    int default_instr;
    int depth;
    unsigned warned;                /* per-event controls no voice runs: warned once (bits) */
    /* issue 13, nested instrument buses (graph_nest.c): the buses being
     * compiled (a bus's value, or played as an instrument), innermost last */
    struct { const char *name; int played; } nest[NEST_STACK];
    int nnest;                      /* entries, counted past NEST_STACK too */
    int nplayed;                    /* of them played as instruments */
    int nest_warned;                /* the outer pitch on a nested bus: warned once */
};

/* ---- graph_cc.c: the context ------------------------------------------------------- */

/* Set the compile error (positioned) and return -1. */
int cc_fail(struct cc *c, struct lang_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* A positioned warning: to graph_opts.warn, or printed with the source line. */
void cc_warn(struct cc *c, struct lang_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cc_oom(struct cc *c, struct lang_pos at);

/* Append a node (after its inputs) with the next key of the statement;
 * its index, or -1. */
int cc_node(struct cc *c, int kind, int op, int nch, const int *in, int nin, struct lang_pos at);
int cc_const(struct cc *c, float v, struct lang_pos at);
int cc_nch(struct cc *c, int node);
/* Append a per-voice op to the instrument being built; its index, or -1. */
int cc_vop_add(struct cc *c, int kind, int op, struct lang_pos at);
/* Store a built instrument (and its chain after the voices); its index. */
int cc_add_instr(struct cc *c, const char *name, struct ibuild *ib, int out_op, struct lang_pos at);
/* Append a resolved sound; its index, or -1. */
int cc_add_sound(struct cc *c, const struct sound *snd, struct lang_pos at);

struct cval cc_px_val(const struct pat_x *x, const struct lang_node *ast);
int cc_is_pattern(const struct cval *v);
int cc_is_sound_px(const struct cval *v);
int cc_is_sound_sfn(const struct cval *v);
int cc_is_function(const struct cval *v);
void cc_post_carry(struct cval *r, const struct cval *a, const struct cval *b);
int cc_sets_control(const struct pnode *p, const char *name);
/* The pattern meaning of n (pat_eval), with the compiler's messages. */
/* issue 12: why a SuperDirt or Strudel control phonon lacks is refused, or NULL. */
const char *cc_control_later(const char *name);
int cc_peval(struct cc *c, const struct lang_node *n, struct pat_x *out);
int cc_as_px(struct cc *c, const struct cval *v, struct lang_pos at, struct pat_x *out);

const struct cval *cc_sfn_param(const struct cval *f, int i);
int cc_sfn_check(struct cc *c, const struct cval *f, struct lang_pos at);
int cc_sfn_add_arg(struct cc *c, struct cval *f, const struct cval *arg, const char *kw, struct lang_pos at);

struct cbus *cc_find_bus(struct cc *c, const char *name);
/* The bus table for up to n buses (collect pass); 0 or cc_oom's code. */
int cc_buses_init(struct cc *c, int n);
/* A new bus named name (not there yet), its other fields cleared. */
struct cbus *cc_add_bus(struct cc *c, const char *name);
int cc_unknown_bus(struct cc *c, const char *name, struct lang_pos at);

/* ---- graph_state.c: node memory ---------------------------------------------------- */

/* The allocate pass: the nodes into the program, with buffers and states. */
int state_allocate(struct cc *c, struct program *p);

/* ---- graph_wavconv.c: wavetable's and convolve's sample ------------------------------ */

/* Take the sample argument ("name:n" in quotes, positional in its place or
 * :sample) off sound function f (wavetable, convolve): *name (NULL when
 * there is none) and where it is written. 0, or -1 with an error. */
int wavconv_sample_arg(struct cc *c, struct cval *f, const char **name, struct lang_pos *pos);
/* The tables of a WAVETABLE or CONVOLVE node from sample (NULL: the
 * built-in one), in the arena; a convolver's IR channels raise *nch. NULL
 * with an error (a missing or silent sample). */
const void *wavconv_data(struct cc *c, int kind, const char *sample, struct lang_pos at, int *nch);

/* ---- graph_signal.c: values into signals -------------------------------------------- */

/* The audio signal of a value: node index (>= 0), or -1 with an error. */
int signal_of(struct cc *c, const struct cval *v, struct lang_pos at);
/* The node (or per-voice op) of sound function f on input (NULL: none). */
int signal_sfn(struct cc *c, const struct cval *f, const struct cval *input, struct lang_pos at,
               struct cval *out);
int signal_math_op(enum lang_op op);
int signal_math(struct cc *c, int mop, const struct cval *l, const struct cval *r, struct lang_pos at,
                struct cval *out);

/* ---- graph_instr.c: instruments ------------------------------------------------------ */

/* A bare oscillator name in an instrument's signal path: an oscillator at the note. */
int instr_bare_osc(struct cc *c, const struct lang_node *n, struct cval *out);
/* Build the instrument of an expression (a bus's, or a shorthand's); its
 * index. The chain after its voices is kept for the players to apply. */
int instr_build(struct cc *c, const char *name, const struct lang_node *expr, struct ibuild *ib,
                struct lang_pos at);
/* The instrument whose voices pass shared signal v through their envelope. */
int instr_pass(struct cc *c, const char *name, const struct cval *v, struct lang_pos at);

/* ---- graph_sound.c: the resolve pass -------------------------------------------------- */

/* Whether pat plays samples (*samples) and instruments or synths (*others). */
int sound_kinds(struct cc *c, const struct pnode *pat, struct lang_pos at, int *samples, int *others);
/* A sound pattern's player, with its instruments' chains: the node of its sound. */
int sound_player(struct cc *c, const struct pnode *pat, struct lang_pos at);
int sound_default_instr(struct cc *c);      /* notes without s: a triangle */
/* graph_synthctl.c (issue 12): warn where pat sets a SuperDirt synth
 * argument that the synths it plays (kinds[0..nk), distinct) do not take,
 * or a synth-only one while it plays no synth but others (samples,
 * instruments). */
void check_synth_args(struct cc *c, const struct pnode *pat, struct lang_pos at, const int *kinds, int nk,
                      int others);

/* ---- graph_nest.c: nested instrument buses (issue 13) ---------------------------------- */

/* Enter a bus being compiled (played: as an instrument); -1 with an error
 * past NEST_MAX_DEPTH instruments. nest_leave undoes a successful enter. */
int nest_enter(struct cc *c, const char *name, int played, struct lang_pos at);
void nest_leave(struct cc *c, int played);
/* The error for ~name played while it is being compiled: the cycle, named. */
int nest_cycle(struct cc *c, const char *name, struct lang_pos at);
/* The instrument of bus b when its expression is a sound pattern (its
 * player's sound through each voice's envelope); -2 when it is not one. */
int nest_instr(struct cc *c, struct cbus *b, const char *name, struct lang_pos at);
/* Warn once when pat sets a pitch on events that play a nested bus. */
void nest_warn_pitch(struct cc *c, const struct pnode *pat, const char *name, struct lang_pos at);

/* ---- graph_eval.c: the evaluation pass ------------------------------------------------- */

/* The value of expression n. */
int eval_expr(struct cc *c, const struct lang_node *n, struct cval *out);
/* A bus's value, compiled on first use (a bus reaching itself: FEEDBACK). */
int eval_bus(struct cc *c, struct cbus *b, struct lang_pos at, struct cval *out);
/* A bus that is an effect waiting for its input (~fx $ lpf 800 # hpf 100),
 * used as x # ~fx; played alone it has nothing to process. */
int eval_effect_bus(struct cc *c, struct cbus *b);
/* Does n hold audio no pattern event can carry (buses it names compiled)? -1: error. */
int eval_has_audio(struct cc *c, const struct lang_node *n);
/* pat_eval's hook for ~bus inside a pattern expression. */
int eval_bus_for_pattern(void *user, const char *name, struct lang_pos pos, struct pat_x *out);

#endif
