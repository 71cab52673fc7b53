/* fixture.h -- what the engine-level tests share (test_rt.c, test_voice.c,
 * test_dsp_more.c, ...): a temporary sample root of synthetic sounds,
 * compiling a .ph source string into a program, and rendering one. Include
 * after cmocka.h (static inline: a test need not use them all). */
#ifndef TESTS_FIXTURE_H
#define TESTS_FIXTURE_H

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"

/* ROOT/NAME/a.wav: a decaying sine of `channels` channels (channel c at
 * (c + 1) hz), 32-bit float at rate sr. */
static inline void fixture_write_wav(const char *root, const char *name, int channels, long frames, double hz, int sr)
{
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a.wav", dir);
    float *x = malloc(sizeof *x * (size_t)(frames * channels));
    assert_non_null(x);
    for (long i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            x[i * channels + c] = (float)(0.5 * sin(2 * 3.14159265358979 * hz * (double)(c + 1) * (double)i / sr) *
                                          exp(-3.0 * (double)i / (double)frames));
    SF_INFO info = { .samplerate = sr, .channels = channels, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    sf_writef_float(sf, x, frames);
    sf_close(sf);
    free(x);
}

/* Remove what fixture_write_wav made under root, and root. */
static inline void fixture_remove(const char *root, const char *const *names, int n)
{
    char p[300];
    for (int i = 0; i < n; i++) {
        snprintf(p, sizeof p, "%s/%s/a.wav", root, names[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        rmdir(p);
    }
    rmdir(root);
}

/* src compiled at rate sr with blocks of `block`; NULL (the error printed)
 * when it does not compile. */
/* A sample root of n mono sounds, names[i] at hz0 * (i + 1) Hz and `frames`
 * long, in /tmp/phonon_TAG_PID (written into root, cap bytes), and a bank
 * over it (NULL on failure). fixture_remove cleans the root up. */
static inline struct sample_bank *fixture_bank(char *root, size_t cap, const char *tag, const char *const *names,
                                               int n, long frames, double hz0, int sr)
{
    snprintf(root, cap, "/tmp/phonon_%s_%d", tag, (int)getpid());
    mkdir(root, 0777);
    for (int i = 0; i < n; i++)
        fixture_write_wav(root, names[i], 1, frames, hz0 * (i + 1), sr);
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    return sample_bank_new(roots, 1, sr, &bo, &serr);
}

static inline struct program *fixture_compile(const char *src, const char *file, struct sample_bank *bank, int sr,
                                              int block)
{
    struct lang_error err = { .file = file };
    struct lang_ast *ast = lang_parse(src, strlen(src), file, &err);
    if (!ast) {
        print_message("parse error %d:%d: %s\n", err.line, err.col, err.msg);
        return NULL;
    }
    struct graph_opts go = { .sample_rate = sr, .block = block, .bank = bank };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (!p)
        print_message("compile error %d:%d: %s\n", err.line, err.col, err.msg);
    return p;
}

/* `frames` frames of src (it must compile) on one thread with 64 voices,
 * the left channel into left and the right into right (NULL: not kept).
 * Returns the engine's nan_resets. */
static inline long fixture_render(const char *src, const char *file, struct sample_bank *bank, int sr, int block,
                                  float *left, float *right, int frames)
{
    struct program *p = fixture_compile(src, file, bank, sr, block);
    assert_non_null(p);
    struct engine_opts eo = { .sample_rate = sr, .block = block, .threads = 1, .voices = 64, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    engine_publish(e, p);
    float buf[2 * ENGINE_MAX_BLOCK];
    for (int f = 0; f < frames; f += block) {
        engine_render(e, buf, block);
        for (int i = 0; i < block && f + i < frames; i++) {
            left[f + i] = buf[2 * i];
            if (right)
                right[f + i] = buf[2 * i + 1];
        }
    }
    struct engine_stats es;
    engine_get_stats(e, &es);
    engine_free(e);
    return es.nan_resets;
}

#endif
