// The CKernels built for AArch64 and run under qemu-aarch64 (scripts/check-neon builds and runs
// this): every case of the pinned-hash fixture on the NEON and the scalar paths. Every kernel has
// a NEON twin (packed matmuls and their activation quantizer, F32 tiles, F16 / BF16 widening, KV
// writes, paged attention for head sizes that are multiples of 16, RMS norm, rotary embedding, the
// gates and add), which must give the scalar bits; the rest (other head sizes, the quantized
// block dequantizers, whose portable bodies the compiler vectorizes) is the scalar code. With
// --hashes the scalar outputs must also have the fixture's pinned scalar hashes: the kernel files
// turn contraction off on AArch64 (sw_internal.h), so plain C `a * b + c` is not fused there and
// gives x86-64's bits.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"
#include "kernel_cases.h"

int main(int argc, char **argv) {
    const char *path = NULL;
    int hashes = 0, cases = 0, checks = 0, failures = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hashes")) hashes = 1;
        else path = argv[i];
    }
    FILE *f = path ? fopen(path, "r") : NULL;
    if (!f) { fprintf(stderr, "usage: check_neon [--hashes] FIXTURE\n"); return 2; }
    if (sw_detect_isa() != SW_ISA_NEON) { fprintf(stderr, "FAIL  sw_detect_isa() is not NEON\n"); failures++; }
    char line[512];
    for (int number = 1; fgets(line, sizeof line, f); number++) {
        kc_case c;
        int parsed = kc_parse(line, &c);
        if (parsed < 0) { fprintf(stderr, "%s:%d: malformed case\n", path, number); failures++; }
        if (parsed <= 0) continue;
        kc_inputs in;
        kc_make_inputs(&c, &in);
        void *scalar = malloc(in.outBytes), *neon = malloc(in.outBytes);
        kc_run(&c, &in, SW_ISA_SCALAR, scalar);
        kc_run(&c, &in, SW_ISA_NEON, neon);
        uint64_t hs = kc_fnv1a(scalar, in.outBytes), hn = kc_fnv1a(neon, in.outBytes);
        checks++;
        if (hs != hn) { fprintf(stderr, "FAIL  %s: NEON bits differ from scalar\n", c.params); failures++; }
        if (hashes && c.pinned[SW_ISA_SCALAR]) {
            checks++;
            if (hs != c.hash[SW_ISA_SCALAR]) {
                fprintf(stderr, "FAIL  %s: scalar hash %016llx, pinned %016llx\n", c.params,
                        (unsigned long long)hs, (unsigned long long)c.hash[SW_ISA_SCALAR]);
                failures++;
            }
        }
        free(scalar);
        free(neon);
        kc_free_inputs(&in);
        cases++;
    }
    fclose(f);
    printf("%s: %d cases, %d checks (%s), %d failed\n", failures ? "FAIL" : "PASS", cases, checks,
           hashes ? "NEON bits = scalar bits = pinned scalar hashes" : "NEON bits = scalar bits; hashes not compared", failures);
    return failures ? 1 : 0;
}
