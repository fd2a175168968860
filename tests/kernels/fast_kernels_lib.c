/* The fast kernels (tml_conv_gemm.h, tml_depthwise_fast.h, tml_conv_s16_fast.h) and the
 * portable ones they must match, compiled as C99 with external linkage for
 * fast_kernels_test.cc and s16_fast_kernels_test.cc. */
#define TML_KERNEL
/* Strips of a few output rows (the default budget is 1024 bytes): the 3x3 kernel's strips. */
#define TML_DW3X3_BUDGET 200

#include "tml_common.h"

#include "tml_conv_2d.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_fully_connected.h"
#include "tml_fast_common.h"
#include "tml_conv_gemm.h"
#include "tml_conv_pw8.h"
#include "tml_depthwise_fast.h"
#include "tml_depthwise_3x3.h"
#include "tml_s4_common.h"
#include "tml_conv_2d_s4.h"
#include "tml_depthwise_conv_2d_s4.h"
#include "tml_fully_connected_s4.h"
#include "tml_conv_s16.h"
#include "tml_conv_s16_fast.h"
#include "tml_sparse_s8.h"
#include "tml_clustered_s8.h"
#include "tml_sparse24_s8.h"
#include "tml_sparse24p_s8.h"
#include "tml_int4w_s8.h"
