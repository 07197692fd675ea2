// replaced by the kernels
