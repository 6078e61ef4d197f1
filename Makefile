# kefu - the two commands: `make run` and `make test` (README.md).
BUILD ?= build
DB ?= sqlite:kefu.db
LISTEN ?= 127.0.0.1:8080
DEMO_CUSTOMERS ?= 2000

.PHONY: all deps build run test bench clean

all: build

deps:
	@scripts/deps.sh

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

# Initialise the database (printing the admin password once), load demo
# data on the first run, and serve until Ctrl-C.
run: build
	$(BUILD)/kefu init --db $(DB)
	$(BUILD)/kefu demo --db $(DB) --customers $(DEMO_CUSTOMERS) --if-empty
	@echo "kefu: open http://$(LISTEN)/ (Ctrl-C to stop)"
	$(BUILD)/kefu serve --db $(DB) --listen $(LISTEN)

test:
	@scripts/deps.sh test
	scripts/test.sh

bench: build
	bench/run.sh

clean:
	rm -rf $(BUILD) build-asan
