// Implementations of the kernels declared in include/CKernels.h.
