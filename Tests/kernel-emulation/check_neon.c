// The CKernels built for AArch64 and run under qemu-aarch64 (scripts/check-neon builds and runs
// this): every case of the pinned-hash fixture on the NEON and the scalar paths. The packed
// matmuls (Q8_0, Q4_0, Q4_1 with 16-bit activations) have NEON kernels, which must give the scalar
// bits; every other kernel takes its scalar code on NEON and must too. With --hashes (built with
// clang) the scalar outputs must also have the fixture's pinned scalar hashes; --packed-hashes
// compares the packed cases only. Plain C `a * b + c` is fused on AArch64 unless contraction is
// off (x86-64's baseline has no FMA), so built with -ffp-contract=off every scalar output is
// x86's, and built as SwiftPM builds for AArch64 the packed kernels' files (which turn
// contraction off themselves) still are.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "CKernels.h"
#include "kernel_cases.h"

int main(int argc, char **argv) {
    const char *path = NULL;
    int hashes = 0, packedHashes = 0, cases = 0, checks = 0, failures = 0, neonKernels = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--hashes")) hashes = 1;
        else if (!strcmp(argv[i], "--packed-hashes")) packedHashes = 1;
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
        if ((hashes || (packedHashes && !strcmp(c.kind, "packed"))) && c.pinned[SW_ISA_SCALAR]) {
            checks++;
            if (hs != c.hash[SW_ISA_SCALAR]) {
                fprintf(stderr, "FAIL  %s: scalar hash %016llx, pinned %016llx\n", c.params,
                        (unsigned long long)hs, (unsigned long long)c.hash[SW_ISA_SCALAR]);
                failures++;
            }
        }
        neonKernels += !strcmp(c.kind, "packed");
        free(scalar);
        free(neon);
        kc_free_inputs(&in);
        cases++;
    }
    fclose(f);
    printf("%s: %d cases (%d on NEON kernels), %d checks (%s), %d failed\n", failures ? "FAIL" : "PASS", cases,
           neonKernels, checks, hashes ? "scalar hashes pinned" : packedHashes ? "packed cases' scalar hashes pinned" : "hashes not compared", failures);
    return failures ? 1 : 0;
}
