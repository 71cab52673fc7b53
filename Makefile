# phonon -- live-coding pattern synthesizer.  See README.md, `make help`.
#
# One binary, ./phonon, from the flat src/ directory; object files and test
# programs go to $(BUILD) (build/ by default, build/asan, build/tsan, ... for
# the sanitizer variants, so a variant never mixes objects with another).

PREFIX  ?= /usr/local
BUILD   ?= build
CC      ?= cc
OPT     ?= -O2
CFLAGS  ?= -g $(OPT)
WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wpointer-arith -Wformat=2 -Wundef -Wvla -Wwrite-strings \
           -Wold-style-definition -Wno-unused-parameter
# The program's own sources also keep floats from turning into doubles unseen
# and never cast const away (the tests are not held to these yet).
SRC_WARN = -Wdouble-promotion -Wcast-qual
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) $(SAN_FLAGS) $(PKG_CFLAGS) $(ALSA_CFLAGS) \
             -DPHONON_DATADIR='"$(PREFIX)/share/phonon"' -MMD -MP \
             $(if $(LINK_HDR),-DPHONON_HAVE_LINK=1)
LDFLAGS ?=
PKGS     = portaudio-2.0 sndfile soxr
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
# liblo (OSC), optional: tests/test_osc.c checks our decoder (src/osc.c)
# against it when it is installed; phonon itself does not link it.
LO_CFLAGS := $(shell pkg-config --exists liblo 2>/dev/null && echo -DPHONON_HAVE_LIBLO=1 `pkg-config --cflags liblo`)
LO_LIBS   := $(shell pkg-config --libs liblo 2>/dev/null)
# Ableton Link (ableton-link-dev: C++ headers), optional: src/link.cpp is
# compiled with the C++ compiler when they are installed (link.h); without
# them src/link_none.c says so and `--link` is refused.
LINK_HDR  := $(wildcard /usr/include/ableton/Link.hpp)
LINK_CXX  ?= $(if $(CC_IS_CLANG),$(subst clang,clang++,$(CC)),g++)
LINK_OBJ   = $(if $(LINK_HDR),$(BUILD)/link.o)
LINK_LIBS  = $(if $(LINK_HDR),-lstdc++ $(LINK_ATOMIC))
# ALSA's sequencer (MIDI out, midi_alsa.c), optional: without it phonon has
# no MIDI devices (render --midi-file still works).
ALSA_CFLAGS := $(shell pkg-config --exists alsa 2>/dev/null && echo -DPHONON_HAVE_ALSA=1 `pkg-config --cflags alsa`)
ALSA_LIBS   := $(shell pkg-config --exists alsa 2>/dev/null && pkg-config --libs alsa)
LDLIBS   = $(PKG_LIBS) $(ALSA_LIBS) $(LINK_LIBS) -lpthread -lm -ldl
# The phonon binary of this build variant.
PHONON  ?= $(if $(filter build,$(BUILD)),./phonon,$(BUILD)/phonon)

ARCH := $(shell uname -m)
CC_IS_CLANG := $(shell $(CC) --version 2>/dev/null | grep -qi clang && echo 1)
# clang leaves std::atomic's is_lock_free (in Link's headers) to libatomic,
# where g++ inlines it: `make lint` with clang 14 failed to link without it.
LINK_ATOMIC := $(if $(CC_IS_CLANG),$(if $(filter /%,$(shell $(CC) -print-file-name=libatomic.so 2>/dev/null)),-latomic))
# The voice kernels (voice_<isa>.c, the code in voice_kern.h) are compiled
# per instruction set and chosen at run time from the CPU's features
# ($$PHONON_SIMD forces one). GCC vectorises their lane loops only with these
# flags (if-conversion of the selects), and uses real gather instructions
# for the wave tables and samples only when tuned for a CPU that has fast
# ones; the scalar build has vectorisation off and is the reference. No
# floating-point contraction anywhere: every kernel computes the same bits.
ifeq ($(CC_IS_CLANG),1)
KERN_OPT = -O3
NOVEC    = -fno-vectorize -fno-slp-vectorize
else
KERN_OPT = -O3 -fno-trapping-math -fno-tree-pre -fno-tree-dominator-opts -fno-thread-jumps
NOVEC    = -fno-tree-vectorize -fno-tree-slp-vectorize
endif
SIMD_scalar = $(KERN_OPT) $(NOVEC) -ffp-contract=off
SIMD_simd   = $(KERN_OPT) -ffp-contract=off
ifneq ($(filter x86_64 amd64 i686,$(ARCH)),)
SIMD_avx2   = $(KERN_OPT) -mavx2 -mfma -mtune=skylake -ffp-contract=off
SIMD_avx512 = $(KERN_OPT) -mavx512f -mavx512dq -mavx512vl -mfma -mtune=skylake-avx512 -ffp-contract=off
endif

SRC     = $(filter-out $(SRC_EXCLUDE),$(wildcard src/*.c))
OBJ     = $(patsubst src/%.c,$(BUILD)/%.o,$(SRC)) $(LINK_OBJ)
LIBOBJ  = $(filter-out $(BUILD)/cli_main.o,$(OBJ))
TESTSRC = $(wildcard tests/test_*.c)
TESTS   = $(patsubst tests/%.c,$(BUILD)/%,$(TESTSRC))


.PHONY: all deps deps-test demo test test-unit test-conformance test-cli test-render test-live \
        test-fuzz sanitize asan tsan rtsan msan bench fuzz soak soak-live lint \
        install uninstall clean help check-libs samples man editors

all: check-libs $(PHONON) samples

help:
	@echo "make            build ./phonon and the sample kit"
	@echo "make deps       install missing packages (scripts/install-deps.sh)"
	@echo "make demo       deps + build + render (and play) patterns/demo.ph"
	@echo "make test       everything a user needs to trust a build (< 15 min)"
	@echo "make sanitize   the suite under ASan+UBSan, TSan and RealtimeSanitizer; the pattern core under MSan"
	@echo "make bench      query, render and profile benchmarks"
	@echo "make man        regenerate man/phonon-language.7 from the name tables"
	@echo "make editors    regenerate editor/ (Vim, Emacs, VS Code) and completions/ (bash, zsh)"
	@echo "make soak       an hour of patterns/demo.ph through the engine (memory, NaN, clipping, silence)"
	@echo "make soak-live  ten minutes of reloads every 100 ms under a JACK dummy server"
	@echo "make fuzz       each fuzz target FUZZ_SECONDS (600), 2 at a time: 550 (render, reload) to"
	@echo "                200,000 (osc) executions a second per core late in long runs; 10^7 of each"
	@echo "                is about 7 hours of 2 cores (FUZZ_RUNS=N: N executions each; build/fuzz/ledger"
	@echo "                adds up the runs; FUZZ_INSTANCE=name: a second run of a target beside one)"
	@echo "make lint | install | uninstall | clean"

# --- dependencies -----------------------------------------------------------

deps:
	@sh scripts/install-deps.sh $(DEPS_FLAGS)

check-libs:
	@command -v pkg-config >/dev/null 2>&1 && pkg-config --exists $(PKGS) || \
	  { echo "phonon: missing build dependencies (pkg-config, PortAudio, libsndfile, libsoxr): run 'make deps'" >&2; exit 1; }

# --- build ------------------------------------------------------------------

$(PHONON): $(OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/%.o: src/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(SRC_WARN) $(SIMD_$(lastword $(subst _, ,$*))) -c -o $@ $<

$(BUILD)/link.o: src/link.cpp | $(BUILD)
	$(LINK_CXX) -std=c++14 -Wall -Wextra -Wno-unused-parameter $(CFLAGS) $(SAN_FLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/test_%: tests/test_%.c $(LIBOBJ) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJ) $(CMOCKA_LIBS) $(LDLIBS)

$(BUILD)/test_osc: tests/test_osc.c $(LIBOBJ) | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(LO_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJ) $(CMOCKA_LIBS) $(LO_LIBS) $(LDLIBS)

# The language page's generator reads the name tables of the library objects.
$(BUILD)/gen-language: scripts/gen_language.c $(LIBOBJ) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

# man/phonon-language.7 is generated from the name tables and committed;
# `make test` fails while it is out of date.
man: $(BUILD)/gen-language
	./$(BUILD)/gen-language > man/phonon-language.7

# Editor syntax files and shell completions, generated from the same tables
# (and phonon --help) and committed; `make test` fails while out of date.
editors: $(BUILD)/gen-language $(PHONON)
	python3 scripts/gen-editors.py $(BUILD)/gen-language $(PHONON) .

$(BUILD)/tool_%: scripts/%.c | $(BUILD)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LDLIBS)

$(BUILD):
	@mkdir -p $(BUILD)

# The project's own sample kit: generated, deterministic, CC0 (scripts/make-samples).
samples: samples/.stamp
samples/.stamp: scripts/make-samples scripts/make_samples.c
	@sh scripts/make-samples

-include $(OBJ:.o=.d) $(TESTS:=.d)

# --- tests ------------------------------------------------------------------

# Everything a user needs to trust a build; under 15 minutes on 2 cores.
# tests/run.sh runs every stage even when one fails (build, the cmocka
# programs, conformance, cli, render, live, fuzz), counts each program and
# test script as a unit, and ends with one line "make test: N passed, N
# failed, N skipped" (non-zero exit on a failure). The live test plays real
# time on a JACK dummy server: it runs alone, after the build, never beside
# a parallel job. deps-test installs what is missing, the JACK server
# included (quick when everything is there); a failure to install is
# reported and the tests go on (what cannot run is skipped, and says why).
RUN_TESTS = MAKE="$(MAKE)" BUILD=$(BUILD) PHONON=$(PHONON) TESTS="$(TESTS)" sh tests/run.sh

test: deps-test
	@TEST_LABEL="make test" $(RUN_TESTS)

deps-test:
	@sh scripts/install-deps.sh --with-jack $(DEPS_FLAGS) || \
	  echo "make test: could not install every dependency (scripts/install-deps.sh --with-jack); going on" >&2

test-unit:
	@TEST_LABEL=test-unit $(RUN_TESTS) unit

test-conformance: $(PHONON)
	@TEST_LABEL=test-conformance $(RUN_TESTS) conformance

test-cli: $(PHONON) $(BUILD)/gen-language
	@TEST_LABEL=test-cli $(RUN_TESTS) cli

test-render: $(PHONON) samples
	@TEST_LABEL=test-render $(RUN_TESTS) render

test-live: $(PHONON) $(BUILD)/test_audio
	@TEST_LABEL=test-live $(RUN_TESTS) live

test-fuzz:
	@TEST_LABEL=test-fuzz $(RUN_TESTS) fuzz

# Sanitizer builds: each variant in its own build directory.
SAN_CC ?= $(shell command -v clang-22 >/dev/null 2>&1 && echo clang-22 || echo clang)
sanitize: asan tsan rtsan msan

asan:
	@$(MAKE) --no-print-directory BUILD=build/asan CC=$(SAN_CC) OPT=-O1 \
	  SAN_FLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined" \
	  build/asan/phonon test-unit test-conformance test-render
tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan CC=$(SAN_CC) OPT=-O1 \
	  SAN_FLAGS="-fsanitize=thread" build/tsan/phonon test-unit
# MemorySanitizer: reads of memory never written, in the pattern core (a
# signal's event once had its whole's times unset, and loopFirst moved
# them). Only what runs on phonon's own code: test_pat and the conformance
# cases (phonon query); the rest calls libraries not built with it.
msan:
	@$(MAKE) --no-print-directory BUILD=build/msan CC=$(SAN_CC) OPT=-O1 \
	  SAN_FLAGS="-fsanitize=memory -fno-omit-frame-pointer" build/msan/phonon build/msan/test_pat test-conformance && \
	  ./build/msan/test_pat
rtsan:
	@if echo 'int main(void){return 0;}' | $(SAN_CC) -fsanitize=realtime -x c - -o /dev/null 2>/dev/null; then \
	  $(MAKE) --no-print-directory BUILD=build/rtsan CC=$(SAN_CC) OPT=-O1 \
	    SAN_FLAGS="-fsanitize=realtime -DPHONON_RTSAN=1" build/rtsan/test_pool build/rtsan/test_rt && \
	  RTSAN_OPTIONS=$${RTSAN_OPTIONS:-halt_on_error=1} ./build/rtsan/test_pool && \
	  RTSAN_OPTIONS=$${RTSAN_OPTIONS:-halt_on_error=1} ./build/rtsan/test_rt; \
	else echo "rtsan: $(SAN_CC) has no -fsanitize=realtime (install clang-22: make deps DEPS_FLAGS=--with-sanitizers)" >&2; exit 1; fi

# --- benchmarks, fuzzing, soak ------------------------------------------------

bench: all
	@PHONON=$(PHONON) sh scripts/bench.sh

fuzz:
	@FUZZ_EACH=1 FUZZ_SECONDS=$${FUZZ_SECONDS:-600} sh tests/fuzz/run.sh

# An hour of a dense pattern through the engine: memory flat, the output
# never NaN, clipped or silent (tests/soak/soak_render.c).
$(BUILD)/soak_render: tests/soak/soak_render.c $(LIBOBJ) | $(BUILD)
	$(CC) $(ALL_CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

soak: $(BUILD)/soak_render samples
	./$(BUILD)/soak_render $${SOAK_PATTERN:-patterns/demo.ph} $${SOAK_RENDER_SECONDS:-3600}

soak-live: $(PHONON)
	@PHONON=$(PHONON) SOAK_SECONDS=$${SOAK_SECONDS:-600} sh tests/live/soak.sh

lint:
	@$(MAKE) --no-print-directory BUILD=build/lint-gcc CC=gcc CFLAGS="-O2 -Werror" build/lint-gcc/phonon
	@$(MAKE) --no-print-directory BUILD=build/lint-clang CC=clang CFLAGS="-O2 -Werror" build/lint-clang/phonon

# --- demo, install ----------------------------------------------------------

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(PHONON)

# scripts/install.sh holds the one list of installed files (uninstall removes
# exactly those). The kit's compiled-in path follows PREFIX: $(BUILD)/prefix
# changes when PREFIX does, and sample.o is rebuilt.
install: all
	@sh scripts/install.sh install $(PHONON) "$(DESTDIR)$(PREFIX)"

uninstall:
	@sh scripts/install.sh uninstall $(PHONON) "$(DESTDIR)$(PREFIX)"

PREFIX_STAMP := $(shell mkdir -p $(BUILD) && { [ "$$(cat $(BUILD)/prefix 2>/dev/null)" = "$(PREFIX)" ] || \
                  echo "$(PREFIX)" > $(BUILD)/prefix; })
$(BUILD)/sample.o: $(BUILD)/prefix

clean:
	rm -rf build phonon samples/.stamp
