// C++ view of the kernel templates: types and prototypes only, with C linkage. The
// definitions come from tml_kernels_lib (kernels_lib.c, compiled as C99).
#ifndef TML_KERNELS_DECLS_H
#define TML_KERNELS_DECLS_H

// System headers the templates include, pulled in first so that they are not
// processed inside the extern "C" block.
#include <math.h>
#include <stddef.h>
#include <stdint.h>

#define TML_DECLARATIONS_ONLY
#define TML_KERNEL
extern "C" {
#include "tml_common.h"

#include "tml_add.h"
#include "tml_conv_2d.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_dequantize.h"
#include "tml_fully_connected.h"
#include "tml_pool_2d.h"
#include "tml_quantize.h"
#include "tml_softmax.h"
}

#endif  // TML_KERNELS_DECLS_H
