# kefu - the two commands: `make run` and `make test` (README.md).
BUILD ?= build
DB ?= sqlite:kefu.db
LISTEN ?= 127.0.0.1:8080
DEMO_CUSTOMERS ?= 2000

.PHONY: all deps web build run test docs bench fuzz clean deb test-deb test-deb-host

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

# The web UI needs Node.js and the npm registry; without them the server
# still builds and runs (without the UI).
web:
	@if [ -f web/package.json ] && command -v npm >/dev/null 2>&1; then \
		cd web && { [ -L node_modules ] || { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ]; } || npm ci --no-audit --no-fund; } && npm run build; \
	else echo "kefu: npm not found; building the server without the web UI"; fi

build: deps web $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Initialise the database (printing the admin password once), load demo
# data on the first run (--extras: cases, answers, visits, calls, so every
# screen has something to show), and serve until Ctrl-C.
run: build
	$(BUILD)/kefu init --db $(DB)
	$(BUILD)/kefu demo --db $(DB) --customers $(DEMO_CUSTOMERS) --extras --if-empty
	@echo "kefu: open http://$(LISTEN)/ (Ctrl-C to stop)"
	$(BUILD)/kefu serve --db $(DB) --listen $(LISTEN)

test:
	@scripts/deps.sh test
	scripts/test.sh

# The user guide's screenshots (docs/guide/img/): its browser test alone, on a small demo
# database. `make test` refreshes them too (the browser phase runs every test).
DOCS_CUSTOMERS ?= 2000
docs: build
	@scripts/deps.sh test
	KEFU_BROWSER_CUSTOMERS=$(DOCS_CUSTOMERS) KEFU_BROWSER_TESTS=tests/browser/guide.test.mjs tests/browser/run.sh

# The Debian package (scripts/deb.sh; docs/deploy.md) and its tests, root only:
#   test-deb       a clean Debian 12 root (debootstrap, cached in /var/cache/kefu-test):
#                  apt-get install, the service under systemd-nspawn --boot, restart, remove,
#                  purge (tests/deb/chroot-test.sh; also a phase of `make test`)
#   test-deb-host  installs and purges the package on this machine (a throwaway CI machine)
deb: build
	scripts/deb.sh $(BUILD)

test-deb: build
	tests/deb/chroot-test.sh "$$(scripts/deb.sh $(BUILD))"

test-deb-host: build
	tests/deb/test-deb.sh "$$(scripts/deb.sh $(BUILD))"

bench: build
	bench/run.sh

# The libFuzzer targets of tests/fuzz (clang, build-fuzz/), each for FUZZ_SECONDS.
FUZZ_SECONDS ?= 60
fuzz:
	FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/fuzz.sh

clean:
	rm -rf $(BUILD) build-asan build-fuzz
