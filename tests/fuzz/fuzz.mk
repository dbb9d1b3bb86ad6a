# libFuzzer targets (docs/fuzzing.md). Run through the top Makefile:
#   make fuzz                    build every target into build/fuzz/ and run each
#                                for FUZZ_SECONDS (default 60)
#   make fuzz FUZZ_TARGETS=xml   run some of them
#   make fuzz-build              build only
# The library is compiled again with clang, coverage and ASan+UBSan into
# build/fuzz/lib; inputs the fuzzer finds go to build/fuzz/corpus/NAME, crashes,
# leaks and timeouts to build/fuzz/artifacts/NAME/.

BUILD ?= build
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS ?= -O1 -g -fno-omit-frame-pointer
# More libFuzzer options or seed folders, given after the corpus folders.
FUZZ_ARGS ?=
ALL_TARGETS := $(sort $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c)))
FUZZ_TARGETS ?= $(ALL_TARGETS)
FUZZ_LIB := $(FUZZ_DIR)/lib/libtwincheck.a

include $(BUILD)/config.mk

# Seeds from the fixtures, copied into one folder per target (libFuzzer reads
# folders); the committed corpus tests/fuzz/corpus/NAME is passed as well.
SBML_SEEDS := $(shell grep -rlZ --include='*.xml' '<sbml' fixtures | tr '\0' ' ')
seeds_intake := $(wildcard $(BUILD)/fixtures/*/*.omex)
seeds_xml := $(wildcard fixtures/*/*/*.xml fixtures/*/*/*/*.xml fixtures/*/*/*.sedml)
seeds_json := $(wildcard fixtures/*/*/*.json fixtures/*/*/*/*.json fixtures/*/*/*/*/*.json)
seeds_sbml := $(SBML_SEEDS)
seeds_comp := $(SBML_SEEDS)
seeds_simulate := $(SBML_SEEDS)
seeds_mathml := $(SBML_SEEDS)
seeds_sedml := $(wildcard fixtures/*/*/*.sedml fixtures/*/*/*/*.sedml fixtures/*/*/*/*/*.sedml)
seeds_csv := $(wildcard fixtures/*/*/*.csv fixtures/*/*/*/*.csv fixtures/*/*/*/*/*.csv)
seeds_dossier := $(wildcard fixtures/*/*/*/dossier.json fixtures/*/*/*/*/dossier.json \
	rules/credibility/*.json)
seeds_certify :=

.PHONY: fuzz fuzz-build FORCE
.SECONDARY:
fuzz-build: $(ALL_TARGETS:%=$(FUZZ_DIR)/%)

# The library through the top Makefile, with clang and the fuzzer's coverage.
$(FUZZ_LIB): FORCE
	@$(MAKE) --no-print-directory -f Makefile BUILD=$(FUZZ_DIR)/lib CC=$(FUZZ_CC) \
		CFLAGS="$(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer-no-link" $(FUZZ_LIB)

$(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_LIB)
	@echo "  FUZZ    $@"
	@$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DTC_FUZZ_LIBFUZZER \
		$(FUZZ_CFLAGS) $(FUZZ_SAN) -fsanitize=fuzzer -Iinclude -Ivalidator -Ireference-solvers \
		$(DEP_CFLAGS) -o $@ $< $(FUZZ_LIB) $(DEP_LIBS)

# One target at a time (the machine is shared): -timeout 10 s per input, 2 GiB
# of memory; the first failure stops the run with the artifact's path.
fuzz: $(FUZZ_TARGETS:%=fuzz-run-%)

fuzz-seeds-%: FORCE
	@rm -rf $(FUZZ_DIR)/seeds/$*
	@mkdir -p $(FUZZ_DIR)/seeds/$* $(FUZZ_DIR)/corpus/$* $(FUZZ_DIR)/artifacts/$*
	@for f in $(seeds_$*); do cp "$$f" "$(FUZZ_DIR)/seeds/$*/$$(printf '%s' "$$f" | tr / _)"; done

fuzz-run-%: $(FUZZ_DIR)/% fuzz-seeds-% FORCE
	@echo "== fuzz $* for $(FUZZ_SECONDS) s"
	@$(FUZZ_DIR)/$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 -rss_limit_mb=2048 \
		-max_len=65536 -print_final_stats=1 -artifact_prefix=$(FUZZ_DIR)/artifacts/$*/ \
		$(FUZZ_DIR)/corpus/$* tests/fuzz/corpus/$* $(FUZZ_DIR)/seeds/$* $(FUZZ_ARGS)
