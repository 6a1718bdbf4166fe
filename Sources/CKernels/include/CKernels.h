// CKernels: C kernels with SIMD intrinsics, compiled per instruction set with target attributes
// and chosen at run time by Kernels (Swift). Only intrinsics and plain loops live here.
#ifndef SWIFTLET_CKERNELS_H
#define SWIFTLET_CKERNELS_H
#include <stddef.h>
#include <stdint.h>
#endif
