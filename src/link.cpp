// link.cpp -- the C interface of link.h over Ableton's Link library
// (ableton-link-dev, header-only C++). Nothing but the calls link.h
// documents; the phase and tempo logic that uses them is C (cli_link.c).
#include "link.h"

// What Ableton's CMake config would define (we build without CMake).
#define LINK_PLATFORM_UNIX 1
#if defined(__APPLE__)
#define LINK_PLATFORM_MACOSX 1
#else
#define LINK_PLATFORM_LINUX 1
#endif
#include <ableton/Link.hpp>

#include <chrono>
#include <new>

struct plink {
    ableton::Link link;
    double quantum;
    plink(double bpm, double q) : link(bpm), quantum(q) {}
};

using std::chrono::microseconds;

extern "C" int plink_available(void) { return 1; }

extern "C" struct plink *plink_new(double bpm, double quantum)
{
    if (!(quantum > 0))
        quantum = 4;
    try {
        return new plink(bpm, quantum);
    } catch (...) {                 // std::bad_alloc, or asio failing to set up
        return nullptr;
    }
}

extern "C" void plink_free(struct plink *l)
{
    if (!l)
        return;
    l->link.enable(false);
    delete l;
}

extern "C" void plink_enable(struct plink *l, int on) { l->link.enable(on != 0); }

extern "C" size_t plink_peers(const struct plink *l) { return l->link.numPeers(); }

extern "C" int64_t plink_now_us(const struct plink *l) { return l->link.clock().micros().count(); }

// Apply b's requests to a captured state, fill in what it asks; true when
// the state changed (to be committed).
template <typename State> static bool look(const plink *l, State &s, struct plink_beat *b)
{
    bool changed = false;
    const microseconds at(b->at_us), end(b->end_us);
    if (b->start) {
        s.requestBeatAtTime(0.0, at, l->quantum);
        changed = true;
    }
    if (b->set_bpm > 0) {
        s.setTempo(b->set_bpm, at);
        changed = true;
    }
    b->bpm = s.tempo();
    b->beat = s.beatAtTime(at, l->quantum);
    b->beat_end = s.beatAtTime(end, l->quantum);
    b->peers = (int)l->link.numPeers();
    return changed;
}

extern "C" void plink_audio(struct plink *l, struct plink_beat *b)
{
    auto s = l->link.captureAudioSessionState();
    if (look(l, s, b))
        l->link.commitAudioSessionState(s);
}

extern "C" void plink_app(struct plink *l, struct plink_beat *b)
{
    auto s = l->link.captureAppSessionState();
    if (look(l, s, b))
        l->link.commitAppSessionState(s);
}
