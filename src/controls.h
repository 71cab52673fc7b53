/* controls.h -- the per-event controls, one table.
 *
 * A control (s "bd", gain 0.8, lpf 800 0.3 ...) turns patterns of values
 * into a pattern of control maps; the voices read the map's keys when an
 * event starts (voice.c). Every control is one row of PHONON_CONTROLS,
 * declared once and read by all that need it:
 *
 *   the pattern evaluator (pat_eval.c) builds control patterns from the
 *     kinds and keys, and suggests names from the rows;
 *   the compiler (graph_names.c) documents them (graph_names(NS_CONTROL))
 *     and warns once per file about the ones phonon accepts but ignores.
 *
 * Columns of X(name, alias_of, kinds, keys, note, ignored, args, desc, example):
 *   name      as written in a program
 *   alias_of  NULL, or the control this one is another spelling of
 *   kinds     one 'p' per value argument (a pattern each)
 *   keys      the map keys it sets, NUL-separated, then ""; s and note fill
 *             several keys from one ':' list (s "bd:3" sets s and n)
 *   note      1: note names become semitones (c4 = 0)
 *   ignored   NULL, or why a voice does nothing with it (the warning's advice)
 *   args      the arguments as the language page shows them, with what a
 *             voice takes when the control is not given
 *   desc      one line
 *   example   a whole statement that compiles with the project's samples
 *
 * Row order is the order names are suggested in ("did you mean").
 * Constant data: no code, includes nothing.
 */
#ifndef CONTROLS_H
#define CONTROLS_H

#define PHONON_CONTROLS(X) \
    X("s", NULL, "p", "s\0n\0gain\0", 0, NULL, "name[:n[:gain]]", \
      "the sound each event plays: a sample folder, a synth, a waveform or an instrument ~bus", \
      "out: s \"bd sn:2 hh*2\"") \
    X("sound", "s", "p", "s\0n\0gain\0", 0, NULL, "name[:n[:gain]]", \
      "the sound each event plays", "out: sound \"bd*2 sn\"") \
    X("note", NULL, "p", "note\0n\0", 1, NULL, "semitones=0 (c4 = 0; chords c'maj)", \
      "pitch in semitones from middle C; note names and chords allowed", \
      "out: note \"0 4 7 12\" # s \"superpwm\"") \
    X("n", NULL, "p", "n\0", 1, NULL, "index=0", \
      "which file of a sample folder (sorted, wrapping); semitones added to note for synths and " \
      "instruments; as in Tidal, note names are semitones (n \"e\" is 4) and \"0..7\" is a range", \
      "out: s \"hh*4\" # n \"0 1 2 3\"") \
    X("gain", NULL, "p", "gain\0", 0, NULL, "g=1", "linear gain of the voice", \
      "out: s \"bd*4\" # gain 0.8") \
    X("pan", NULL, "p", "pan\0", 0, NULL, "p=0.5[0,1]", "equal-power pan, 0 left .. 1 right", \
      "out: s \"hh*8\" # pan \"0 1\"") \
    X("speed", NULL, "p", "speed\0", 0, NULL, "rate=1", "playback rate; negative plays backwards", \
      "out: s \"bd*2\" # speed \"1 -1\"") \
    X("begin", NULL, "p", "begin\0", 0, NULL, "pos=0[0,1]", "where in the sample playing starts", \
      "out: s \"sn*4\" # begin 0.25") \
    X("end", NULL, "p", "end\0", 0, NULL, "pos=1[0,1]", "where in the sample playing stops", \
      "out: s \"sn*4\" # end 0.5") \
    X("cut", NULL, "p", "cut\0", 0, NULL, "group=0", \
      "a new voice in cut group g (> 0) stops the others in g", "out: s \"hh*8\" # cut 1") \
    X("legato", NULL, "p", "legato\0", 0, NULL, "x=0", \
      "the voice's gate is x times its event's length", "out: s \"sn*4\" # legato 0.5") \
    X("unit", NULL, "p", "unit\0", 0, NULL, "\"r\" | \"c\"", \
      "\"c\": speed is in cycles (the sample lasts 1/speed cycle)", \
      "out: s \"bd\" # unit \"c\" # speed 1") \
    X("loop", NULL, "p", "loop\0", 0, NULL, "times=0", "play the sample this many extra times", \
      "out: s \"bd\" # loop 2") \
    X("shape", NULL, "p", "shape\0", 0, NULL, "amount=0[0,1]", "waveshaping distortion of a sample voice", \
      "out: s \"bd*4\" # shape 0.5") \
    X("crush", NULL, "p", "crush\0", 0, NULL, "bits", "bit reduction of a sample voice", \
      "out: s \"sn*4\" # crush 4") \
    X("attack", NULL, "p", "attack\0", 0, NULL, "seconds", "the voice's attack (instruments: 0.01)", \
      "out: s \"sn*4\" # attack 0.01") \
    X("decay", NULL, "p", "decay\0", 0, NULL, "seconds", "the voice's decay, to sustain", \
      "out: s \"sn*4\" # decay 0.1") \
    X("sustain", NULL, "p", "sustain\0", 0, NULL, "level=0.5 | seconds (synths)", \
      "sustain level after decay; a synth's note length", "out: s \"supersaw\" # sustain 0.5") \
    X("release", NULL, "p", "release\0", 0, NULL, "seconds", "the voice's release (instruments: 0.3)", \
      "out: s \"sn*4\" # release 0.1") \
    X("hold", NULL, "p", "hold\0", 0, "use legato, or adsr", "seconds", \
      "accepted for Tidal files; does nothing", "out: s \"bd\" # hold 1") \
    X("velocity", NULL, "p", "velocity\0", 0, NULL, "v=1", "multiplies gain", \
      "out: s \"bd*4\" # velocity \"1 0.5\"") \
    X("freq", NULL, "p", "freq\0", 0, NULL, "hz", "a synth's or instrument's pitch in Hz (instead of note)", \
      "out: s \"superfm\" # freq 220") \
    X("octave", NULL, "p", "octave\0", 0, NULL, "octave=4", "moves note by whole octaves (4: as written)", \
      "out: note \"0 7\" # s \"superpwm\" # octave 3") \
    X("cutoff", NULL, "p", "cutoff\0", 0, NULL, "hz", "a sample voice's low-pass cutoff", \
      "out: s \"hh*4\" # cutoff 2000") \
    X("resonance", NULL, "p", "resonance\0", 0, NULL, "q=0.707", "the q of a sample voice's filter", \
      "out: s \"hh*4\" # cutoff 2000 # resonance 0.3") \
    X("lpf", NULL, "pp", "cutoff\0resonance\0", 0, NULL, "cutoff q=0.707", \
      "low-pass per sample voice (on other sounds: the lpf effect)", "out: s \"hh*4\" # lpf 2000 0.3") \
    X("hpf", NULL, "pp", "hcutoff\0hresonance\0", 0, NULL, "cutoff q=0.707", \
      "high-pass per sample voice (on other sounds: the hpf effect)", "out: s \"hh*4\" # hpf 2000") \
    X("bpf", NULL, "pp", "bandf\0bandq\0", 0, NULL, "cutoff q", \
      "band-pass on the sound (voices have none: a filter after them)", "out: s \"hh*4\" # bpf 2000 2") \
    X("ar", NULL, "pp", "attack\0release\0", 0, NULL, "attack release", "the voice's attack and release", \
      "out: s \"sn*4\" # ar 0.01 0.1") \
    X("adsr", NULL, "pppp", "attack\0decay\0sustain\0release\0", 0, NULL, "attack decay sustain release", \
      "the voice's envelope", "out: s \"sn*4\" # adsr 0.01 0.1 0.5 0.2") \
    /* issue 12: SuperDirt controls */ \
    X("orbit", NULL, "p", "orbit\0", 0, NULL, "n=0[0,11]", \
      "the global effects (delay, room) the voice sends to; wraps modulo 12", \
      "out: s \"bd*2 sn\" # orbit 1 # room 0.3") \
    X("delay", NULL, "p", "delay\0", 0, NULL, "level=0[0,1]", \
      "the orbit's delay level (one argument; delay time feedback mix is the bus effect); orbit-wide: the latest event sets it", \
      "out: s \"sn*2\" # delay 0.5 # delaytime 0.375 # delayfeedback 0.4") \
    X("delaytime", NULL, "p", "delaytime\0", 0, NULL, "seconds=0.25[0,4]", \
      "the orbit's delay time (cycles with lock 1); kept until an event sets it", \
      "out: s \"sn*2\" # delay 0.5 # delaytime 0.2") \
    X("delayt", "delaytime", "p", "delaytime\0", 0, NULL, "seconds=0.25[0,4]", \
      "the orbit's delay time", "out: s \"sn*2\" # delay 0.5 # delayt 0.2") \
    X("delayfeedback", NULL, "p", "delayfeedback\0", 0, NULL, "fb=0.5[0,0.99]", \
      "the orbit's delay feedback; kept until an event sets it", \
      "out: s \"sn*2\" # delay 0.5 # delayfeedback 0.7") \
    X("delayfb", "delayfeedback", "p", "delayfeedback\0", 0, NULL, "fb=0.5[0,0.99]", \
      "the orbit's delay feedback", "out: s \"sn*2\" # delay 0.5 # delayfb 0.7") \
    X("lock", NULL, "p", "lock\0", 0, NULL, "0|1", \
      "1: the orbit's delaytime is in cycles", "out: s \"sn*2\" # delay 0.5 # delaytime 0.375 # lock 1") \
    X("room", NULL, "p", "room\0", 0, NULL, "level=0[0,1]", \
      "the level sent to the orbit's reverb (phonon's reverb tank); orbit-wide: the latest event sets it", \
      "out: s \"bd sn\" # room 0.3 # size 0.8") \
    X("size", NULL, "p", "size\0", 0, NULL, "size=0.1[0,1]", \
      "the orbit's reverb size (its decay); kept until an event sets it", "out: s \"bd sn\" # room 0.3 # size 0.9") \
    X("sz", "size", "p", "size\0", 0, NULL, "size=0.1[0,1]", "the orbit's reverb size", \
      "out: s \"bd sn\" # room 0.3 # sz 0.9") \
    X("dry", NULL, "p", "dry\0", 0, NULL, "d=0[0,1]", \
      "the orbit's reverb output is scaled by 1 - d (SuperDirt's); kept until an event sets it", \
      "out: s \"bd sn\" # room 0.3 # dry 0.5") \
    X("amp", NULL, "p", "amp\0", 0, NULL, "a=1", \
      "multiplies gain (linear; SuperDirt's default 0.4 is phonon's 1)", "out: s \"bd*4\" # amp 0.5") \
    X("postgain", NULL, "p", "postgain\0", 0, NULL, "g=1", \
      "multiplies the voice after its effects (linear)", "out: s \"bd*4\" # shape 0.5 # postgain 0.5") \
    X("accelerate", NULL, "p", "accelerate\0", 0, NULL, "a=0", \
      "a sample voice's speed glides from speed to speed * (1 + a) while it plays (a step every block)", \
      "out: s \"bd\" # accelerate \"-0.5\"") \
    X("coarse", NULL, "p", "coarse\0", 0, NULL, "n=0", \
      "a sample voice holds every n-th frame (sample-rate reduction; 0, 1: off)", "out: s \"bd*4\" # coarse 8") \
    X("vowel", NULL, "p", "vowel\0", 0, NULL, "\"a\"|\"e\"|\"i\"|\"o\"|\"u\"", \
      "a sample voice through five formant band-passes (tenor formants; an approximation of SuperDirt's)", \
      "out: s \"bd*4\" # vowel \"a e\"") \
    X("hcutoff", NULL, "p", "hcutoff\0", 0, NULL, "hz", "a sample voice's high-pass cutoff (when it has no cutoff)", \
      "out: s \"hh*4\" # hcutoff 2000") \
    X("hresonance", NULL, "p", "hresonance\0", 0, NULL, "q=0.707", "the q of a sample voice's high-pass", \
      "out: s \"hh*4\" # hcutoff 2000 # hresonance 2") \
    X("hpq", "hresonance", "p", "hresonance\0", 0, NULL, "q=0.707", "the q of a sample voice's high-pass", \
      "out: s \"hh*4\" # hcutoff 2000 # hpq 2") \
    X("djf", NULL, "p", "djf\0", 0, NULL, "x=0.5[0,1]", \
      "DJ filter of a sample voice: below 0.5 a low-pass (20 Hz .. 10 kHz), above a high-pass", \
      "out: s \"hh*8\" # djf \"0.2 0.8\"") \
    X("triode", NULL, "p", "triode\0", 0, NULL, "amount=0", \
      "triode-like distortion of a sample voice (the negative half squashed)", "out: s \"bd*4\" # triode 0.5") \
    X("krush", NULL, "p", "krush\0", 0, NULL, "amount=0", \
      "Sonic Pi's krush distortion of a sample voice, through a low-pass at kcutoff", \
      "out: s \"bd*4\" # krush 1") \
    X("kcutoff", NULL, "p", "kcutoff\0", 0, NULL, "hz=4000", "the low-pass after krush", \
      "out: s \"bd*4\" # krush 1 # kcutoff 1000") \
    X("ring", NULL, "p", "ring\0", 0, NULL, "amount=0", \
      "ring modulation of a sample voice: x (1 + amount sin ringf)", "out: s \"bd*4\" # ring 1 # ringf 300") \
    X("ringf", NULL, "p", "ringf\0", 0, NULL, "hz=0[20,20000]", "the ring modulator's frequency", \
      "out: s \"bd*4\" # ring 1 # ringf 300") \
    X("ringdf", NULL, "p", "ringdf\0", 0, NULL, "hz=0", \
      "the ring modulator glides to ringf + ringdf over the voice's first second", \
      "out: s \"bd*4\" # ring 1 # ringf 300 # ringdf 600") \
    X("tremolodepth", NULL, "p", "tremolodepth\0", 0, NULL, "d=0[0,1] (0.5 with tremolorate)", \
      "tremolo of a sample voice: its level swings by d", "out: s \"sn\" # tremolodepth 1 # tremolorate 8") \
    X("tremolorate", NULL, "p", "tremolorate\0", 0, NULL, "hz=1", "the tremolo's rate", \
      "out: s \"sn\" # tremolorate 8") \
    X("octer", NULL, "p", "octer\0", 0, NULL, "x=0[0,2]", \
      "octaver of a sample voice: an octave up (2 |x|) crossfaded in by x (1: only it, 2: silent)", \
      "out: s \"arpy*4\" # octer 0.7") \
    X("octersub", NULL, "p", "octersub\0", 0, NULL, "level=0", \
      "octaver: an octave down (the 440 Hz low-passed signal times a flip-flop), added at this level", \
      "out: s \"arpy*4\" # octersub 1") \
    X("octersubsub", NULL, "p", "octersubsub\0", 0, NULL, "level=0", "octaver: two octaves down", \
      "out: s \"arpy*4\" # octersubsub 1") \
    X("lpenv", NULL, "p", "lpenv\0", 0, NULL, "octaves=1", \
      "Strudel's filter envelope of a sample voice's low-pass (cutoff): it sweeps from the cutoff to octaves above (below when negative)", \
      "out: s \"hh*4\" # cutoff 300 # lpenv 4") \
    X("lpattack", NULL, "p", "lpattack\0", 0, NULL, "seconds=0.005", "the filter envelope's attack (lp)", \
      "out: s \"hh*4\" # cutoff 300 # lpenv 4 # lpattack 0.2") \
    X("lpdecay", NULL, "p", "lpdecay\0", 0, NULL, "seconds=0.14", "the filter envelope's decay (lp)", \
      "out: s \"hh*4\" # cutoff 300 # lpenv 4 # lpdecay 0.2") \
    X("lpsustain", NULL, "p", "lpsustain\0", 0, NULL, "level=0 (1 with only attack)", "the filter envelope's sustain, a fraction of the sweep (lp)", \
      "out: s \"hh*4\" # cutoff 300 # lpenv 4 # lpsustain 0.2") \
    X("lprelease", NULL, "p", "lprelease\0", 0, NULL, "seconds=0.1", "the filter envelope's release, after the event (lp)", \
      "out: s \"hh*4\" # cutoff 300 # lpenv 4 # lprelease 0.2") \
    X("hpenv", NULL, "p", "hpenv\0", 0, NULL, "octaves=1", \
      "Strudel's filter envelope of a sample voice's high-pass (hcutoff): it sweeps from the cutoff to octaves above (below when negative)", \
      "out: s \"hh*4\" # hcutoff 300 # hpenv 4") \
    X("hpattack", NULL, "p", "hpattack\0", 0, NULL, "seconds=0.005", "the filter envelope's attack (hp)", \
      "out: s \"hh*4\" # hcutoff 300 # hpenv 4 # hpattack 0.2") \
    X("hpdecay", NULL, "p", "hpdecay\0", 0, NULL, "seconds=0.14", "the filter envelope's decay (hp)", \
      "out: s \"hh*4\" # hcutoff 300 # hpenv 4 # hpdecay 0.2") \
    X("hpsustain", NULL, "p", "hpsustain\0", 0, NULL, "level=0 (1 with only attack)", "the filter envelope's sustain, a fraction of the sweep (hp)", \
      "out: s \"hh*4\" # hcutoff 300 # hpenv 4 # hpsustain 0.2") \
    X("hprelease", NULL, "p", "hprelease\0", 0, NULL, "seconds=0.1", "the filter envelope's release, after the event (hp)", \
      "out: s \"hh*4\" # hcutoff 300 # hpenv 4 # hprelease 0.2") \
    X("penv", NULL, "p", "penv\0", 0, NULL, "semitones=1", \
      "Strudel's pitch envelope of a sample voice: from -penv*anchor semitones to penv*(1-anchor), a step a block", \
      "out: s \"bd*4\" # penv 12 # pdecay 0.1") \
    X("pattack", NULL, "p", "pattack\0", 0, NULL, "seconds=0.2", "the pitch envelope's attack", \
      "out: s \"bd*4\" # penv 12 # pattack 0.1") \
    X("pdecay", NULL, "p", "pdecay\0", 0, NULL, "seconds=0.001", "the pitch envelope's decay", \
      "out: s \"bd*4\" # penv 12 # pdecay 0.1") \
    X("psustain", NULL, "p", "psustain\0", 0, NULL, "level=1", "the pitch envelope's sustain (and anchor)", \
      "out: s \"bd*4\" # penv 12 # psustain 0") \
    X("prelease", NULL, "p", "prelease\0", 0, NULL, "seconds=0.001", "the pitch envelope's release", \
      "out: s \"bd*4\" # penv 12 # prelease 0.2") \
    X("panchor", NULL, "p", "panchor\0", 0, NULL, "x=psustain[0,1]", \
      "where in the pitch envelope's range the written pitch is", "out: s \"bd*4\" # penv 12 # panchor 0") \
    X("cps", NULL, "p", "cps\0", 0, NULL, "cycles_per_second", \
      "sets the tempo from the next block on (Tidal's patterned tempo); a reload sets the program's", \
      "out: s \"bd*4\" # cps \"<0.5 0.75>\"") \
    X("bank", NULL, "p", "bank\0", 0, NULL, "name", \
      "Strudel's sample bank: s \"bd\" # bank \"X\" plays the folder X_bd", \
      "out: s \"bd*2\" # bank \"kit\"") \
    X("lpq", "resonance", "p", "resonance\0", 0, NULL, "q=0.707", "the q of a sample voice's low-pass", \
      "out: s \"hh*4\" # cutoff 2000 # lpq 2") \
    /* issue 13: the phonon family's spelling (its staccato f is legato f) */ \
    X("staccato", "legato", "p", "legato\0", 0, NULL, "x=0", \
      "legato under the phonon family's name: the gate is x times the event's length", \
      "out: s \"sn*4\" # staccato 0.25")

/* issue 12: SuperDirt and Strudel controls phonon does not play yet. Each is
 * refused with its reason where an unknown name would be (graph_cc.c), so
 * that no program accepts one and sounds the same without it.
 * Columns of X(name, why). */
#define PHONON_CONTROLS_LATER(X) \
    X("nudge", "a voice starts in the block its event falls in, and a time offset in seconds " \
               "needs starts held past the block; shift the pattern by cycles instead: 0.01 ~> (...)") \
    X("offset", "no voice reads it; for where a sample starts, use begin") \
    X("dur", "a voice lasts as long as its event; use legato to scale that") \
    X("squiz", "it needs a per-voice segment repeater in every voice kernel set; try coarse or crush") \
    X("waveloss", "it needs per-voice segment dropping in every voice kernel set; try coarse") \
    X("comb", "SuperDirt's spectral effects are not implemented") \
    X("smear", "SuperDirt's spectral effects are not implemented") \
    X("scram", "SuperDirt's spectral effects are not implemented") \
    X("binshift", "SuperDirt's spectral effects are not implemented") \
    X("hbrick", "SuperDirt's spectral effects are not implemented; try hcutoff") \
    X("lbrick", "SuperDirt's spectral effects are not implemented; try cutoff") \
    X("freeze", "SuperDirt's spectral effects are not implemented") \
    X("real", "SuperDirt's spectral effects are not implemented") \
    X("imag", "SuperDirt's spectral effects are not implemented") \
    X("enhance", "SuperDirt's spectral effects are not implemented") \
    X("partials", "SuperDirt's spectral effects are not implemented") \
    X("xsdelay", "SuperDirt's spectral effects are not implemented") \
    X("tsdelay", "SuperDirt's spectral effects are not implemented") \
    X("leslie", "the orbit's leslie is not implemented") \
    X("lrate", "the orbit's leslie is not implemented") \
    X("lsize", "the orbit's leslie is not implemented") \
    X("phaserrate", "not implemented per voice") \
    X("phaserdepth", "not implemented per voice") \
    X("fshift", "the frequency shifter is not implemented") \
    X("fshiftnote", "the frequency shifter is not implemented") \
    X("fshiftphase", "the frequency shifter is not implemented") \
    X("vib", "vibrato is not implemented per voice") \
    X("vibmod", "vibrato is not implemented per voice") \
    X("fmh", "Strudel's per-voice FM is not implemented; instruments have fm") \
    X("fmi", "Strudel's per-voice FM is not implemented; instruments have fm") \
    X("bandf", "voices have no band-pass; use  # bpf cutoff q  on the sound") \
    X("bandq", "voices have no band-pass; use  # bpf cutoff q  on the sound") \
    X("bpenv", "voices have no band-pass, so no band-pass envelope") \
    X("bpattack", "voices have no band-pass, so no band-pass envelope") \
    X("bpdecay", "voices have no band-pass, so no band-pass envelope") \
    X("bpsustain", "voices have no band-pass, so no band-pass envelope") \
    X("bprelease", "voices have no band-pass, so no band-pass envelope") \
    X("xfade", "not implemented")


#endif
