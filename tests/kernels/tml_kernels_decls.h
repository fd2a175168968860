// C++ view of the kernel templates: types and prototypes only, with C linkage. The
// definitions come from tml_kernels_lib (kernels_lib.c, compiled as C99).
#ifndef TML_KERNELS_DECLS_H
#define TML_KERNELS_DECLS_H

// System headers the templates include, pulled in first so that they are not
// processed inside the extern "C" block.
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TML_DECLARATIONS_ONLY
#define TML_KERNEL
extern "C" {
#include "tml_common.h"

#include "tml_add.h"
#include "tml_conv_2d.h"
#include "tml_conv_s16.h"
#include "tml_add_s16.h"
#include "tml_mul_s16.h"
#include "tml_sub_s16.h"
#include "tml_pool_2d_s16.h"
#include "tml_softmax_s16.h"
#include "tml_reduce_s16.h"
#include "tml_maximum_minimum_s16.h"
#include "tml_depthwise_conv_2d.h"
#include "tml_dequantize.h"
#include "tml_fully_connected.h"
#include "tml_pool_2d.h"
#include "tml_quantize.h"
#include "tml_softmax.h"
// Shape and data movement.
#include "tml_batch_to_space_nd.h"
#include "tml_concatenation.h"
#include "tml_depth_to_space.h"
#include "tml_gather.h"
#include "tml_gather_nd.h"
#include "tml_mirror_pad.h"
#include "tml_embedding_lookup.h"
#include "tml_dynamic_update_slice.h"
#include "tml_cumsum.h"
#include "tml_div.h"
#include "tml_l2_pool_2d_f32.h"
#include "tml_transpose_conv_s16.h"
#include "tml_pad.h"
#include "tml_resize_bilinear.h"
// Signal library (TFLM signal/).
#include "tml_signal_common.h"
#include "tml_signal_window.h"
#include "tml_signal_fft_auto_scale.h"
#include "tml_signal_rfft.h"
#include "tml_signal_rfft_s32.h"
#include "tml_signal_rfft_f32.h"
#include "tml_signal_energy.h"
#include "tml_signal_filter_bank.h"
#include "tml_signal_filter_bank_square_root.h"
#include "tml_signal_filter_bank_spectral_subtraction.h"
#include "tml_signal_filter_bank_log.h"
#include "tml_signal_pcan.h"
#include "tml_signal_delay.h"
#include "tml_signal_framer.h"
#include "tml_signal_stacker.h"
#include "tml_signal_overlap_add.h"
/* SSD post-processing (TFLM custom op). */
#include "tml_detection_postprocess_f32.h"
#include "tml_resize_nearest_neighbor.h"
#include "tml_space_to_batch_nd.h"
#include "tml_space_to_depth.h"
#include "tml_split.h"
#include "tml_strided_slice.h"
#include "tml_transpose.h"
// Activations.
#include "tml_fixedpoint.h"
#include "tml_sigmoid_lut.h"
#include "tml_elu.h"
#include "tml_hard_swish.h"
#include "tml_leaky_relu.h"
#include "tml_log_softmax.h"
#include "tml_logistic.h"
#include "tml_prelu.h"
#include "tml_relu.h"
#include "tml_tanh.h"
// Elementwise, reductions, comparisons.
#include "tml_abs.h"
#include "tml_broadcast.h"
#include "tml_comparisons.h"
#include "tml_maximum_minimum.h"
#include "tml_mul.h"
#include "tml_neg.h"
#include "tml_reduce.h"
#include "tml_rsqrt.h"
#include "tml_squared_difference.h"
#include "tml_sub.h"
// Layers.
#include "tml_batch_matmul.h"
#include "tml_l2_normalization.h"
#include "tml_lstm.h"
#include "tml_svdf.h"
#include "tml_transpose_conv.h"
// float32 kernels.
#include "tml_float_common.h"
#include "tml_fully_connected_f32.h"
#include "tml_conv_2d_f32.h"
#include "tml_depthwise_conv_2d_f32.h"
#include "tml_pool_2d_f32.h"
#include "tml_softmax_f32.h"
#include "tml_reduce_f32.h"
#include "tml_resize_bilinear_f32.h"
#include "tml_transpose_conv_f32.h"
#include "tml_add_f32.h"
#include "tml_sub_f32.h"
#include "tml_mul_f32.h"
#include "tml_relu_f32.h"
#include "tml_logistic_f32.h"
#include "tml_tanh_f32.h"
#include "tml_elu_f32.h"
#include "tml_hard_swish_f32.h"
#include "tml_leaky_relu_f32.h"
#include "tml_prelu_f32.h"
#include "tml_maximum_minimum_f32.h"
#include "tml_math_f32.h"
#include "tml_comparisons_f32.h"
// Remaining small ops (batch 1).
#include "tml_cast.h"
#include "tml_fill.h"
#include "tml_arg_min_max.h"
#include "tml_logical.h"
#include "tml_select.h"
#include "tml_floor_div_mod_f32.h"
#include "tml_reduce_min.h"
#include "tml_reverse.h"
#include "tml_add_n.h"
#include "tml_broadcast_to.h"
}

#endif  // TML_KERNELS_DECLS_H
