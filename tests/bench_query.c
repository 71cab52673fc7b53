/* tests/bench_query.c -- what querying one block's span costs (not a unit test).
 *
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc tests/bench_query.c src/arena.c src/phonon.c src/lang_*.c \
 *      src/pat_*.c -lm -o bench_query
 *   ./bench_query [-n BLOCKS] [-w WARMUP] [-f FRAMES] [-r RATE] [FILE.ph]
 *
 * The audio thread queries every output's pattern once per block, over the
 * block's span of cycles: FRAMES / RATE seconds (512 / 44100 by default) at
 * the tempo, so FRAMES / RATE * cps cycles (cps 0.5 unless the file sets a
 * tempo). This program does exactly that for consecutive blocks: a fixed,
 * preallocated scratch arena (grow = 0, as on the audio thread) is reset
 * before each block's query; WARMUP blocks are run first and not counted,
 * then BLOCKS blocks are timed one by one with CLOCK_MONOTONIC. It prints,
 * per pattern, the median, P99 and maximum time per block in microseconds
 * and as a share of the block's budget (FRAMES / RATE: 11.6 ms), and the
 * mean number of events per block.
 *
 * Patterns: a dense one (drums with a random layer, every, jux and off), and
 * the pattern expressions of FILE (default patterns/bench/q.ph when it
 * exists, else the expressions that file is written around). A .ph file has
 * buses and outputs that only a compiler gives a meaning to, so the pattern
 * parts are found by evaluating each statement's expression and, where that
 * fails (buses, sound functions), its sub-expressions, keeping the largest
 * ones that are patterns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "arena.h"
#include "lang.h"
#include "pat_eval.h"

enum { MAX_PATTERNS = 64, SCRATCH_BYTES = 8 << 20 };

struct bench_pat {
    char name[72];
    const struct pnode *p;
    double cps;                 /* the tempo it is played at */
};

static struct bench_pat pats[MAX_PATTERNS];
static int npats;

static const char dense[] =
    "s \"[bd*16, hh*32?, ~ sn:3]\" $ every 3 (fast 2) $ jux rev $ off 0.125 (# speed 2)";

/* The expressions of patterns/bench/q.ph, for when the file is absent. */
static const char *const q_exprs[] = {
    "\"800 <300 500 200 999>\" $ fast \"<3 19 3 3 2 8 9>\"",
    "s \"~x(7,17)\" # note \"c4'min7 f3'min7\"",
    "s \"bd(4,17)\"",
    "s \"lt(4,17,2)\"",
};

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + ts.tv_nsec * 1e-3;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* name into dst[cap], cut with "..." when it does not fit. */
static void copy_name(char *dst, size_t cap, const char *name)
{
    size_t n = strlen(name);
    if (n < cap) {
        memcpy(dst, name, n + 1);
        return;
    }
    memcpy(dst, name, cap - 4);
    memcpy(dst + cap - 4, "...", 4);
}

static void add_pattern(const char *name, const struct pnode *p, double cps)
{
    if (npats == MAX_PATTERNS)
        return;
    copy_name(pats[npats].name, sizeof pats[npats].name, name);
    pats[npats].cps = cps;
    pats[npats++].p = p;
}

/* An expression given as text. */
static int add_expr(struct arena *prog, const char *src, double cps)
{
    struct lang_error err = { .file = "<bench>" };
    struct lang_ast *ast = lang_parse_expr(src, strlen(src), "<bench>", &err);
    const struct pnode *p = NULL;
    if (ast) {
        struct pat_eval ev = { .a = prog, .err = &err };
        p = pat_eval_pattern(&ev, lang_ast_stmt(ast, 0)->expr);
    }
    if (!p)
        fprintf(stderr, "bench_query: %s: %d:%d: %s\n", src, err.line, err.col, err.msg);
    else
        add_pattern(src, p, cps);
    lang_ast_free(ast);
    return p ? 0 : -1;
}

/* The largest sub-expressions of n that are patterns by themselves. */
static void collect(struct arena *prog, const struct lang_node *n, const char *file, int line, double cps)
{
    if (n->kind == LANG_NUM || n->kind == LANG_NAME || n->kind == LANG_BUS || n->kind == LANG_KWARG)
        return;
    struct lang_error err = { .file = file };
    struct pat_eval ev = { .a = prog, .err = &err };
    const struct pnode *p = pat_eval_pattern(&ev, n);
    if (p) {
        char text[256];
        FILE *f = fmemopen(text, sizeof text, "w");
        if (f) {
            lang_node_dump(f, n);
            fclose(f);
        }
        text[sizeof text - 1] = 0;
        char name[300];
        snprintf(name, sizeof name, "%s:%d %s", file, line, text);
        add_pattern(name, p, cps);
        return;
    }
    for (int i = 0; i < n->nkids; i++)
        collect(prog, n->kids[i], file, line, cps);
}

static int add_file(struct arena *prog, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    static char src[1 << 20];
    size_t len = fread(src, 1, sizeof src - 1, f);
    fclose(f);
    src[len] = 0;
    struct lang_error err = { .file = path };
    struct lang_ast *ast = lang_parse(src, len, path, &err);
    if (!ast) {
        fprintf(stderr, "%s:%d:%d: error: %s\n", path, err.line, err.col, err.msg);
        return -1;
    }
    double cps = 0.5;                   /* LANGUAGE.md 1: the default tempo */
    for (int i = 0; i < lang_ast_count(ast); i++)
        if (lang_ast_stmt(ast, i)->kind == LANG_STMT_TEMPO)
            cps = lang_ast_stmt(ast, i)->cps;
    for (int i = 0; i < lang_ast_count(ast); i++) {
        const struct lang_stmt *st = lang_ast_stmt(ast, i);
        if (st->expr)
            collect(prog, st->expr, path, st->pos.line, cps);
    }
    lang_ast_free(ast);
    return 0;
}

int main(int argc, char **argv)
{
    int blocks = 10000, warmup = 1000, frames = 512, rate = 44100;
    const char *file = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-n") == 0 && i + 1 < argc)
            blocks = atoi(argv[++i]);
        else if (strcmp(argv[i], "-w") == 0 && i + 1 < argc)
            warmup = atoi(argv[++i]);
        else if (strcmp(argv[i], "-f") == 0 && i + 1 < argc)
            frames = atoi(argv[++i]);
        else if (strcmp(argv[i], "-r") == 0 && i + 1 < argc)
            rate = atoi(argv[++i]);
        else if (argv[i][0] != '-' && !file)
            file = argv[i];
        else {
            fprintf(stderr, "usage: bench_query [-n BLOCKS] [-w WARMUP] [-f FRAMES] [-r RATE] [FILE.ph]\n");
            return 64;
        }
    }
    if (blocks < 100 || warmup < 0 || frames < 1 || rate < 1) {
        fprintf(stderr, "bench_query: need BLOCKS >= 100, FRAMES and RATE >= 1\n");
        return 64;
    }
    struct arena prog, scratch;
    if (arena_init(&prog, 1 << 16, 1, 0) || arena_init(&scratch, SCRATCH_BYTES, 0, 0)) {
        fprintf(stderr, "bench_query: out of memory\n");
        return 70;
    }
    if (add_expr(&prog, dense, 0.5))
        return 70;
    const char *qfile = file ? file : "patterns/bench/q.ph";
    int nbefore = npats;
    if (add_file(&prog, qfile) != 0) {
        if (file) {
            fprintf(stderr, "bench_query: cannot read %s\n", file);
            return 66;
        }
        for (size_t i = 0; i < sizeof q_exprs / sizeof *q_exprs; i++)
            add_expr(&prog, q_exprs[i], 0.5);
        qfile = "the expressions of q.ph";
    } else if (npats == nbefore) {
        fprintf(stderr, "bench_query: %s has no pattern expressions\n", qfile);
    }
    double budget_us = 1e6 * frames / rate;
    printf("query per block: %d frames at %d Hz (budget %.0f us), at the pattern's tempo (cps 0.5 "
           "unless its file sets one)\n", frames, rate, budget_us);
    printf("%d blocks after %d warm-up blocks, fixed %d MiB scratch arena reset per block; patterns: "
           "the dense one, then %s\n", blocks, warmup, SCRATCH_BYTES >> 20, qfile);
    printf("%-58s %5s %8s %8s %8s %8s %7s\n", "pattern", "cps", "median", "p99", "max", "p99", "events");
    printf("%-58s %5s %8s %8s %8s %8s %7s\n", "", "", "us", "us", "us", "budget", "/block");
    double *t = malloc(sizeof *t * (size_t)blocks);
    if (!t)
        return 70;
    int status = 0;
    for (int k = 0; k < npats; k++) {
        struct rat tempo;
        if (rat_from_double(pats[k].cps, &tempo))
            return 70;
        struct rat block = rat_mul(rat_make(frames, rate), tempo);
        long events = 0;
        int errors = 0;
        char msg[sizeof ((struct pat_ctx *)0)->msg] = "";
        for (int b = -warmup; b < blocks; b++) {
            struct rat from = rat_mul(block, rat_int(b + warmup));
            struct rat to = rat_add(from, block);
            struct pat_ctx c;
            struct pat_evbuf ev;
            double t0 = now_us();
            arena_reset(&scratch);
            pat_ctx_init(&c, &scratch);
            int rc = pat_query(&c, pats[k].p, from, to, &ev);
            double dt = now_us() - t0;
            if (rc && rc != PAT_ERR_SILENT) {
                errors++;
                snprintf(msg, sizeof msg, "%s", c.msg);
            }
            if (b >= 0) {
                t[b] = dt;
                events += ev.n;
            }
        }
        qsort(t, (size_t)blocks, sizeof *t, cmp_double);
        double p99 = t[(size_t)blocks * 99 / 100];
        char name[59];
        copy_name(name, sizeof name, pats[k].name);
        printf("%-58s %5g %8.2f %8.2f %8.1f %7.3f%% %7.1f\n", name, pats[k].cps, t[blocks / 2], p99,
               t[blocks - 1], 100 * p99 / budget_us, (double)events / blocks);
        if (errors) {
            printf("  %d blocks failed: %s\n", errors, msg);
            status = 1;
        }
    }
    free(t);
    arena_deinit(&prog);
    arena_deinit(&scratch);
    return status;
}
