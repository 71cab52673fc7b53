/* cli_main.c -- main(): global options and the subcommand table.
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "dsp.h"
#include "phonon.h"

#include <stdio.h>
#include <string.h>

static const struct cli_cmd commands[] = {
    { .name = "live", .run = cli_live, .summary = "play a .ph file, reloading it on every save" },
    { .name = "render", .run = cli_render, .summary = "render a .ph file to a sound file (wav, flac, aiff, ogg)" },
    { .name = "profile", .run = cli_profile, .summary = "time the real-time engine block by block (P50/P99, --capacity)" },
    { .name = "query", .run = cli_query, .summary = "print a pattern expression's events (the conformance format)" },
    { .name = "check", .run = cli_check, .summary = "parse and compile .ph files, print every error" },
    { .name = "samples", .run = cli_samples, .summary = "list sample roots, names and files" },
    { .name = "dirt", .run = cli_dirt, .summary = "play SuperDirt OSC from Tidal (UDP 57120), beside a .ph file" },
    { .name = "new", .run = cli_new, .summary = "write a starter .ph file" },
};

/* `phonon --help`: the commands and the exit statuses. */
static void usage(FILE *f)
{
    fprintf(f, "phonon %s -- live-coding pattern synthesizer\n\n"
               "usage: phonon COMMAND [options] [operands]\n\ncommands:\n", PHONON_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'phonon COMMAND --help' describes a command's options.\n"
               "Exit status: 0 ok, 64 usage, 65 bad pattern, 66 missing input, 69 no audio device,\n"
               "70 internal error, 73 cannot create output, 74 I/O error.\n");
}

/* --help, --version, or the subcommand named by argv[1]. */
int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PHONON_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        usage(stdout);
        return PHONON_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("phonon %s\n", PHONON_VERSION);
        return PHONON_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(commands[i].name, cmd) == 0)
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "phonon: unknown command '%s' (try 'phonon --help')\n", cmd);
    return PHONON_EXIT_USAGE;
}
