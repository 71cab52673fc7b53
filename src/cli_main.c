/* cli_main.c -- main(): global options and the subcommand table.
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "dsp.h"
#include "lang.h"
#include "phonon.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static int cli_help(int argc, char **argv);

static const struct cli_cmd commands[] = {
    { .name = "live", .run = cli_live, .summary = "play a .ph file, reloading it on every save" },
    { .name = "render", .run = cli_render, .summary = "render a .ph file to a sound file (wav, flac, ogg, opus, mp3, ..., or - for stdout)" },
    { .name = "profile", .run = cli_profile, .summary = "time the real-time engine block by block (P50/P99, --capacity)" },
    { .name = "query", .run = cli_query, .summary = "print a pattern expression's events (the conformance format)" },
    { .name = "check", .run = cli_check, .summary = "parse and compile .ph files, print every error" },
    { .name = "samples", .run = cli_samples, .summary = "list sample roots, names and files" },
    { .name = "dirt", .run = cli_dirt, .summary = "play SuperDirt OSC from Tidal (UDP 57120), beside a .ph file" },
    { .name = "new", .run = cli_new, .summary = "write a starter .ph file" },
    { .name = "help", .run = cli_help, .summary = "a command's help: phonon help COMMAND" },
};
enum { NCOMMANDS = sizeof commands / sizeof *commands };

/* `phonon --help`: the commands and the exit statuses. */
static void usage(FILE *f)
{
    fprintf(f, "phonon %s -- live-coding pattern synthesizer\n\n"
               "usage: phonon COMMAND [options] [operands]\n\ncommands:\n", PHONON_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n'phonon help COMMAND' (or 'phonon COMMAND --help') describes a command's options.\n"
               "Exit status: 0 ok, 64 usage, 65 bad pattern, 66 missing input, 69 no audio device,\n"
               "70 internal error, 73 cannot create output, 74 I/O error.\n");
}

/* The command named cmd, or NULL after saying so (with a "did you mean"). */
static const struct cli_cmd *find_command(const char *cmd)
{
    const char *names[NCOMMANDS];
    for (int i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, cmd) == 0)
            return &commands[i];
        names[i] = commands[i].name;
    }
    const char *near = lang_suggest(cmd, names, NCOMMANDS);
    if (near)
        fprintf(stderr, "phonon: unknown command '%s'; did you mean '%s'?\n", cmd, near);
    else
        fprintf(stderr, "phonon: unknown command '%s' (try 'phonon --help')\n", cmd);
    return NULL;
}

/* `phonon help [COMMAND]`: the general help, or COMMAND --help. */
static int cli_help(int argc, char **argv)
{
    if (argc < 2) {
        usage(stdout);
        return PHONON_EXIT_OK;
    }
    if (argc > 2)
        return cli_fail("help", PHONON_EXIT_USAGE, "expected one COMMAND");
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        printf("usage: phonon help [COMMAND]\n\nThe general help, or COMMAND's options.\n");
        return PHONON_EXIT_OK;
    }
    const struct cli_cmd *c = find_command(argv[1]);
    if (!c)
        return PHONON_EXIT_USAGE;
    char *args[] = { argv[1], (char *)(uintptr_t)"--help", NULL };
    return c->run(2, args);
}

/* --help, --version, or the subcommand named by argv[1]. */
int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PHONON_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return PHONON_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("phonon %s\n", PHONON_VERSION);
        return PHONON_EXIT_OK;
    }
    const struct cli_cmd *c = find_command(cmd);
    return c ? c->run(argc - 1, argv + 1) : PHONON_EXIT_USAGE;
}
