# Swiftlet: the two commands of a fresh machine are `make serve` and `make test`.
# The machine image keeps the Swift toolchain in /opt/swift; make it findable from a bare shell.
export PATH := $(if $(wildcard /opt/swift/usr/bin/swift),/opt/swift/usr/bin:,)$(PATH)
SWIFT ?= swift
MODEL ?= models/SmolLM2-135M-Instruct.Q4_1.gguf
RELEASE_BIN = .build/release/swiftlet
HOST = 127.0.0.1
PORT = 8000

.PHONY: serve test build release models test-models deps clean bench-compare bench-serve-compare bench-moe check-avx512-emulated check-neon

# `make serve`: installs what is missing, fetches the default model, builds in release mode and
# serves it over the OpenAI-compatible API on 127.0.0.1:8000 (`make serve HOST=0.0.0.0 PORT=8001`).
serve: deps models release
	$(RELEASE_BIN) serve $(MODEL) --host $(HOST) --port $(PORT)

test: deps test-models
	scripts/check-avx512-emulated
	scripts/check-neon
	$(SWIFT) build --build-tests
	# Package.resolved is committed and the build used exactly its pins.
	scripts/check-resolved
	# One suite at a time: the server's disconnect test measures how quickly an abort reaches the
	# engine, which CPU-heavy suites running beside it on 2 cores can delay (seen once here).
	$(SWIFT) test --skip-build --no-parallel
	# The official OpenAI Python client against `swiftlet serve` (the debug binary built above).
	python3 tests/python/test_openai_client.py
	# KV cache events as a vLLM consumer reads them (pyzmq, msgpack, cbor2 recompute the hashes).
	python3 tests/python/test_kv_events.py
	# Two replicas behind vLLM's router (vllm-router, installed from PyPI when missing).
	python3 tests/python/test_router.py
	# Prefill/decode disaggregation behind vllm-router: outputs equal one replica's.
	python3 tests/python/test_pd.py
	# HTTPS with vLLM's --ssl-* flags (certificates made by the openssl command).
	python3 tests/python/test_tls.py
	# deploy/kubernetes uses only flags swiftlet serve and vllm-router have.
	python3 tests/python/test_deploy_manifests.py
	# An embedding model behind /v1/embeddings: the OpenAI client's vectors against the float64 reference.
	python3 tests/python/test_embeddings.py
	# Bad model files, a full disk, SIGKILL and restart, slow and non-reading clients.
	python3 tests/python/test_faults.py
	# The chat page at / in headless chromium (installed with playwright when missing).
	scripts/install-browser
	python3 tests/python/test_webchat.py
	# 100,000 mutated requests against a live server: no crash, every answer well-formed (about 6 min).
	python3 tests/python/test_fuzz.py

# Part of `make test`: the AVX-512 kernels on any x86-64 machine with AVX2 (their intrinsics
# emulated lane by lane, Tests/kernel-emulation) against the pinned output hashes of every
# instruction set, the Swift tests' error bounds and their bit-for-bit invariances. About 20 s.
check-avx512-emulated:
	scripts/check-avx512-emulated

# Part of `make test`: the C kernels cross-compiled for AArch64 (Debian's gcc-aarch64-linux-gnu,
# installed when missing) and run under qemu-aarch64 on the same pinned cases: the NEON kernels
# give the scalar bits, the scalar code the pinned hashes. About 10 s once installed.
check-neon:
	scripts/check-neon

# Swiftlet beside llama.cpp (built from the llama-cpp-python sdist if missing) on the same GGUF
# files and cores: one request's prefill and decode on Q4_1, Q8_0, F16 and Q4_K_M versions of the
# default model. On an AVX-512 CPU once more on the AVX2 paths of both (SWIFTLET_ISA=avx2 against
# llama.cpp built without AVX-512). Run on an idle machine.
THREADS ?= 2
BENCH_TYPES ?= Q4_1 Q8_0 F16 Q4_K_M
bench-compare: deps models
	scripts/quantize-variants Q8_0 F16 Q4_K_M >/dev/null
	for type in $(BENCH_TYPES); do scripts/bench-compare models/SmolLM2-135M-Instruct.$$type.gguf $(THREADS); done
	if grep -qw avx512f /proc/cpuinfo; then \
	  for type in $(BENCH_TYPES); do ISA=avx2 scripts/bench-compare models/SmolLM2-135M-Instruct.$$type.gguf $(THREADS); done; \
	fi

bench-serve-compare: deps models
	scripts/bench-serve-compare $(MODEL) $(THREADS)

# Batched mixture-of-experts decode (1, 16, 64 sequences) beside llama-batched-bench on a
# random-weight Qwen3-MoE-layout file (Q8_0 and Q4_K_M) that the script writes into models/.
bench-moe: deps models
	scripts/bench-moe $(THREADS)

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product swiftlet

models:
	scripts/fetch-model smollm2

# The tests read the default model, the Gemma 3 GGUF (a SentencePiece-style vocabulary) and
# all-MiniLM-L6-v2 (a BERT embedding model with a WordPiece tokenizer).
test-models: models
	scripts/fetch-model gemma3
	scripts/fetch-model minilm

deps:
	@scripts/install-deps

clean:
	rm -rf .build
