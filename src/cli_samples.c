/* cli_samples.c -- `phonon samples [NAME] [--json]`: what samples there are.
 *
 * Without NAME: the sample roots in search order (with where each came
 * from) and every sample name with its number of audio files and its root.
 * With NAME: that folder's files in the order n picks them (index, frames,
 * channels, original rate, duration) and the files skipped with their
 * reason; this loads the name. --json prints one JSON object instead of
 * text. The bank (sample.h) finds and loads; this file only prints.
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "lang.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "[NAME] [--samples DIR]... [--json]\n"
    "       phonon samples play NAME[:N] [-o FILE] [--samples DIR]...\n\n"
    "Without NAME: the sample roots in search order (where each came from, its\n"
    "layout, how many names it gives) and every sample name with its number of\n"
    "files. With NAME: that name's files, in the order n picks them.\n"
    "play: hear sample N of NAME (default 0), or render it to FILE (- for stdout).";

/* The roots in search order, with where each came from, its layout and
 * how many names it gives. */
static void print_roots(const struct sample_bank *b, FILE *out, int json)
{
    const char *const *roots;
    int n = sample_bank_roots(b, &roots);
    if (json)
        fputs("\"roots\":[", out);
    else
        fprintf(out, "roots (search order):%s\n", n ? "" : " none");
    for (int i = 0; i < n; i++) {
        char layout[64];
        int names = sample_bank_root_layout(b, i, layout, sizeof layout);
        if (json) {
            fputs(i ? ",{\"path\":" : "{\"path\":", out);
            cli_json_string(out, roots[i]);
            fprintf(out, ",\"from\":\"%s\",\"layout\":", sample_bank_root_origin(b, i));
            cli_json_string(out, names < 0 ? "" : layout);
            fprintf(out, ",\"names\":%d}", names < 0 ? 0 : names);
        } else {
            fprintf(out, "  %d. %s  (%s; %s, %d name%s)\n", i + 1, roots[i], sample_bank_root_origin(b, i),
                    names > 0 && layout[0] ? layout : "empty", names < 0 ? 0 : names, names == 1 ? "" : "s");
        }
    }
    if (json)
        fputs("]", out);
}

/* Every name with its number of audio files and its root. */
static int print_names(struct sample_bank *b, FILE *out, int json, struct sample_error *err)
{
    const char *const *names;
    int n = sample_bank_names(b, &names);
    if (n < 0) {
        err->code = n;
        snprintf(err->msg, sizeof err->msg, "listing sample names: out of memory");
        return n;
    }
    if (json)
        fputs(",\"names\":[", out);
    else
        fprintf(out, "names: %d\n", n);
    for (int i = 0, shown = 0; i < n; i++) {
        char *root;
        int count = sample_bank_folder(b, names[i], &root);
        if (count < 0)
            continue;               /* removed since it was listed */
        if (json) {
            fputs(shown++ ? ",{\"name\":" : "{\"name\":", out);
            cli_json_string(out, names[i]);
            fprintf(out, ",\"files\":%d,\"root\":", count);
            cli_json_string(out, root);
            fputs("}", out);
        } else {
            fprintf(out, "  %-16s %4d file%s  %s\n", names[i], count, count == 1 ? " " : "s", root);
        }
        free(root);
    }
    if (json)
        fputs("]", out);
    return 0;
}

/* The width of the file name column: the longest name, kept or skipped. */
static int name_width(const struct sample_set *set)
{
    int width = 4;
    const char *file, *reason;
    for (int i = 0; i < set->count; i++)
        if ((int)strlen(set->samples[i].file) > width)
            width = (int)strlen(set->samples[i].file);
    for (int i = 0, n = sample_set_skipped(set, 0, &file, &reason); i < n; i++) {
        sample_set_skipped(set, i, &file, &reason);
        if ((int)strlen(file) > width)
            width = (int)strlen(file);
    }
    return width;
}

/* One name's files (index, frames, channels, rate, duration). */
static void print_files(const struct sample_set *set, FILE *out, int json, int width)
{
    for (int i = 0; i < set->count; i++) {
        const struct sample *s = &set->samples[i];
        double dur = (double)s->file_frames / s->file_rate;
        if (json) {
            fprintf(out, "%s{\"index\":%d,\"file\":", i ? "," : "", i);
            cli_json_string(out, s->file);
            fprintf(out, ",\"frames\":%lld,\"channels\":%d,\"rate\":%d,\"duration\":%.6f,"
                    "\"truncated\":%s}", (long long)s->file_frames, s->file_channels,
                    s->file_rate, dur, s->truncated ? "true" : "false");
        } else {
            fprintf(out, "  %3d  %-*s %9lld frames  %d ch  %6d Hz  %8.3f s%s\n", i, width,
                    s->file, (long long)s->file_frames, s->file_channels, s->file_rate, dur,
                    s->truncated ? "  (truncated)" : "");
        }
    }
}

/* One name: its folder, its files, the files skipped with their reason. */
static void print_name(const struct sample_set *set, FILE *out, int json)
{
    const char *file = NULL, *reason = NULL;
    int nskipped = sample_set_skipped(set, 0, &file, &reason);
    if (json) {
        fputs(",\"name\":", out);
        cli_json_string(out, set->name);
        fputs(",\"dir\":", out);
        cli_json_string(out, set->dir);
        fputs(",\"files\":[", out);
    } else {
        fprintf(out, "%s: %s (%d file%s", set->name, set->dir, set->count, set->count == 1 ? "" : "s");
        if (nskipped)
            fprintf(out, ", %d skipped", nskipped);
        fputs(")\n", out);
    }
    int width = name_width(set);
    print_files(set, out, json, width);
    if (json)
        fputs("],\"skipped\":[", out);
    for (int i = 0; i < nskipped; i++) {
        sample_set_skipped(set, i, &file, &reason);
        if (json) {
            fputs(i ? ",{\"file\":" : "{\"file\":", out);
            cli_json_string(out, file);
            fputs(",\"error\":", out);
            cli_json_string(out, reason);
            fputs("}", out);
        } else {
            fprintf(out, "    -  %-*s skipped: %s\n", width, file, reason);
        }
    }
    if (json)
        fputs("]", out);
}

/* See cli.h. */
int cli_samples_print(struct sample_bank *b, FILE *out, const char *name, int json, struct sample_error *err)
{
    const struct sample_set *set = NULL;
    if (name && !(set = sample_bank_lookup(b, name, err)))  /* before printing anything */
        return err->code ? err->code : PHONON_ENOENT;
    if (json)
        fputs("{", out);
    print_roots(b, out, json);
    int rc = 0;
    if (set)
        print_name(set, out, json);
    else
        rc = print_names(b, out, json, err);
    if (json)
        fputs("}\n", out);
    return rc;
}

/* `phonon samples`: the bank opened, printed; an unknown NAME gets a "did
 * you mean". */
int cli_samples(int argc, char **argv)
{
    struct cli_list roots = { 0 };
    int json = 0;
    const char *out = NULL;
    long rate = PHONON_DEFAULT_RATE;
    const struct cli_opt opts[] = {
        CLI_OPT_SAMPLES(&roots),
        { .name = "json", .type = CLI_FLAG, .dest = &json, .help = "one JSON object instead of text" },
        { .name = "output", .short_name = 'o', .type = CLI_STRING, .dest = &out, .metavar = "FILE",
          .help = "play: render to FILE (its extension the format; - for stdout) instead of playing" },
        { .name = "sample-rate", .short_name = 'r', .type = CLI_INT, .dest = &rate, .metavar = "HZ",
          .help = "play -o: the render's sample rate (default " PHONON_STR(PHONON_DEFAULT_RATE) ")" },
        { 0 },
    };
    const char **ops;
    int nops, help;
    int rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    if (rc || help) {
        free(roots.items);
        return rc;
    }
    struct sample_bank *bank = NULL;
    if (nops >= 1 && strcmp(ops[0], "play") == 0) {
        rc = cli_samples_play(&roots, ops + 1, nops - 1, out, rate);
        goto done;
    }
    if (out) {
        rc = cli_fail("samples", PHONON_EXIT_USAGE, "-o is for 'phonon samples play NAME -o FILE'");
        goto done;
    }
    if (nops > 1) {
        rc = cli_fail("samples", PHONON_EXIT_USAGE, "expected at most one sample name");
        goto done;
    }
    if (!(bank = cli_bank("samples", &roots, PHONON_DEFAULT_RATE, 0, &rc)))
        goto done;
    struct sample_error err = { 0 };
    if (cli_samples_print(bank, stdout, nops ? ops[0] : NULL, json, &err)) {
        const char *const *names;
        int n = sample_bank_names(bank, &names);
        const char *near = nops && n > 0 ? lang_suggest(ops[0], names, n) : NULL;
        fprintf(stderr, "phonon samples: %s%s%s%s\n", err.msg, near ? "; did you mean '" : "",
                near ? near : "", near ? "'?" : "");
        rc = err.code == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_DATAERR;
    }
done:
    sample_bank_free(bank);
    free(ops);
    free(roots.items);
    return rc;
}
