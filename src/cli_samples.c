/* cli_samples.c -- `phonon samples [NAME] [--json]`: what samples there are. */
#include "cli.h"
#include "lang.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>

static const char usage[] = "[NAME] [--samples DIR]... [--json]\n\n"
    "Without NAME: the sample roots in search order and every sample name with\n"
    "its number of files. With NAME: that folder's files, in the order n picks them.";

int cli_samples(int argc, char **argv)
{
    struct cli_list roots = { 0 };
    int json = 0;
    const struct cli_opt opts[] = {
        { "samples", 's', CLI_LIST, &roots, "DIR", "a sample root, searched first (repeatable)" },
        { "json", 0, CLI_FLAG, &json, NULL, "one JSON object instead of text" },
        { 0 },
    };
    const char **ops;
    int nops, help;
    int rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    if (rc || help) {
        free(roots.items);
        return rc;
    }
    if (nops > 1) {
        rc = cli_fail("samples", PHONON_EXIT_USAGE, "expected at most one sample name");
        goto done;
    }
    struct sample_error err = { 0 };
    struct sample_bank *bank = sample_bank_new(roots.items, roots.n, 44100, NULL, &err);
    if (!bank) {
        rc = cli_fail("samples", err.code == PHONON_ENOENT || err.code == PHONON_EIO ? PHONON_EXIT_NOINPUT
                                                                                : PHONON_EXIT_SOFTWARE,
                      "%s", err.msg);
        goto done;
    }
    if (sample_bank_print(bank, stdout, nops ? ops[0] : NULL, json, &err)) {
        const char *const *names;
        int n = sample_bank_names(bank, &names);
        const char *near = nops && n > 0 ? lang_suggest(ops[0], names, n) : NULL;
        fprintf(stderr, "phonon samples: %s%s%s%s\n", err.msg, near ? "; did you mean '" : "",
                near ? near : "", near ? "'?" : "");
        rc = err.code == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_DATAERR;
    }
    sample_bank_free(bank);
done:
    free(ops);
    free(roots.items);
    return rc;
}
