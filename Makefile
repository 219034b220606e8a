# customer_unify: build with PGXS; `make test`, `make demo`, `make bench` wrap the scripts in test/.

EXTENSION    = customer_unify
EXTVERSION   = 0.1
MODULE_big   = customer_unify
OBJS         = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA_built   = sql/$(EXTENSION)--$(EXTVERSION).sql
PGFILEDESC   = "customer_unify - in-database customer unification"

# Regression tests (pg_regress, sql/NAME.sql -> expected/NAME.out), in this order.
REGRESS      = setup normalize phone compare phonetic name_similarity limits name_search sources resolve realtime svg golden sentiment customer
REGRESS_OPTS = --inputdir=.

ICU_CFLAGS  := $(shell pkg-config --cflags icu-uc icu-i18n 2>/dev/null)
ICU_LIBS    := $(shell pkg-config --libs icu-uc icu-i18n 2>/dev/null || echo -licui18n -licuuc -licudata)

# -Wextra minus unused-parameter, which PostgreSQL's own inline functions (bufpage.h) trip
PG_CFLAGS   += -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter
PG_CPPFLAGS += $(ICU_CFLAGS)
SHLIB_LINK  += $(ICU_LIBS)

EXTRA_CLEAN  = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Every object is rebuilt when a header changes (PGXS tracks no header dependencies).
$(OBJS): $(wildcard src/*.h)

# The install script is assembled from the commented sources in sql/install/, in file-name order.
sql/$(EXTENSION)--$(EXTVERSION).sql: $(sort $(wildcard sql/install/*.sql))
	cat $^ > $@

.PHONY: test demo demo-stop bench quality

# The whole test suite in a throwaway cluster; installs missing packages first (root or sudoer).
test:
	bash test/run_tests.sh

# Build, install, start a throwaway cluster, load the sample silos and show the unification.
demo:
	bash test/demo/run_demo.sh

demo-stop:
	bash test/demo/run_demo.sh --stop

# Benchmarks against the peer extensions (not part of `make test`).
bench:
	bash test/bench/run_bench.sh

# Quality harnesses on ../shared/data (not part of `make test`).
quality:
	bash test/quality/run_quality.sh $(QUALITY_DATA)

# The regression test names, for test/run_tests.sh.
print-regress:
	@echo $(REGRESS)
