/* cli_midi.c -- what live and render say about MIDI out (midi.h).
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "midi.h"
#include "phonon.h"

void cli_midi_report(const char *cmd, struct midi *m, const char *where, long count)
{
    struct midi_stats st;
    midi_get_stats(m, &st);
    fprintf(stderr, "phonon %s: %ld MIDI messages to %s\n", cmd, count, where);
    if (st.bad_cmds)
        fprintf(stderr, "phonon %s: warning: %ld events had a midicmd phonon does not know (noteOn, noteOff, "
                        "control, program, polyTouch, touch, bend, allNotesOff, midiClock, start, stop, continue, "
                        "songPtr)\n", cmd, st.bad_cmds);
    if (st.out_of_range)
        fprintf(stderr, "phonon %s: warning: %ld notes were outside MIDI's 0..127 and were not sent\n", cmd,
                st.out_of_range);
    if (st.dropped)
        fprintf(stderr, "phonon %s: warning: %ld MIDI messages were dropped (more at once than %d)\n", cmd,
                st.dropped, (int)MIDI_RING);
}

int cli_midi_list(const char *cmd)
{
    char msg[256];
    if (midi_list(stdout, msg, sizeof msg))
        return cli_fail(cmd, PHONON_EXIT_UNAVAILABLE, "%s", msg);
    return 0;
}
