# corridor — build, run, test and benchmark.
#   make            build build/corridor
#   make run        install what is missing, build, create the demo database
#                   if there is none, and show the overview
#   make test       install what is missing and run every test with
#                   AddressSanitizer and UndefinedBehaviorSanitizer
#   make bench      benchmarks against the peers (writes bench/results/)
#   make format     clang-format the sources

CC      ?= cc
PKGS    := sqlite3 jansson zlib gsl libsodium libmicrohttpd libzip expat xlsxwriter
CFLAGS  ?= -O2 -g
WARN    := -std=c17 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
           -Wno-missing-field-initializers
CPPFLAGS := -D_GNU_SOURCE $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
LDLIBS  := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lglpk -lm -lpthread
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC     := $(sort $(wildcard src/*/*.c))
ASSETS  := $(sort $(wildcard src/db/schema/*.sql)) $(sort $(wildcard data/ref/*.csv)) \
           $(sort $(wildcard data/demo/*.csv)) $(sort $(wildcard data/web/*))
HDRS    := $(wildcard src/*/*.h)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
LANGS   := ru kk zh
MOS     := $(patsubst %,build/locale/corridor/LC_MESSAGES/corridor-%.mo,$(LANGS))
DB      ?= corridor.db

.PHONY: all run test unit cases api e2e hostile kill faults soak bench fuzz format clean bootstrap pot
all: build/corridor

bootstrap:
	@sh scripts/bootstrap.sh

# ---- release build (build/) and sanitizer build (build/asan/) ----
build/assets.S build/assets.c &: scripts/embed.sh Makefile $(ASSETS)
	@mkdir -p build
	@sh scripts/embed.sh build/assets.S build/assets.c $(ASSETS)

define BUILD
$(1)/obj/%.o: %.c $(HDRS)
	@mkdir -p $$(dir $$@)
	@echo "  CC $$@"
	@$$(CC) $$(CPPFLAGS) $$(WARN) $$(CFLAGS) $(2) -c $$< -o $$@
$(1)/obj/assets.o: build/assets.S $(ASSETS)
	@mkdir -p $$(dir $$@)
	$$(CC) -c build/assets.S -o $$@
$(1)/obj/assets_table.o: build/assets.c
	@mkdir -p $$(dir $$@)
	$$(CC) $$(CFLAGS) $(2) -c $$< -o $$@
$(1)/libcorridor.a: $(patsubst %.c,$(1)/obj/%.o,$(SRC)) $(1)/obj/assets.o $(1)/obj/assets_table.o
	@rm -f $$@ && ar rcs $$@ $$^
$(1)/corridor: $(1)/obj/src/main.o $(1)/libcorridor.a | $(MOS)
	@echo "  LD $$@"
	@$$(CC) $$(CFLAGS) $(2) -o $$@ $$^ $$(LDLIBS)
endef
$(eval $(call BUILD,build,))
$(eval $(call BUILD,build/asan,$(SAN)))

# ---- translations (GNU gettext): po/LL.po -> build/locale/corridor/LC_MESSAGES/corridor-LL.mo,
# found beside the binary; `make pot` extracts the strings and merges them into each po ----
build/locale/corridor/LC_MESSAGES/corridor-%.mo: po/%.po
	@mkdir -p $(dir $@)
	@msgfmt --check -o $@ $<
pot:
	@xgettext --keyword=T --keyword=N_ --keyword=TF --keyword=NF_ --keyword=NC_:1c,2 --flag=T:1:no-c-format --flag=N_:1:no-c-format --flag=TF:1:c-format --flag=NF_:1:c-format --from-code=UTF-8 --language=C --no-location --sort-output \
	    --package-name=corridor -o po/corridor.pot src/*/*.c
	@for l in $(LANGS); do msgmerge --quiet --update --backup=none --no-fuzzy-matching \
	    --sort-output po/$$l.po po/corridor.pot && \
	    msgattrib --no-obsolete --sort-output -o po/$$l.po po/$$l.po; done

# ---- fuzzing (clang's libFuzzer): make fuzz [FUZZ_SECONDS=60] ----
FUZZ_SECONDS ?= 60
TEST_FUZZ_SECONDS ?= 15
FUZZ_FLAGS := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
build/fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	@echo "  CC $@"
	@clang $(CPPFLAGS) -std=c17 -g -O1 $(FUZZ_FLAGS) -c $< -o $@
build/fuzz/libcorridor.a: $(patsubst %.c,build/fuzz/obj/%.o,$(SRC)) build/assets.S build/assets.c
	@clang -c build/assets.S -o build/fuzz/obj/assets.o
	@clang -g -O1 -c build/assets.c -o build/fuzz/obj/assets_table.o
	@rm -f $@ && ar rcs $@ $(patsubst %.c,build/fuzz/obj/%.o,$(SRC)) build/fuzz/obj/assets.o \
	    build/fuzz/obj/assets_table.o
build/fuzz/%: fuzz/%.c $(wildcard fuzz/*.h) build/fuzz/libcorridor.a
	@echo "  LD $@"
	@clang $(CPPFLAGS) $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -Isrc -o $@ $< \
	    build/fuzz/libcorridor.a $(LDLIBS) $(FUZZ_LDFLAGS_$*)
# fuzz_http sees every status the server queues
FUZZ_LDFLAGS_fuzz_http := -Wl,--wrap=MHD_queue_response

FUZZERS := fuzz_csv fuzz_decimal fuzz_import fuzz_records fuzz_json fuzz_xlsx fuzz_ops fuzz_http

# each target from its seeds in fuzz/corpus/<target>/ (read only), adding what
# it finds to build/fuzz/corpus-<target>/; a crash stops it with the input
# saved as build/fuzz/<target>-crash-* (docs/fuzzing.md: how to replay it)
fuzz: bootstrap $(addprefix build/fuzz/,$(FUZZERS))
	@for t in $(FUZZERS); do \
	    mkdir -p build/fuzz/corpus-$$t; \
	    echo "== $$t ($(FUZZ_SECONDS) s)"; \
	    if ! build/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -max_len=8192 -timeout=60 \
	        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/fuzz/$$t- \
	        build/fuzz/corpus-$$t fuzz/corpus/$$t >build/fuzz/$$t.log 2>&1; then \
	        grep -v '^#' build/fuzz/$$t.log | tail -40; echo "fuzz: $$t failed (build/fuzz/$$t.log)"; \
	        exit 1; fi; \
	    grep -E '^(Done|stat::number_of_executed_units)' build/fuzz/$$t.log; \
	done

# ---- unit tests (cmocka), linked against the sanitizer library ----
build/asan/test_%: tests/unit/test_%.c tests/unit/support.h build/asan/libcorridor.a $(HDRS) | $(MOS)
	@echo "  LD $@"
	@$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(SAN) -Isrc -o $@ $< build/asan/libcorridor.a \
	    $(LDLIBS) -lcmocka

unit: $(patsubst tests/unit/%.c,build/asan/%,$(UNIT))
	@sh tests/check-po.sh
	@set -e; for t in $^; do echo "== $$t"; ./$$t; done

cases: build/asan/corridor
	@sh tests/run-cases.sh build/asan/corridor

# the server driven over HTTP, then the dashboard in Chromium (node --test)
api: build/asan/corridor
	@CORRIDOR=build/asan/corridor node --test tests/api/

e2e: build/asan/corridor
	@CORRIDOR=build/asan/corridor node --test tests/e2e/

# crash consistency: SIGKILL during an import and API writes, KILL_ROUNDS times
KILL_ROUNDS ?= 50
kill: build/asan/corridor
	@KILL_ROUNDS=$(KILL_ROUNDS) CORRIDOR=build/asan/corridor node --test tests/crash/

# faults: read-only file and directory, full disk, locks, damaged and foreign files
faults: build/asan/corridor
	@CORRIDOR=build/asan/corridor node --test tests/faults/

# soak: a mixed read/write wrk load for SOAK_SECONDS, then briefly under ASan/LSan
SOAK_SECONDS ?= 300
soak: build/corridor build/asan/corridor
	@SOAK_SECONDS=$(SOAK_SECONDS) CORRIDOR=build/asan/corridor node --test tests/soak/

# hostile clients: slow heads, floods, stalled uploads, oversized queries
# (wrk and node need a descriptor per connection: the soft limit is raised)
hostile: build/asan/corridor
	@ulimit -n "$$(ulimit -Hn)" 2>/dev/null; CORRIDOR=build/asan/corridor node --test tests/hostile/

# every test, then each fuzzer briefly
test: bootstrap
	@$(MAKE) --no-print-directory unit cases api e2e hostile faults
	@$(MAKE) --no-print-directory kill KILL_ROUNDS=3
	@$(MAKE) --no-print-directory soak SOAK_SECONDS=20
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(TEST_FUZZ_SECONDS)

# the build in a second make: the libraries' flags are read once bootstrap has installed them
run: bootstrap
	@$(MAKE) --no-print-directory build/corridor
	@[ -f "$(DB)" ] || ./build/corridor demo --db "$(DB)"
	@echo "corridor: reads are open on loopback; to sign in or write, add a person or create a token:"
	@echo "          build/corridor user add --name NAME --role viewer|editor:AREA|admin --db $(DB)"
	@echo "          build/corridor token create --name NAME --role viewer|editor:AREA|admin --db $(DB)"
	./build/corridor serve --db "$(DB)"

bench: bootstrap
	@$(MAKE) --no-print-directory build/corridor
	@sh bench/trade.sh
	@sh bench/logistics.sh
	@sh bench/server.sh

format:
	clang-format -i src/*.c src/*/*.c src/*/*.h tests/unit/*.c

clean:
	rm -rf build
