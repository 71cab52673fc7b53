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
    X("speed", NULL, "p", "speed\0", 0, NULL, "rate=1", \
      "playback rate; negative plays backwards; a synth's pitch times |rate| (SuperDirt's; the sos drums and superclap: their row says)", \
      "out: s \"bd*2\" # speed \"1 -1\"") \
    X("begin", NULL, "p", "begin\0", 0, NULL, "pos=0[0,1]", "where in the sample playing starts", \
      "out: s \"sn*4\" # begin 0.25") \
    X("end", NULL, "p", "end\0", 0, NULL, "pos=1[0,1]", "where in the sample playing stops", \
      "out: s \"sn*4\" # end 0.5") \
    X("cut", NULL, "p", "cut\0", 0, NULL, "group=0", \
      "a new voice in cut group g (> 0) stops the others in g", "out: s \"hh*8\" # cut 1") \
    X("legato", NULL, "p", "legato\0", 0, NULL, "x=0", \
      "the voice's gate is x times its event's length", "out: s \"sn*4\" # legato 0.5") \
    X("unit", NULL, "p", "unit\0", 0, NULL, "\"r\" | \"c\" | \"s\"", \
      "\"c\": speed is in cycles (the sample lasts 1/speed cycle); \"s\": the sample lasts speed seconds", \
      "out: s \"bd\" # unit \"c\" # speed 1") \
    X("loop", NULL, "p", "loop\0", 0, NULL, "times=0", "play the sample this many extra times", \
      "out: s \"bd\" # loop 2") \
    X("shape", NULL, "p", "shape\0", 0, NULL, "amount=0[0,1]", "waveshaping distortion of a sample voice", \
      "out: s \"bd*4\" # shape 0.5") \
    X("crush", NULL, "p", "crush\0", 0, NULL, "bits", "bit reduction of a sample voice", \
      "out: s \"sn*4\" # crush 4") \
    X("attack", NULL, "p", "attack\0", 0, NULL, "seconds", "the voice's attack (instruments: 0.01)", \
      "out: s \"sn*4\" # attack 0.01") \
    X("decay", NULL, "p", "decay\0", 0, NULL, "seconds", \
      "the voice's decay, to sustain; on a synth, SuperDirt's decay (0..1: the level after 0.2 of the note is 1 - decay; its row says)", \
      "out: s \"sn*4\" # decay 0.1") \
    X("sustain", NULL, "p", "sustain\0", 0, NULL, "seconds | level=0.5 (with decay)", \
      "SuperDirt's: the voice's length in seconds (a sample is cut there; a synth's note length); with decay " \
      "given, Strudel's: the level after the decay", "out: s \"bd*2 arpy\" # sustain 0.1") \
    X("release", NULL, "p", "release\0", 0, NULL, "seconds", "the voice's release (instruments: 0.3)", \
      "out: s \"sn*4\" # release 0.1") \
    X("hold", NULL, "p", "hold\0", 0, NULL, "seconds", \
      "SuperDirt's linen envelope: the voice's gate closes attack + hold seconds after its onset (not at the event's end)", \
      "out: s \"arpy\" # attack 0.01 # hold 0.1 # release 0.2") \
    X("velocity", NULL, "p", "velocity\0", 0, NULL, "v=1", "multiplies gain", \
      "out: s \"bd*4\" # velocity \"1 0.5\"") \
    X("freq", NULL, "p", "freq\0", 0, NULL, "hz", "a synth's or instrument's pitch in Hz (instead of note)", \
      "out: s \"superfm\" # freq 220") \
    X("octave", NULL, "p", "octave\0", 0, NULL, "octave=4", "moves note by whole octaves (4: as written)", \
      "out: note \"0 7\" # s \"superpwm\" # octave 3") \
    X("cutoff", NULL, "p", "cutoff\0", 0, NULL, "hz", "a sample voice's low-pass cutoff", \
      "out: s \"hh*4\" # cutoff 2000") \
    X("resonance", NULL, "p", "resonance\0", 0, NULL, "q=0.707", \
      "the q of the voice's filter (cutoff); on a synth with a filter of its own, SuperDirt's resonance 0..1 (its row says)", \
      "out: s \"hh*4\" # cutoff 2000 # resonance 0.3") \
    X("lpf", NULL, "pp", "cutoff\0resonance\0", 0, NULL, "cutoff q=0.707", \
      "low-pass per sample voice (on other sounds: the lpf effect)", "out: s \"hh*4\" # lpf 2000 0.3") \
    X("hpf", NULL, "pp", "hcutoff\0hresonance\0", 0, NULL, "cutoff q=0.707", \
      "high-pass per sample voice (on other sounds: the hpf effect)", "out: s \"hh*4\" # hpf 2000") \
    X("bpf", NULL, "pp", "bandf\0bandq\0", 0, NULL, "cutoff q", \
      "band-pass on the sound, a filter after its voices (per voice: bandf, bandq)", "out: s \"hh*4\" # bpf 2000 2") \
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
      "a sample voice's speed glides from speed to speed * (1 + a) while it plays (a step every block); a synth's pitch likewise over its sustain (a step every 64 frames)", \
      "out: s \"bd\" # accelerate \"-0.5\"") \
    X("coarse", NULL, "p", "coarse\0", 0, NULL, "n=0", \
      "the voice holds every n-th frame (sample-rate reduction; 0, 1: off)", "out: s \"bd*4\" # coarse 8") \
    X("vowel", NULL, "p", "vowel\0", 0, NULL, "\"a\"|\"e\"|\"i\"|\"o\"|\"u\"", \
      "the voice through five formant band-passes (tenor formants; an approximation of SuperDirt's)", \
      "out: s \"bd*4\" # vowel \"a e\"") \
    X("hcutoff", NULL, "p", "hcutoff\0", 0, NULL, "hz", "a sample voice's high-pass cutoff (when it has no cutoff)", \
      "out: s \"hh*4\" # hcutoff 2000") \
    X("hresonance", NULL, "p", "hresonance\0", 0, NULL, "q=0.707", "the q of a sample voice's high-pass", \
      "out: s \"hh*4\" # hcutoff 2000 # hresonance 2") \
    X("hpq", "hresonance", "p", "hresonance\0", 0, NULL, "q=0.707", "the q of a sample voice's high-pass", \
      "out: s \"hh*4\" # hcutoff 2000 # hpq 2") \
    X("djf", NULL, "p", "djf\0", 0, NULL, "x=0.5[0,1]", \
      "DJ filter of the voice (any kind): below 0.5 a low-pass (20 Hz .. 10 kHz), above a high-pass", \
      "out: s \"hh*8\" # djf \"0.2 0.8\"") \
    X("triode", NULL, "p", "triode\0", 0, NULL, "amount=0", \
      "triode-like distortion of the voice (any kind) (the negative half squashed)", "out: s \"bd*4\" # triode 0.5") \
    X("krush", NULL, "p", "krush\0", 0, NULL, "amount=0", \
      "Sonic Pi's krush distortion of the voice (any kind), through a low-pass at kcutoff", \
      "out: s \"bd*4\" # krush 1") \
    X("kcutoff", NULL, "p", "kcutoff\0", 0, NULL, "hz=4000", "the low-pass after krush", \
      "out: s \"bd*4\" # krush 1 # kcutoff 1000") \
    X("ring", NULL, "p", "ring\0", 0, NULL, "amount=0", \
      "ring modulation of the voice (any kind): x (1 + amount sin ringf)", "out: s \"bd*4\" # ring 1 # ringf 300") \
    X("ringf", NULL, "p", "ringf\0", 0, NULL, "hz=0[20,20000]", "the ring modulator's frequency", \
      "out: s \"bd*4\" # ring 1 # ringf 300") \
    X("ringdf", NULL, "p", "ringdf\0", 0, NULL, "hz=0", \
      "the ring modulator glides to ringf + ringdf over the voice's first second", \
      "out: s \"bd*4\" # ring 1 # ringf 300 # ringdf 600") \
    X("tremolodepth", NULL, "p", "tremolodepth\0", 0, NULL, "d=0[0,1] (0.5 with tremolorate)", \
      "tremolo of the voice (any kind): its level swings by d", "out: s \"sn\" # tremolodepth 1 # tremolorate 8") \
    X("tremolorate", NULL, "p", "tremolorate\0", 0, NULL, "hz=1", "the tremolo's rate", \
      "out: s \"sn\" # tremolorate 8") \
    X("octer", NULL, "p", "octer\0", 0, NULL, "x=0[0,2]", \
      "octaver of the voice (any kind): an octave up (2 |x|) crossfaded in by x (1: only it, 2: silent)", \
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
    /* issue 12 (h-controls): the rest of SuperDirt's and Strudel's per-voice controls; every voice kind */ \
    X("nudge", NULL, "p", "nudge\0", 0, NULL, "seconds=0[0,60]", \
      "starts the event's voices this much later (SuperDirt's nudge; negative values count as 0: a voice cannot start early); moves an s \"midi\" event's messages, earlier too", \
      "out: s \"bd*4\" # nudge \"0 0.02\"") \
    X("offset", NULL, "p", "offset\0", 0, NULL, "seconds=0[0,60]", \
      "SuperDirt's offset: the voices start offset x |speed| seconds later (before voicing: the voicing that many places further along the dictionary's list, taken out of the event)", \
      "out: s \"bd*2\" # offset 0.05") \
    X("duration", NULL, "p", "duration\0", 0, NULL, "cycles", \
      "Strudel's duration: the voice's gate lasts this many cycles (instead of its event's length) and cuts it there, as legato does", \
      "out: s \"sn*4\" # duration 0.1") \
    X("dur", "duration", "p", "duration\0", 0, NULL, "cycles", \
      "Strudel's duration (in cycles; Tidal's dur only sets SuperDirt's delta, which Tidal always sends)", \
      "out: s \"sn*4\" # dur 0.1") \
    X("bandf", NULL, "p", "bandf\0", 0, NULL, "hz=0[20,sr/2]", \
      "SuperDirt's band-pass of the voice at hz (times bandq in level)", \
      "out: s \"hh*4\" # bandf 2000") \
    X("bandq", NULL, "p", "bandq\0", 0, NULL, "q=10[1,50]", \
      "the q of the voice's band-pass (bandf)", \
      "out: s \"hh*4\" # bandf 2000 # bandq 4") \
    X("bpenv", NULL, "p", "bpenv\0", 0, NULL, "octaves=1", \
      "Strudel's filter envelope of the voice's band-pass (bandf): it sweeps from bandf to octaves above (below when negative)", \
      "out: s \"hh*4\" # bandf 500 # bpenv 3") \
    X("bpattack", NULL, "p", "bpattack\0", 0, NULL, "seconds=0.005", \
      "the band-pass envelope's attack", \
      "out: s \"hh*4\" # bandf 500 # bpenv 3 # bpattack 0.2") \
    X("bpdecay", NULL, "p", "bpdecay\0", 0, NULL, "seconds=0.14", \
      "the band-pass envelope's decay", \
      "out: s \"hh*4\" # bandf 500 # bpenv 3 # bpdecay 0.2") \
    X("bpsustain", NULL, "p", "bpsustain\0", 0, NULL, "level=0 (1 with only attack)", \
      "the band-pass envelope's sustain, a fraction of the sweep", \
      "out: s \"hh*4\" # bandf 500 # bpenv 3 # bpsustain 0.5") \
    X("bprelease", NULL, "p", "bprelease\0", 0, NULL, "seconds=0.1", \
      "the band-pass envelope's release, after the event", \
      "out: s \"hh*4\" # bandf 500 # bpenv 3 # bprelease 0.2") \
    X("waveloss", NULL, "p", "waveloss\0", 0, NULL, "n=0[0,100]", \
      "SuperDirt's waveloss: of every 100 segments between rising zero crossings, the first n are silenced", \
      "out: s \"arpy*4\" # waveloss 40") \
    X("squiz", NULL, "p", "squiz\0", 0, NULL, "ratio[1,100]", \
      "SuperDirt's squiz: each chunk between rising zero crossings is replayed ratio times as fast while the next arrives", \
      "out: s \"arpy*4\" # squiz 2") \
    X("fshift", NULL, "p", "fshift\0", 0, NULL, "hz=0", \
      "SuperDirt's frequency shifter: every partial of the voice moves by hz (single sideband)", \
      "out: s \"arpy*4\" # fshift 100") \
    X("fshiftnote", NULL, "p", "fshiftnote\0", 0, NULL, "x=0", \
      "adds x times the voice's note frequency to fshift", \
      "out: s \"arpy*4\" # fshiftnote 0.5") \
    X("fshiftphase", NULL, "p", "fshiftphase\0", 0, NULL, "radians=0", \
      "the frequency shifter's phase", \
      "out: s \"arpy*4\" # fshift 100 # fshiftphase 1.57") \
    X("hbrick", NULL, "p", "hbrick\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's spectral high-pass at 0.6 x Nyquist x x; approximated by an 8th-order Butterworth high-pass", \
      "out: s \"hh*4\" # hbrick 0.3") \
    X("lbrick", NULL, "p", "lbrick\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's spectral low-pass at (1 - x) x Nyquist; approximated by an 8th-order Butterworth low-pass", \
      "out: s \"hh*4\" # lbrick 0.7") \
    X("comb", NULL, "p", "comb\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's spectral comb (256 x teeth); approximated by a feed-forward comb, delay 512 x frames", \
      "out: s \"hh*4\" # comb 0.3") \
    X("smear", NULL, "p", "smear\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's spectral smear (1 .. 64 bins); approximated: each partial spread over as wide a band (times low-passed noise), crossfaded in by x", \
      "out: s \"arpy*4\" # smear 0.5") \
    X("scram", NULL, "p", "scram\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's bin scramble; approximated: partials spread over x/4 of the sample rate (times low-passed noise), crossfaded in by x", \
      "out: s \"arpy*4\" # scram 0.3") \
    X("binshift", NULL, "p", "binshift\0", 0, NULL, "x[0,1]", \
      "SuperDirt's spectral bin stretch (0.01 .. 4); approximated by a pitch shift by that ratio (two taps over a 2048-frame delay)", \
      "out: s \"arpy*4\" # binshift 0.5") \
    X("freeze", NULL, "p", "freeze\0", 0, NULL, "x=0 (> 0: on)", \
      "SuperDirt's spectral freeze from the onset; approximated: after the voice's first 2560 frames, 2048 of them loop while it lasts", \
      "out: s \"arpy*4\" # freeze 1") \
    X("real", NULL, "p", "real\0", 0, NULL, "x=0.5[0,1]", \
      "SuperDirt's conformal map (real part of a, 0.01 .. 2); approximated on the analytic signal frame by frame, not on spectral bins", \
      "out: s \"arpy*4\" # real 0.3") \
    X("imag", NULL, "p", "imag\0", 0, NULL, "x=0.5[0,1]", \
      "the conformal map's imaginary part of a (0.01 .. 10); approximated as real", \
      "out: s \"arpy*4\" # imag 0.3") \
    X("enhance", NULL, "p", "enhance\0", 0, NULL, "x=0.5[0,1]", \
      "SuperDirt's spectral enhance; approximated by an exciter (tanh overtones added at strength 0.99 x)", \
      "out: s \"arpy*4\" # enhance 0.5") \
    X("xsdelay", NULL, "p", "xsdelay\0", 0, NULL, "mask=0[0,15]", \
      "SuperDirt's spectral delay: band i of 16 (40 Hz .. 17 kHz) is delayed by (i & mask) / 16 x tsdelay x 0.2 s (bands of q 50, delays within 85 ms at 48 kHz)", \
      "out: s \"hh*4\" # xsdelay 5 # tsdelay 0.3") \
    X("tsdelay", NULL, "p", "tsdelay\0", 0, NULL, "x=0.5[0,1]", \
      "the spectral delay's time, x 0.2 s", \
      "out: s \"hh*4\" # xsdelay 3 # tsdelay 0.5") \
    X("leslie", NULL, "p", "leslie\0", 0, NULL, "x=0[0,1]", \
      "SuperDirt's rotary speaker, wet/dry (per voice here, on the orbit there)", \
      "out: s \"arpy*4\" # leslie 1") \
    X("lrate", NULL, "p", "lrate\0", 0, NULL, "hz=6.7", \
      "the leslie's rotor rate (0.7 slow, 6.7 fast)", \
      "out: s \"arpy*4\" # leslie 1 # lrate 0.7") \
    X("lsize", NULL, "p", "lsize\0", 0, NULL, "metres=0.3", \
      "the leslie cabinet's size: its Doppler swing", \
      "out: s \"arpy*4\" # leslie 1 # lsize 0.6") \
    X("phaserrate", NULL, "p", "phaserrate\0", 0, NULL, "hz=1", \
      "SuperDirt's phaser: the voice plus phaserdepth x itself 8.8 .. 10 ms later, the delay swinging at this rate", \
      "out: s \"arpy*4\" # phaserrate 2") \
    X("phaserdepth", NULL, "p", "phaserdepth\0", 0, NULL, "x=0.5[0,1]", \
      "the phaser's depth", \
      "out: s \"arpy*4\" # phaserrate 2 # phaserdepth 0.8") \
    X("vib", NULL, "p", "vib\0vibmod\0", 0, NULL, "hz[:semitones]", \
      "Strudel's vibrato: the voice's pitch swings vibmod semitones at hz (a modulated delay; the pitch falls first)", \
      "out: note \"0 7\" # s \"superpwm\" # vib 4") \
    X("vibrato", "vib", "p", "vib\0vibmod\0", 0, NULL, "hz[:semitones]", \
      "Strudel's vibrato", \
      "out: note \"0 7\" # s \"superpwm\" # vibrato 4") \
    X("vibmod", NULL, "p", "vibmod\0vib\0", 0, NULL, "semitones=0.5[:hz]", \
      "the vibrato's depth (with vib)", \
      "out: note \"0 7\" # s \"superpwm\" # vib 4 # vibmod 1") \
    X("fmi", NULL, "p", "fmi\0fmh\0", 0, NULL, "index=0", \
      "Strudel's FM: phase modulation of the voice by a sine at fmh x its note frequency, of this index at the fundamental (a modulated delay; any voice)", \
      "out: note \"0 7\" # s \"superpwm\" # fmi 2 # fmh 2") \
    X("fmh", NULL, "p", "fmh\0fmi\0", 0, NULL, "ratio=1", \
      "the FM modulator's frequency ratio to the note (with fmi)", \
      "out: note \"0 7\" # s \"superpwm\" # fmi 1 # fmh 1.5") \
    /* issue 11/12: Strudel's voicing controls, read (and taken out of the event) by voicing */ \
    X("chord", NULL, "p", "chord\0", 0, NULL, "symbol", \
      "the chord symbol voicing turns into notes (C^7 Dm7 F#m7b5 Bb7#11 Ebadd9 G7sus)", \
      "out: chord \"<C^7 Dm7 G7>\" # voicing # s \"superfm\"") \
    X("dictionary", NULL, "p", "dictionary\0", 0, NULL, "name=ireal", \
      "voicing's dictionary: ireal ireal-ext lefthand triads guidetones legacy", \
      "out: chord \"<C^7 Dm7 G7>\" # dictionary \"lefthand\" # voicing # s \"superfm\"") \
    X("dict", "dictionary", "p", "dictionary\0", 0, NULL, "name=ireal", "voicing's dictionary", \
      "out: chord \"<C Am>\" # dict \"triads\" # voicing # s \"superfm\"") \
    X("anchor", NULL, "p", "anchor\0", 0, NULL, "note=c5 (a name, or a MIDI number as in Strudel)", \
      "the note voicing aligns each voicing to (its top note at or below it in mode below)", \
      "out: chord \"<C^7 Dm7 G7>\" # anchor \"<c4 g4>\" # voicing # s \"superfm\"") \
    X("mode", NULL, "p", "mode\0anchor\0", 0, NULL, "below|duck|above|root[:anchor]", \
      "how voicing aligns to the anchor: top note <= anchor (below), the same without the anchor note " \
      "(duck), bottom note >= anchor (above), the first voicing, root at the anchor's octave (root)", \
      "out: chord \"<C^7 Dm7 G7>\" # mode \"above:c4\" # voicing # s \"superfm\"") \
    X("octaves", NULL, "p", "octaves\0", 0, NULL, "count=1", \
      "voicing with n: how many octaves a round of the voicing's notes climbs", \
      "out: n \"0 .. 7\" # chord \"C^7\" # octaves 2 # voicing # s \"superfm\"") \
    /* issue 14: MIDI out, SuperDirt's MIDI event (midi.h); these act on events of s "midi" */ \
    X("midichan", NULL, "p", "midichan\0", 0, NULL, "channel=0[0,15]", \
      "MIDI: the channel of s \"midi\" events (0 is MIDI's channel 1)", \
      "out: s \"midi\" # note \"c4 e4\" # midichan 2") \
    X("midicmd", NULL, "p", "midicmd\0", 0, NULL, "\"noteOn\"|\"control\"|\"program\"|\"midiClock\"|\"start\"|\"stop\"|...", \
      "MIDI: a command the other controls did not send: noteOn, noteOff, control, program, polyTouch, touch, bend, " \
      "allNotesOff, midiClock (or clock), start, stop, continue, songPtr", \
      "out: s \"midi\" # midicmd \"[start/4, midiClock*48]\"") \
    X("ccn", NULL, "p", "ccn\0", 0, NULL, "number[0,127]", "MIDI: a control change's number (with ccv)", \
      "out: s \"midi\" # ccn 74 # ccv \"<0 64 127>\"") \
    X("ccv", NULL, "p", "ccv\0", 0, NULL, "value[0,127]", "MIDI: a control change's value (with ccn)", \
      "out: s \"midi\" # ccn 74 # ccv \"0 32 64 127\"") \
    X("cc", NULL, "p", "ccn\0ccv\0", 0, NULL, "\"number:value\"", "MIDI: a control change, ccn and ccv at once", \
      "out: s \"midi\" # cc \"74:64 74:100\"") \
    X("nrpn", NULL, "p", "nrpn\0val\0", 0, NULL, "\"number[:value]\"", \
      "MIDI: an NRPN (CC 99 98 6 38, then 101 100 = 127), number and value 14 bits each", \
      "out: s \"midi\" # nrpn \"1000:8192\"") \
    X("nrpnn", NULL, "p", "nrpn\0", 0, NULL, "number[0,16383]", "MIDI: an NRPN's number", \
      "out: s \"midi\" # nrpnn 1000 # nrpnv 64") \
    X("nrpnv", NULL, "p", "val\0", 0, NULL, "value=0[0,16383]", "MIDI: an NRPN's value (the val control)", \
      "out: s \"midi\" # nrpnn 1000 # nrpnv 64") \
    X("val", NULL, "p", "val\0", 0, NULL, "value", "MIDI: the value of an NRPN, of midicmd touch (125) and bend (8192)", \
      "out: s \"midi\" # midicmd \"bend\" # val \"0 8192 16383\"") \
    X("progNum", NULL, "p", "progNum\0", 0, NULL, "program[0,127]", "MIDI: a program change", \
      "out: s \"midi\" # progNum \"<0 5>\"") \
    X("polyTouch", NULL, "p", "polyTouch\0", 0, NULL, "pressure[0,127]", \
      "MIDI: poly pressure on the event's notes (then no note-on)", \
      "out: s \"midi\" # note \"c4\" # polyTouch \"0 64 127\"") \
    X("midibend", NULL, "p", "midibend\0", 0, NULL, "bend[0,16383] (8192: none)", "MIDI: a pitch bend", \
      "out: s \"midi\" # midibend \"8192 12000\"") \
    X("miditouch", NULL, "p", "miditouch\0", 0, NULL, "pressure[0,127]", "MIDI: channel pressure", \
      "out: s \"midi\" # miditouch \"0 64 127\"") \
    X("ctlNum", NULL, "p", "ctlNum\0", 0, NULL, "number=ccn", "MIDI: midicmd control's number", \
      "out: s \"midi\" # midicmd \"control\" # ctlNum 7 # control 100") \
    X("control", NULL, "p", "control\0", 0, NULL, "value=ccv|125", "MIDI: midicmd control's value", \
      "out: s \"midi\" # midicmd \"control\" # ctlNum 7 # control 100") \
    X("songPtr", NULL, "p", "songPtr\0", 0, NULL, "sixteenths[0,16383]", "MIDI: midicmd songPtr's position", \
      "out: s \"midi\" # midicmd \"songPtr\" # songPtr 0") \
    /* issue 13: the phonon family's spelling (its staccato f is legato f) */ \
    X("staccato", "legato", "p", "legato\0", 0, NULL, "x=0", \
      "legato under the phonon family's name: the gate is x times the event's length", \
      "out: s \"sn*4\" # staccato 0.25") \
    /* issue 12 (h-synthctl): SuperDirt's per-synth arguments. Each synth \
     * reads those its SYNTHS row in graph_names.h lists (with its \
     * SynthDef's meaning there); the compiler warns where a synth played \
     * does not take one, or no synth is played (graph_synthctl.c). */ \
    X("voice", NULL, "p", "voice\0", 0, NULL, "x (per synth)", \
      "a synth's timbre knob, SuperDirt's voice: supersaw's detune, supersquare's pulse width, superhammond's drawbar preset ... (each synth's row says)", \
      "out: s \"supersquare*4\" # voice \"0.5 0.2\"") \
    X("detune", NULL, "p", "detune\0", 0, NULL, "x (per synth)", \
      "a synth's detune: supersaw's saw spread (semitones), superreese's and supermandolin's in %, supertron's in Hz ... (each synth's row says)", \
      "out: s \"superreese\" # note -24 # detune 2 # legato 1") \
    X("rate", NULL, "p", "rate\0", 0, NULL, "x=1 (per synth)", \
      "a synth's LFO or repeat rate: supersaw's filter sweep, superpwm's width LFO (Hz), superchip's slide repeats, superclap's burst decay", \
      "out: s \"supersaw\" # note -12 # rate 4 # legato 1") \
    X("semitone", NULL, "p", "semitone\0", 0, NULL, "st=12 (per synth)", \
      "the second oscillator's interval: supersaw's triangle above, supersquare's and superpwm's pulse below; sossnare's modulator ratio (0.452)", \
      "out: s \"supersaw\" # note -12 # semitone 7 # legato 1") \
    X("pitch1", NULL, "p", "pitch1\0", 0, NULL, "x=1 (per synth)", \
      "a synth's filter scale: supersaw/supersquare/supercomparator's cutoff, superclap's band; sossnare's noise band in Hz (2000)", \
      "out: s \"supersaw\" # note -12 # pitch1 0.3 # legato 1") \
    X("pitch2", NULL, "p", "pitch2\0", 0, NULL, "x (per synth)", \
      "superchip's second oscillator's harmonic (1 here, SuperDirt's 2); soskick's beater noise 0..1 (0)", \
      "out: s \"superchip*4\" # note 12 # pitch2 2") \
    X("lfo", NULL, "p", "lfo\0", 0, NULL, "depth=1[0,100]", \
      "supersaw's and supersquare's filter LFO: the sweep's top is (lfo + 1) times its bottom", \
      "out: s \"supersquare\" # note -12 # lfo 4 # legato 1") \
    X("slide", NULL, "p", "slide\0", 0, NULL, "x=0 (per synth)", \
      "superchip: a glide of slide x 100 Hz up through the pitch, repeated rate times; superhoover: a dip of slide/4 of the pitch at the start; superzow: the phasing speed (1)", \
      "out: s \"superchip\" # note 12 # slide 2 # legato 1") \
    X("modamp", NULL, "p", "modamp\0", 0, NULL, "x=1[0,2]", \
      "supervibe's tremolo depth: the level swings down by modamp/2 (as tremolodepth; off unless modamp or modfreq is given)", \
      "out: s \"supervibe\" # modamp 1.5 # modfreq 5") \
    X("modfreq", NULL, "p", "modfreq\0", 0, NULL, "hz=7", "supervibe's tremolo rate", \
      "out: s \"supervibe\" # modfreq 4") \
    /* issue 12 (h-synthctl): Strudel's fm is fmi after # with one argument \
     * on a pattern (fm carrier modulator index otherwise: graph_eval.c) */ \
    X("fm", "fmi", "p", "fmi\0fmh\0", 0, NULL, "index=0", \
      "Strudel's FM index of the voice, as fmi (fm carrier modulator index on its own: the oscillator)", \
      "out: note \"0 7\" # s \"superpwm\" # fm 2 # fmh 2") \
    /* issue 11: Strudel's name for legato; with one argument after # on a \
     * pattern only (clip lo hi, the sound function, otherwise: graph_eval.c) */ \
    X("clip", "legato", "p", "legato\0", 0, NULL, "x=0", \
      "Strudel's legato: the gate is x times the event's length (# clip lo hi on audio: the sound function)", \
      "out: s \"sn*4\" # clip 0.5")

/* issue 12: SuperDirt and Strudel controls phonon does not play yet. Each is
 * refused with its reason where an unknown name would be (graph_cc.c), so
 * that no program accepts one and sounds the same without it.
 * Columns of X(name, why). */
#define PHONON_CONTROLS_LATER(X) \
    X("partials", "Tidal sends it, but no SuperDirt effect or synth reads it") \
    /* issue 12 (h-synthctl): SuperDirt synth arguments phonon's synths do not take */ \
    X("pitch3", "superchip's third oscillator (SuperDirt's pitch3) is not in phonon's superchip; pitch2 moves its second") \
    X("percf", "superhammond's percussion (SuperDirt's perc and percf) is not in phonon's; perc is phonon's envelope") \
    X("vrate", "superhammond's vibrato (SuperDirt's vibrato and vrate) is not here; vib and vibmod swing any voice's pitch") \
    X("muffle", "superpiano's muffle is not in phonon's superpiano; lpf on the voice is the nearest") \
    X("lfofreq", "superfm's six operators (lfofreq, lfodepth, ratioN, modNM, egrateNM ...) are not in phonon's two-operator superfm; fmi and fmh modulate any voice") \
    X("lfodepth", "superfm's pitch LFO is not in phonon's two-operator superfm; vib and vibmod swing any voice's pitch")

#endif
