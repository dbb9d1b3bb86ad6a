# twincheck — plain Makefile.
#
#   make                 build the library and the `twincheck` command (into build/)
#   make check           build and run every test
#   make demo            run the main job on the bundled example package
#   make install PREFIX=/usr/local
#   make docs            regenerate docs/rules.md from the rule catalogue
#   make rules-sbo       regenerate rules/sbml/sbo.tsv from the installed libSBML
#   make bench           time solvers and SBML validation against CVODE and libSBML
#   make fuzz            build the libFuzzer targets (clang) and run each (docs/fuzzing.md)
#
# Policy: C11, strict warnings; DEVELOPER=1 adds -Werror; SANITIZE=address,undefined
# builds with sanitizers; V=1 shows the full commands. Missing Debian packages are
# installed by scripts/ensure-deps.sh when run as root (otherwise it prints the line).

.DEFAULT_GOAL := all
PREFIX ?= /usr/local
BUILD ?= build
CC := gcc

ifeq ($(V),1)
Q :=
else
Q := @
endif

PKGS := libxml-2.0 libxslt libexslt jansson libcrypto libzip zlib hdf5 lapacke openblas
TEST_PKGS := check

WARNINGS := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 \
	-Wvla -Wpointer-arith -Wundef -Wnull-dereference -Wno-unused-parameter
CFLAGS ?= -O2 -g
BASE_CFLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARNINGS) \
	-Iinclude -Ivalidator -Ireference-solvers -I$(BUILD)/gen -MMD -MP
ifeq ($(DEVELOPER),1)
BASE_CFLAGS += -Werror
endif
ifneq ($(SANITIZE),)
BASE_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
LDFLAGS += -fsanitize=$(SANITIZE)
endif

# Dependencies are checked (and installed as root) before anything is compiled;
# their flags are cached in build/config.mk, which make rebuilds and then re-reads.
NODEPS_GOALS := clean distclean help
ifeq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
else
include $(BUILD)/config.mk
endif

$(BUILD)/config.mk: scripts/ensure-deps.sh Makefile
	$(Q)mkdir -p $(BUILD)
	$(Q)./scripts/ensure-deps.sh
	$(Q)printf 'DEP_CFLAGS := %s\nDEP_LIBS := %s\nTEST_CFLAGS := %s\nTEST_LIBS := %s\n' \
		"$$(pkg-config --cflags $(PKGS))" "$$(pkg-config --libs $(PKGS)) -lm" \
		"$$(pkg-config --cflags $(TEST_PKGS))" "$$(pkg-config --libs $(TEST_PKGS))" > $@

ALL_CFLAGS = $(BASE_CFLAGS) $(DEP_CFLAGS) $(CFLAGS)

# Sources: every stage folder under validator/ and the solvers; the command's main
# lives in validator/cli and is linked only into the binary.
LIB_SRC := $(sort $(filter-out validator/cli/%,$(wildcard validator/*/*.c)) \
	$(wildcard reference-solvers/*.c reference-solvers/*/*.c))
CLI_SRC := $(sort $(wildcard validator/cli/*.c))
GEN_SRC := $(BUILD)/gen/rules_data.c
TEST_SRC := $(sort $(wildcard tests/unit/*.c tests/integration/*.c tests/fuzz/*.c))
RULE_FILES := $(sort $(wildcard rules/catalogue/*.tsv)) rules/formats.tsv rules/kisao.tsv \
	rules/sbml/sbo.tsv
PACK_FILES := $(sort $(wildcard rules/credibility/*.json))

LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/rules_data.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/obj/%.o)
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/obj/%.o)

LIB := $(BUILD)/libtwincheck.a
BIN := $(BUILD)/twincheck
TEST_BIN := $(BUILD)/run-tests

.PHONY: all check unit-check hdr-check demo install docs bench clean distclean help
all: $(BIN)

help:
	@sed -n '3,10p' Makefile | sed 's/^# *//'

$(BUILD)/gen/rules_data.c: scripts/embed.sh $(RULE_FILES) $(PACK_FILES)
	$(Q)mkdir -p $(@D)
	$(Q){ ./scripts/embed.sh tc_catalogue_text $(filter %.tsv,$(filter rules/catalogue/%,$(RULE_FILES))); \
	   ./scripts/embed.sh tc_formats_text rules/formats.tsv | sed 1,2d; \
	   ./scripts/embed.sh tc_kisao_text rules/kisao.tsv | sed 1,2d; \
	   ./scripts/embed.sh tc_sbo_text rules/sbml/sbo.tsv | sed 1,2d; \
	   ./scripts/embed.sh tc_packs_text $(PACK_FILES) | sed 1,2d; } > $@

$(BUILD)/gen/suites.h: scripts/list-suites.sh $(TEST_SRC)
	$(Q)mkdir -p $(@D)
	$(Q)./scripts/list-suites.sh $(TEST_SRC) > $@

$(BUILD)/obj/gen/%.o: $(BUILD)/gen/%.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -Ivalidator/core -c $< -o $@

$(BUILD)/obj/tests/%.o: tests/%.c $(BUILD)/config.mk $(BUILD)/gen/suites.h
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) $(TEST_CFLAGS) -Wno-missing-prototypes -DTC_SOURCE_DIR='"$(CURDIR)"' -c $< -o $@

$(BUILD)/obj/%.o: %.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(DEP_LIBS)

$(TEST_BIN): $(TEST_OBJ) $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(TEST_OBJ) $(LIB) $(TEST_LIBS) $(DEP_LIBS)

# Archives zip cannot make (zip slip, duplicates, lying headers, links) are written
# by tests/tools/mkzip from fixtures/GROUP/NAME/package.zipspec into
# $(BUILD)/fixtures/GROUP/NAME.omex, at test time.
FIXTURE_ZIPS := $(patsubst fixtures/%/package.zipspec,$(BUILD)/fixtures/%.omex,\
	$(wildcard fixtures/*/*/package.zipspec))
$(BUILD)/tools/mkzip: tests/tools/mkzip.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(DEP_LIBS)
$(BUILD)/fixtures/%.omex: fixtures/%/package.zipspec $(BUILD)/tools/mkzip
	@mkdir -p $(@D)
	$(Q)$(BUILD)/tools/mkzip $< $@

# Every public header compiles on its own, pedantically.
PUBLIC_HEADERS := $(wildcard include/twincheck/*.h)
hdr-check: $(BUILD)/config.mk
	$(Q)for h in $(PUBLIC_HEADERS); do \
	  printf '#include "%s"\ntypedef int hdr_check_unit;\n' "$$h" | $(CC) -std=c11 -Wall -Wextra -pedantic -Werror -Iinclude \
	    -x c -fsyntax-only - || exit 1; done

unit-check: $(TEST_BIN) $(BIN) $(FIXTURE_ZIPS)
	$(Q)TC_BINARY=$(abspath $(BIN)) TC_FIXTURES=$(abspath $(BUILD)/fixtures) $(abspath $(TEST_BIN))

check: hdr-check unit-check
	$(Q)./scripts/check-docs.sh $(BIN)

demo: $(BIN)
	$(Q)./scripts/demo.sh $(BIN)

docs: $(BIN)
	$(Q)./scripts/gen-rules-doc.sh $(BIN) > docs/rules.md

# The SBO is-a table, from the ontology compiled into libSBML (a development step;
# the result is committed, and nothing at build or run time needs libSBML).
.PHONY: rules-sbo
rules-sbo:
	$(Q)./scripts/ensure-deps.sh libsbml5-dev g++
	$(Q)mkdir -p $(BUILD)/tools
	$(Q)g++ -O2 -Wall -o $(BUILD)/tools/gen-sbo scripts/gen-sbo.cpp -lsbml
	$(Q)$(BUILD)/tools/gen-sbo > rules/sbml/sbo.tsv

# Benchmarks against the tools users would pick instead (bench/run.sh): their
# libraries are installed here, never by `make` or `make check`.
BENCH_PKGS := libsundials-dev libsbml5-dev time
BENCH_LIBS := -lsundials_cvode -lsundials_nvecserial -lsundials_sunmatrixdense \
	-lsundials_sunlinsoldense
BENCH_BIN := $(BUILD)/solvers-bench $(BUILD)/bench/sbml-gen $(BUILD)/bench/sbml-check-twincheck \
	$(BUILD)/bench/sbml-check-libsbml $(BUILD)/conformance-sbml-semantic
.PHONY: bench-deps
bench-deps:
	$(Q)./scripts/ensure-deps.sh $(BENCH_PKGS)
$(BUILD)/solvers-bench: bench/solvers_bench.c $(LIB) | bench-deps
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(BENCH_LIBS) $(DEP_LIBS)
$(BUILD)/bench/sbml-gen: bench/sbml_gen.c $(BUILD)/config.mk
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< -lm
$(BUILD)/bench/sbml-check-twincheck: bench/sbml_check.c $(LIB)
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(DEP_LIBS)
$(BUILD)/bench/sbml-check-libsbml: bench/sbml_check.c $(BUILD)/config.mk | bench-deps
	@mkdir -p $(@D)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) -DTC_BENCH_LIBSBML $(LDFLAGS) -o $@ $< -lsbml

bench: bench-deps $(BENCH_BIN)
	$(Q)./bench/run.sh $(BUILD) ../shared/testsuites docs/benchmarks.md

# Fuzzing with clang and libFuzzer: the rules are in tests/fuzz/fuzz.mk.
.PHONY: fuzz fuzz-build
fuzz fuzz-build: $(BUILD)/config.mk $(FIXTURE_ZIPS)
	$(Q)$(MAKE) --no-print-directory -f tests/fuzz/fuzz.mk BUILD=$(BUILD) $@

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/twincheck/rules \
		$(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(BIN) $(DESTDIR)$(PREFIX)/bin/twincheck
	cp -R rules/. $(DESTDIR)$(PREFIX)/share/twincheck/rules/
	install -m 0644 docs/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

clean distclean:
	rm -rf $(BUILD)

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TEST_OBJ:.o=.d)

# Conformance runs over ../shared/testsuites (not part of `make check`; .ci/run runs them).
CONF_SBML := $(BUILD)/conformance-sbml
$(CONF_SBML): tests/conformance/sbml_validation.c $(LIB) $(BUILD)/config.mk
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(DEP_LIBS)

.PHONY: conformance-sbml-validation
conformance-sbml-validation: $(CONF_SBML)
	$(Q)./$(CONF_SBML) ../shared/testsuites --doc docs/conformance.md --floors tests/conformance/floors \
		--contradictions tests/conformance/sbml-contradictions.tsv

CONF_SEMANTIC := $(BUILD)/conformance-sbml-semantic
$(CONF_SEMANTIC): tests/conformance/sbml_semantic.c $(LIB) $(BUILD)/config.mk
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(DEP_LIBS)

.PHONY: conformance-sbml-semantic
conformance-sbml-semantic: $(CONF_SEMANTIC)
	$(Q)./$(CONF_SEMANTIC) ../shared/testsuites --doc docs/conformance.md \
		--failures-doc docs/conformance-sbml-semantic-failures.md --floors tests/conformance/floors

CONF_RERUN := $(BUILD)/conformance-rerun-semantic
$(CONF_RERUN): tests/conformance/rerun_semantic.c tests/conformance/semantic_case.h $(LIB) $(BUILD)/config.mk
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(DEP_LIBS)

.PHONY: conformance-rerun-semantic
conformance-rerun-semantic: $(CONF_RERUN)
	$(Q)./$(CONF_RERUN) ../shared/testsuites --doc docs/conformance.md --floors tests/conformance/floors
