/* Every kernel template compiled once as C99 with external linkage, for the kernel
 * tests (and as a warning check of the templates). */
#define TML_KERNEL

#include "tml_common.h"

#include "tml_add.h"
#include "tml_conv_2d.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_dequantize.h"
#include "tml_fully_connected.h"
#include "tml_pool_2d.h"
#include "tml_quantize.h"
#include "tml_softmax.h"
