/* link_none.c -- link.h in a build without Ableton Link (no
 * ableton-link-dev when it was built): plink_available() is 0, plink_new
 * NULL, and the commands that take --link say this build has no Link. */
#include "link.h"

#ifndef PHONON_HAVE_LINK
int plink_available(void) { return 0; }
struct plink *plink_new(double bpm, double quantum) { return NULL; }
void plink_free(struct plink *l) {}
void plink_enable(struct plink *l, int on) {}
size_t plink_peers(const struct plink *l) { return 0; }
int64_t plink_now_us(const struct plink *l) { return 0; }
void plink_audio(struct plink *l, struct plink_beat *b) {}
void plink_app(struct plink *l, struct plink_beat *b) {}
#endif
