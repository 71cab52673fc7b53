/* graph.h -- a compiled program: the immutable signal graph the engine runs.
 *
 * graph_compile() turns the AST of a .ph file into one struct program: a
 * flat array of nodes in evaluation order (every node after its inputs;
 * feedback reads the previous block), each with preassigned output buffers
 * and state, plus the tables the voices need (sounds by name, instruments).
 * Everything is allocated in the program's arena when it is compiled; the
 * audio thread only reads the program and writes node buffers and states
 * that belong to it.
 *
 * Signals are blocks of `block` float frames, mono or stereo. Every numeric
 * parameter of a node is an input node: a constant, a pattern rendered as a
 * step signal, a continuous pattern sampled at control rate, or any audio
 * node.
 *
 * Players turn control patterns (s "bd*4" # gain 0.8) into voices. A voice
 * plays a sample, a SuperDirt-style synth, or an instrument: a bus's graph
 * compiled a second time as a per-voice program (struct instr) whose ops run
 * W voices at once, one per SIMD lane (voice.c).
 *
 * Thread context: graph_compile and program_free on a control thread (the
 * watcher in live mode). The engine thread reads a program and writes only
 * its node buffers, node states and the atomic counters.
 */
#ifndef GRAPH_H
#define GRAPH_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "dsp.h"
#include "lang.h"
#include "pat_eval.h"
#include "phonon.h"

struct sample_bank;
struct sample_set;

/* ---- graph nodes --------------------------------------------------------- */

#define GNODE_KINDS(X) \
    X(CONST, "const") X(PATPARAM, "pattern") X(SIGPARAM, "signal") \
    X(OSC, "oscillator") X(FILTER, "filter") X(ENV, "envelope") \
    X(DELAY, "delay") X(REVERB, "reverb") X(PLATE, "plate") X(DISTORT, "distort") \
    X(BITCRUSH, "bitcrush") X(CHORUS, "chorus") X(COMPRESS, "compress") X(LIMIT, "limit") \
    X(PAN, "pan") X(MATH, "math") X(PLAYER, "player") X(VOICESUM, "voices") \
    X(FEEDBACK, "feedback") X(MIX, "mix") \
    /* issue 13: DSP vocabulary (op: enum dsp_more_op) */ X(MORE, "dsp") \
    /* issue 13: a sample's cycle, a sample's impulse response (dsp_wavconv.c) */ \
    X(WAVETABLE, "wavetable") X(CONVOLVE, "convolve")

#define GNODE_ENUM(k, name) N_##k,
enum gnode_kind { GNODE_KINDS(GNODE_ENUM) N_KIND_COUNT };
#undef GNODE_ENUM

enum osc_op { OSC_SINE, OSC_SAW, OSC_SQUARE, OSC_TRI, OSC_PULSE, OSC_FM, OSC_NOISE, OSC_PINK, OSC_BROWN };
enum filter_op { FLT_LPF, FLT_HPF, FLT_BPF, FLT_NOTCH, FLT_MOOG };
enum env_op { ENV_ADSR, ENV_AD, ENV_AR, ENV_LINE, ENV_PERC };
enum math_op { M_ADD, M_SUB, M_MUL, M_DIV, M_MIN, M_MAX, M_CLIP, M_MTOF, M_RANGE, M_NEG };

enum { GNODE_MAX_IN = 10 };            /* parametric_eq: a signal and 9 parameters */

/* How an N_PATPARAM node reads its pattern: numbers, note names as semitones
 * from c4 (0); a gate, 1 during an event and 2 on its first frame (the
 * phonon family's *_trig and gate: graph_run.c run_patgate); numbers, note
 * names as a frequency in Hz (an oscillator's freq: saw "c4 e4"). */
enum patparam_op { PATPARAM_VALUE = 0, PATPARAM_GATE = 1, PATPARAM_HZ = 2 };

struct gnode {
    uint16_t kind;                  /* enum gnode_kind */
    uint16_t op;                    /* osc_op, filter_op, env_op, math_op; PATPARAM: enum
                                       patparam_op */
    uint8_t nch;                    /* output channels, 1 or 2 */
    uint8_t nin;
    int32_t in[GNODE_MAX_IN];       /* input nodes (signal input first, then params) */
    float *out[2];                  /* output buffers, block frames each (out[1] == out[0] for mono) */
    void *state;                    /* kind-specific state (a shared block: program_carry_state) */
    size_t state_size;              /* bytes, carried over on reload when keys match */
    const char *key;                /* stable identity: bus or output name + path */
    const struct pnode *pat;        /* PATPARAM, SIGPARAM, PLAYER */
    float c[2];                     /* CONST: value; OSC: pitch ratio unused */
    int32_t aux;                    /* PLAYER: player index; VOICESUM: its player;
                                       FEEDBACK: the node it reads */
    int32_t aux2;                   /* VOICESUM: instrument index */
    float *prev[2];                 /* nodes read by a FEEDBACK: last block's output */
    const void *data;               /* WAVETABLE, CONVOLVE: their tables (dsp_wavconv.h), built
                                       when compiled, in the arena, read-only */
};

/* The states of the node kinds that keep one (graph_run.c runs them,
 * graph_state.c sizes and resets them); effects keep their dsp_* states. */
struct osc_state { float ph, ph2; uint32_t rng; float b0, b1, b2; };
struct filt_state { float s[2][4]; };
struct env_state { float lv, st, sl, left, pos; int64_t last; };

/* ---- instruments: per-voice programs ----------------------------------------- */

/* An op of an instrument runs W voices at once over lane-interleaved
 * buffers buf[frame * W + lane]. A source is another op's output (>= 0),
 * a constant (VSRC_CONST, value in k[]) or a program node read as a mono
 * signal shared by every voice (<= VSRC_NODE_BASE: node = VSRC_NODE_BASE - src). */
enum { VSRC_CONST = -1, VSRC_NODE_BASE = -2 };

enum vop_kind {
    VO_OSC,         /* op = osc_op; in: freq, [width | mod freq], [index] */
    VO_FILTER,      /* op = filter_op; in: signal, cutoff, q */
    VO_ENV,         /* op = env_op; in: signal (or const 1), params... */
    VO_MATH,        /* op = math_op; in: a, b, [c] */
    VO_DISTORT,     /* in: signal, drive, mix */
    VO_BITCRUSH,    /* in: signal, bits, downsample */
};

enum { VOP_MAX_IN = 5 };

struct vop {
    uint16_t kind, op;
    int16_t in[VOP_MAX_IN];
    float k[VOP_MAX_IN];
    uint16_t st;                    /* first state slot (a slot is W floats) */
    uint16_t nst;                   /* state slots */
    uint8_t pitched;                /* OSC: freq follows the voice's note */
};

enum { INSTR_MAX_OPS = 64, INSTR_MAX_STATE = 160 };

struct instr {
    const char *name;               /* "~name", or the shorthand's position */
    int nops;
    const struct vop *ops;
    int nstate;                     /* state slots per lane */
    int out;                        /* op whose output is the voice */
    float f0;                       /* written frequency of the first oscillator */
    int post;                       /* 1: voices go to their own VOICESUM node (a chain follows) */
};

/* ---- sounds: what an event's s value plays ----------------------------------- */

enum sound_kind { SND_SAMPLE, SND_SYNTH, SND_INSTR, SND_SILENT, SND_MIDI /* s "midi": MIDI out (midi.h) */ };

struct sound {
    const char *name;               /* sorted by name for bsearch */
    int kind;                       /* enum sound_kind */
    const struct sample_set *set;   /* SND_SAMPLE */
    int synth;                      /* SND_SYNTH: enum dsp_synth_kind */
    int instr;                      /* SND_INSTR: index into instrs */
};

/* A player: a control pattern whose events start voices. */
struct player {
    int node;                       /* its N_PLAYER node (output: stereo) */
    const struct pnode *pat;
    const char *key;
    int default_instr;              /* instrument for events with note and no s (-1: default synth) */
    int audible;                    /* its sound reaches an output (not only muted or hushed
                                       ones): MIDI events (midi.h) are sent only then */
    int nsub;                       /* VOICESUM nodes of instruments with a chain */
    const int *sub_instr, *sub_node;
};

/* ---- the program ------------------------------------------------------------------ */

enum { PROGRAM_OUTPUTS = 17 };      /* out (0) and o1..o16 (d1..d16 are the same) */

/* When each output, once and setCycle statement's text last changed (the
 * live reloader keeps the last program's table and hands it to the next
 * compile): a hash of the statement's kind and bytes, and the cycle. */
enum { PROGRAM_STARTS = 64 };
struct program_starts {
    int n;
    uint64_t key[PROGRAM_STARTS];
    double cycle[PROGRAM_STARTS];
};

struct program {
    struct arena arena;
    int sample_rate, block;
    double cps;                     /* cycles per second */
    struct rat cps_rat;             /* the same, exact */
    int nnodes;
    struct gnode *nodes;            /* in evaluation order */
    int nouts;
    const int *outs;                /* nodes summed into the main output */
    int nplayers;
    struct player *players;
    int nsounds;
    const struct sound *sounds;
    struct sample_bank *bank;       /* holds the sample sounds' sets (program_free lets go) */
    int ninstrs;
    const struct instr *instrs;
    int hush;                       /* hush: everything silent */
    int panic;                      /* panic: also kill sounding voices on start */
    int set_cycle;                  /* resetCycles / setCycle N added or changed: on start the */
    struct rat cycle;               /* cycle count jumps to this */
    struct program_starts starts;   /* see struct program_starts */
    float *scratch;                 /* block-sized scratch buffers for params (audio thread) */
    int nscratch;
    atomic_int voices_alive;        /* voices still using this program's instruments */
    uint64_t seq;                   /* set by engine_publish */
    int warnings;                   /* warnings printed while compiling */
    /* players of the program it carried state from (program_carry_state):
     * prev_player[i] is this program's player with the key of that
     * program's player i, or -1; for moving voices over at the switch */
    uint64_t prev_seq;
    int prev_nplayers;
    int *prev_player;
};

struct graph_opts {
    int sample_rate;                /* Hz */
    int block;                      /* frames per block */
    struct sample_bank *bank;       /* resolves sample names (may be NULL: every name missing) */
    int allow_missing;              /* unknown sample names play silence (one warning each) */
    double density;                 /* players' patterns sped up by this (profile --capacity); 0 = 1 */
    /* The program playing before this one (live): its starts table and the
     * cycle now. A statement whose text is in prev keeps its cycle; a new or
     * changed one gets now. NULL (render, check): every statement is new, at 0. */
    const struct program_starts *prev;
    double now;
    /* Warnings: called with a positioned message; NULL prints to stderr. */
    void (*warn)(void *user, const struct lang_error *w);
    void *warn_user;
};

/* Compile a parsed file. Returns NULL with *err filled (positioned) on a
 * compile error: unknown function or bus (with a suggestion), wrong argument
 * count or type, unknown sample name, a value that is wrong as written.
 * err->file must be set by the caller. */
struct program *graph_compile(const struct lang_ast *ast, const struct graph_opts *o,
                              struct lang_error *err);
void program_free(struct program *p);      /* NULL is a no-op */

/* Carry node states (oscillator phases, filter memories, delay lines,
 * reverb tails) over from an older program to a new one, for nodes whose
 * key, kind and size match: the new node takes over the old one's state
 * memory itself (shared, counted), so when the new program starts playing
 * it goes on from the very frame the old one stopped at. Also maps
 * from's players to this program's (prev_player). Control thread, before
 * the new program is published (and after from's seq is set); `from` may
 * be playing (nothing of it is read or written). */
void program_carry_state(struct program *to, const struct program *from);

/* Effects with one instance per channel keep both in one state block: each
 * is its struct, padded to 64 bytes, then its memory (at align64(struct + 1)),
 * padded to 64 bytes. States are 64-byte aligned. */
#define FX_STRIDE(hdr, mem) (phonon_round64(hdr) + phonon_round64(mem))

/* Reset a node's state to silence (after a NaN). Audio thread safe. */
void gnode_reset(struct gnode *n);

/* Node kind names, for messages. */
const char *gnode_kind_name(int kind);

/* ---- running a node ------------------------------------------------------------ */

/* What the node code needs for one block (graph_run.c), filled by the
 * engine. The counters are the engine's: graph_run.c adds to them (relaxed
 * atomics) for what the audio thread cannot print; NULL: not counted. */
enum { GRAPH_MAX_BLOCK = 4096 };    /* the longest block the node code runs */

struct graph_block {
    int frames;                     /* <= GRAPH_MAX_BLOCK */
    int sample_rate;
    struct rat c0, c1;              /* the block's cycle span */
    struct rat cps_rat;
    double cycle0;                  /* c0 as a double */
    double frames_per_cycle;
    struct pat_ctx *pc;             /* pattern queries (fixed scratch arena) */
    _Atomic long *nan_resets;       /* nodes reset after a NaN/Inf */
    _Atomic long *limit_events;     /* pattern queries that hit the event cap */
};

/* Run node i of program p for this block (graph_run.c). Audio thread. */
void graph_run_node(struct program *p, int i, const struct graph_block *gb);

#endif
