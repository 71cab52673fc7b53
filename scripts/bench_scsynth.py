#!/usr/bin/env python3
"""bench_scsynth.py -- phonon's synths against scsynth, side by side (issue 12).

For supersaw, superpiano, superhat and superkick: the same voices rendered
by scsynth in non-real-time mode (a SynthDef much like SuperDirt's, written
here as a binary SynthDef file, format 2, without sclang; the score is OSC
bundles in a binary file, one /s_new a voice) and by `phonon render` of the
pattern a musician writes for them (s "superhat*64" # note "..." with a
cycle of LENGTH seconds), each on one core (scsynth's NRT mode is one
thread; phonon --threads 1), one after the other in this run. A voice
sounds LENGTH seconds (supersaw, superpiano 4 s; superhat 0.25 s;
superkick 0.5 s: scsynth's is freed by its envelope then, phonon's ends
there), one starts every LENGTH / P seconds, so P (--voices) sound at once,
for SECONDS (--seconds, default 60: long enough that both programs'
start-up, about 0.02 s and 0.09 s of CPU, is small). Prints
voice-seconds per wall-clock second and per CPU second for both and their
ratio (the target is phonon >= 5x), and the load average (the machine may
be shared: compare CPU ratios, run twice). Skips with a notice where
scsynth is absent.

Usage: bench_scsynth.py [--voices P] [--seconds S] [--length L] [--phonon ./phonon] [SYNTH...]

The SynthDefs (ideas of SuperDirt's library/default-synths-extra.scd, our
own graphs):
  supersaw    3 Saw detuned +-1 %, LFTri an octave up, into MoogFF swept by a
              LFTri.kr at f/64 between 10 f and 20 f, tanh, linen envelope, Pan2
  superpiano  7 SinOsc partials (stretched), each times its own XLine.kr
              decay, and a WhiteNoise thump, linen envelope, Pan2 (phonon's
              superpiano does the same work; SuperDirt's uses MdaPiano)
  superhat    WhiteNoise through LPF 3 f and HPF f, linen envelope, Pan2
  superkick   SinOsc with an XLine.kr pitch sweep, LPF'd WhiteNoise click
              times Line.ar, linen envelope, Pan2
"""
import os
import resource
import struct
import subprocess
import sys
import tempfile
import time

SR = 48000

# ---- SynthDef file format 2 -------------------------------------------------------------

RATE = {"ir": 0, "kr": 1, "ar": 2}
BINOP = {"+": 0, "-": 1, "*": 2, "/": 4}
UNOP = {"neg": 0, "tanh": 36}


def pstr(s):
    b = s.encode()
    return struct.pack(">B", len(b)) + b


class Graph:
    """A SynthDef being built: ugens in order, constants, named controls."""

    def __init__(self, name, params):
        self.name = name
        self.params = params                    # [(name, default)]
        self.consts = []
        self.ugens = []                         # (class, rate, inputs, nout, special)
        self.ugens.append(("Control", 1, [], len(params), 0))

    def ctl(self, name):
        return (0, [p for p, _ in self.params].index(name))

    def k(self, v):
        v = float(v)
        if v not in self.consts:
            self.consts.append(v)
        return (-1, self.consts.index(v))

    def inp(self, x):
        return x if isinstance(x, tuple) else self.k(x)

    def u(self, cls, rate, *inputs, nout=1, special=0):
        self.ugens.append((cls, RATE[rate], [self.inp(x) for x in inputs], nout, special))
        i = len(self.ugens) - 1
        return (i, 0) if nout == 1 else [(i, j) for j in range(nout)]

    def op(self, o, a, b, rate="ar"):
        return self.u("BinaryOpUGen", rate, a, b, special=BINOP[o])

    def un(self, o, a, rate="ar"):
        return self.u("UnaryOpUGen", rate, a, special=UNOP[o])

    def add(self, xs, rate="ar"):
        acc = xs[0]
        for x in xs[1:]:
            acc = self.op("+", acc, x, rate)
        return acc

    def linen(self, att, sus, rel, rate="ar"):
        """EnvGen of a linear attack-sustain-release that frees the synth."""
        env = [0, 3, -99, -99, 1, att, 1, 0, 1, sus, 1, 0, 0, rel, 1, 0]
        return self.u("EnvGen", rate, 1, 1, 0, 1, 2, *env)

    def out(self, sig, amp, pan):
        l, r = self.u("Pan2", "ar", sig, pan, amp, nout=2)
        self.u("Out", "ar", 0, l, r, nout=0)

    def bytes(self):
        b = pstr(self.name)
        b += struct.pack(">i", len(self.consts)) + b"".join(struct.pack(">f", c) for c in self.consts)
        b += struct.pack(">i", len(self.params)) + b"".join(struct.pack(">f", v) for _, v in self.params)
        b += struct.pack(">i", len(self.params))
        for i, (p, _) in enumerate(self.params):
            b += pstr(p) + struct.pack(">i", i)
        b += struct.pack(">i", len(self.ugens))
        for cls, rate, ins, nout, special in self.ugens:
            b += pstr(cls) + struct.pack(">biih", rate, len(ins), nout, special)
            for ui, oi in ins:
                b += struct.pack(">ii", ui, oi)
            b += struct.pack(">" + "b" * nout, *([rate] * nout))
        b += struct.pack(">h", 0)
        return b


def synthdef_file(graphs):
    return b"SCgf" + struct.pack(">ih", 2, len(graphs)) + b"".join(g.bytes() for g in graphs)


PARAMS = [("freq", 261.63), ("amp", 0.1), ("pan", 0.0), ("sus", 1.0)]


def def_supersaw():
    g = Graph("bench_supersaw", PARAMS)
    f, sus = g.ctl("freq"), g.ctl("sus")
    saws = [g.u("Saw", "ar", g.op("*", f, m, "kr")) for m in (0.99, 1.0, 1.01)]
    tri = g.u("LFTri", "ar", g.op("*", f, 2.0, "kr"), 0)
    src = g.op("+", g.op("*", g.add(saws), 0.5), g.op("*", tri, 0.5))
    lfo = g.u("LFTri", "kr", g.op("/", f, 64.0, "kr"), 0)
    lo = g.op("*", f, 10.0, "kr")
    cut = g.op("+", lo, g.op("*", g.op("*", g.op("+", lfo, 1.0, "kr"), 0.5, "kr"), lo, "kr"), "kr")
    filt = g.u("MoogFF", "ar", src, cut, 0.8, 0)
    sig = g.op("*", g.un("tanh", filt), g.linen(0.01, g.op("-", sus, 0.02, "kr"), 0.01))
    g.out(sig, g.ctl("amp"), g.ctl("pan"))
    return g


def def_superpiano():
    g = Graph("bench_superpiano", PARAMS)
    f, sus = g.ctl("freq"), g.ctl("sus")
    parts = []
    for k in range(1, 8):
        osc = g.u("SinOsc", "ar", g.op("*", f, k * (1 + 0.0001 * k * k) ** 0.5, "kr"), 0)
        dec = g.u("XLine", "kr", k ** -1.2, k ** -1.2 * 0.001, 6.0 / k ** 0.7, 0)
        parts.append(g.op("*", osc, dec))
    thump = g.op("*", g.u("WhiteNoise", "ar"), g.u("XLine", "kr", 0.15, 0.00015, 0.008, 0))
    sig = g.op("*", g.add(parts + [thump]), g.linen(0.002, g.op("-", sus, 0.1, "kr"), 0.1))
    g.out(sig, g.ctl("amp"), g.ctl("pan"))
    return g


def def_superhat():
    g = Graph("bench_superhat", PARAMS)
    f, sus = g.ctl("freq"), g.ctl("sus")
    n = g.u("WhiteNoise", "ar")
    sig = g.u("HPF", "ar", g.u("LPF", "ar", n, g.op("*", f, 3.0, "kr")), f)
    sig = g.op("*", sig, g.linen(0.01, g.op("-", sus, 0.02, "kr"), 0.01))
    g.out(sig, g.ctl("amp"), g.ctl("pan"))
    return g


def def_superkick():
    g = Graph("bench_superkick", PARAMS)
    f, sus = g.ctl("freq"), g.ctl("sus")
    sweep = g.u("XLine", "kr", 4.0, 1.0, 0.12, 0)
    body = g.u("SinOsc", "ar", g.op("*", f, sweep, "kr"), 0)
    click = g.op("*", g.u("LPF", "ar", g.u("WhiteNoise", "ar"), 1500), g.u("Line", "ar", 0.3, 0, 0.02, 0))
    sig = g.op("*", g.op("+", body, click), g.linen(0.01, g.op("-", sus, 0.02, "kr"), 0.01))
    g.out(sig, g.ctl("amp"), g.ctl("pan"))
    return g


DEFS = {"supersaw": def_supersaw, "superpiano": def_superpiano, "superhat": def_superhat,
        "superkick": def_superkick}

# ---- OSC score for non-real-time mode -----------------------------------------------------


def osc_str(s):
    b = s.encode() + b"\0"
    return b + b"\0" * (-len(b) % 4)


def osc_msg(addr, *args):
    tags, data = ",", b""
    for a in args:
        if isinstance(a, bytes):
            tags += "b"
            data += struct.pack(">i", len(a)) + a + b"\0" * (-len(a) % 4)
        elif isinstance(a, float):
            tags += "f"
            data += struct.pack(">f", a)
        elif isinstance(a, int):
            tags += "i"
            data += struct.pack(">i", a)
        else:
            tags += "s"
            data += osc_str(a)
    return osc_str(addr) + osc_str(tags) + data


def osc_bundle(t, msgs):
    secs = int(t)
    frac = int((t - secs) * 2 ** 32)
    b = b"#bundle\0" + struct.pack(">II", secs, frac)
    for m in msgs:
        b += struct.pack(">i", len(m)) + m
    return struct.pack(">i", len(b)) + b


# Each synth's voices last LENGTH seconds (a hat is short, a pad long) and
# start one after another, P = --voices of them sounding at once: the
# events a musician writes as s "superhat*64" # note "..." with a cycle of
# LENGTH seconds, not one chord of P notes held for the whole run.
LENGTH = {"supersaw": 4.0, "superpiano": 4.0, "superhat": 0.25, "superkick": 0.5}


def notes(p):
    """The notes of one cycle's p voices, c3 .. b4 (the same for both engines)."""
    return [(i % 24) - 12 for i in range(p)]


def onsets(p, length, secs):
    """The voices of a run: (start, note), p starting every length seconds."""
    ns, out, i = notes(p), [], 0
    while i * length / p < secs - 1e-9:
        out.append((i * length / p, ns[i % p]))
        i += 1
    return out


def voice_seconds(p, length, secs):
    """What both engines play: every voice's time within the run."""
    return sum(min(length, secs - t) for t, _ in onsets(p, length, secs))


def score(name, defs, p, length, secs):
    first = [osc_bundle(0.0, [osc_msg("/d_recv", defs)])]
    news = []
    for i, (t, note) in enumerate(onsets(p, length, secs)):
        freq = 261.63 * 2 ** (note / 12)
        if name in ("superkick",):
            freq = 50 * 2 ** (note / 12)
        if name in ("superhat",):
            freq = 8000 * 2 ** (note / 48)
        news.append(osc_bundle(t, [osc_msg("/s_new", "bench_" + name, 1000 + i, 0, 0,
                                           "freq", float(freq), "amp", 0.01, "sus", float(length))]))
    return b"".join(first + news + [osc_bundle(secs, [osc_msg("/c_set", 0, 0)])])


def phonon_pattern(name, p, length):
    """One cycle of length seconds holding p onsets; each voice sounds for
    length seconds as scsynth's: a drum lane ends 80 dB down, 4/3 of its
    60 dB sustain; a sustained kind releases over the last 10 ms."""
    ns = notes(p)
    if name == "superhat":
        ns = [x / 4 for x in ns]                    # phonon's drum note is semitones of 8 kHz
    if name in ("superkick", "superhat"):
        env = " # sustain %g" % (0.75 * length)
    elif name == "superpiano":
        env = " # sustain %g # release 0.1" % (length - 0.1)
    else:
        env = " # sustain %g # attack 0.01 # release 0.01" % (length - 0.01)
    return "bpm: %g\nout: s \"%s*%d\" # note \"%s\"%s # gain 0.01\n" % (
        60.0 / length, name, p, " ".join("%g" % x for x in ns), env)


def timed(cmd, env=None):
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.monotonic()
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    wall = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    return p.returncode, p.stdout.decode(errors="replace"), wall, cpu


def main(argv):
    p, secs, phonon, names, length = 64, 60.0, "./phonon", [], None
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--voices":
            p = int(argv[i + 1]); i += 2
        elif a == "--seconds":
            secs = float(argv[i + 1]); i += 2
        elif a == "--length":
            length = float(argv[i + 1]); i += 2
        elif a == "--phonon":
            phonon = argv[i + 1]; i += 2
        else:
            names.append(a); i += 1
    names = names or list(DEFS)
    scsynth = None
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if os.access(os.path.join(d, "scsynth"), os.X_OK):
            scsynth = os.path.join(d, "scsynth")
            break
    if not scsynth:
        print("scsynth: skipped (no scsynth on PATH; Debian's supercollider-server has it)")
        return 0
    print("%g s of %d voices sounding at once, one core each (scsynth -N, phonon render --threads 1); "
          "voice-s per second of wall clock / of CPU; load average %.1f" % (secs, p, os.getloadavg()[0]))
    print("%-11s %6s %7s %12s %12s %12s %12s %7s %7s" % ("synth", "length", "voices", "scsynth wall",
                                                         "scsynth cpu", "phonon wall", "phonon cpu",
                                                         "x wall", "x cpu"))
    status = 0
    with tempfile.TemporaryDirectory(prefix="phonon-bench-sc-") as tmp:
        defs = synthdef_file([DEFS[k]() for k in names])
        env = dict(os.environ, SC_SYNTHDEF_PATH=tmp)
        for name in names:
            dur = length or LENGTH[name]
            sco = os.path.join(tmp, name + ".osc")
            with open(sco, "wb") as f:
                f.write(score(name, defs, p, dur, secs))
            wav = os.path.join(tmp, name + "-sc.wav")
            rc, log, sw, sc = timed([scsynth, "-N", sco, "_", wav, str(SR), "WAV", "float", "-o", "2"], env)
            if rc != 0 or "not installed" in log or "FAILURE" in log or not os.path.exists(wav):
                print("%-11s scsynth failed: %s" % (name, log.strip().splitlines()[-3:]))
                status = 1
                continue
            ph = os.path.join(tmp, name + ".ph")
            with open(ph, "w") as f:
                f.write(phonon_pattern(name, p, dur))
            rc, log, pw, pc = timed([phonon, "render", "-q", "--threads", "1", "--sample-rate", str(SR),
                                     "--duration", "%g" % secs, "--format", "f32", ph,
                                     os.path.join(tmp, name + ".wav")])
            if rc != 0:
                print("%-11s phonon render failed: %s" % (name, log.strip()))
                status = 1
                continue
            vs = voice_seconds(p, dur, secs)
            print("%-11s %6g %7d %12.0f %12.0f %12.0f %12.0f %6.1fx %6.1fx" % (
                name, dur, len(onsets(p, dur, secs)), vs / sw, vs / max(sc, 1e-6), vs / pw,
                vs / max(pc, 1e-6), sw / pw, sc / max(pc, 1e-6)))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
