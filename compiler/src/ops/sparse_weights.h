// Compressed int8 weight forms of CONV_2D (ungrouped) and FULLY_CONNECTED, chosen per
// layer by a cost model under --sparse (LowerContext::sparse()):
//   sparse    - only the nonzero weights, each with its distance to the previous one
//               (templates/kernels/tml_sparse_s8.h): 2 bytes per nonzero;
//   2:4       - at most 2 nonzero weights in every group of 4 taps of a row: the 2
//               weights and their positions in 4 bits (templates/kernels/tml_sparse24_s8.h);
//   2:4 pairs - the same pattern stored for speed: the 2 weights and a byte naming the
//               pair of inputs they meet in a table of input pairs the kernel writes per
//               column (templates/kernels/tml_sparse24p_s8.h);
//   clustered - at most 16 distinct values per tensor or per output channel: 4-bit
//               indices into tables of 16 values, one for the tensor or one per group of
//               channels whose values fit together (templates/kernels/tml_clustered_s8.h);
//   int4 words - every weight in [-8, 7]: 4 taps of 2 rows per word, one row in the
//               bytes' low nibbles, the other in their high ones, widened by masking and SXTB16
//               (templates/kernels/tml_int4w_s8.h). The form of int4 (TFLite INT4)
//               weights, which stay 4 bits in flash; int8 weights that fit take it too.
// All fold the input offset into the bias (bias + input_offset * sum of all weights), so
// they compute TFLM's sums exactly.
#pragma once

#include <cstdint>
#include <vector>

#include "ops/conv_gemm.h"
#include "ops/op.h"

namespace tinymlc {

struct CompressedGemm {
  // Geometry: a FULLY_CONNECTED layer is a pointwise CONV_2D over [1, 1, batches, k].
  ConvGemmShape shape;
  const Tensor* input = nullptr;
  const Tensor* bias = nullptr;
  const Tensor* output = nullptr;
  std::vector<int32_t> weights;  // [output_c][k], OHWI order, filter offset already added
  std::vector<int32_t> multiplier, shift;  // per output channel
  int32_t act_min = -128, act_max = 127;
  // The model stores the weights as int4: "dense" means int4 words (never int8 bytes),
  // and the other forms must beat those.
  bool int4_source = false;
  // The model stores the weights LUT-compressed (TFLM_DECODE, ops/tflm_decode.h): they
  // stay compressed, as the clustered form when it holds them (at most 16 values per
  // channel), and the other forms must beat it; --sparse off makes them dense int8.
  bool lut_source = false;
};

// The forms' sizes and estimated Cortex-M4 cycles of one layer (for the report too).
struct WeightFormCosts {
  int64_t macs = 0, nonzeros = 0, entries = 0;  // entries: nonzeros plus gap fillers
  int64_t max_row_entries = 0;  // the sparse form counts a row's entries in 16 bits
  int distinct = 0;          // distinct values per tensor (clustered when <= 16)
  bool per_channel_table = false;  // clustered needs more than one table
  int64_t clustered_tables = 0;    // clustered: tables of 16 (channels that fit share one)
  int64_t dense_bytes = 0, sparse_bytes = -1, clustered_bytes = -1, s24_bytes = -1;  // -1: n/a
  int64_t dense_cycles = 0, sparse_cycles = -1, clustered_cycles = -1, s24_cycles = -1;
  int64_t s24p_bytes = -1, s24p_cycles = -1;  // 2:4 pairs
  int64_t int4_bytes = -1, int4_cycles = -1;  // int4 words
};
WeightFormCosts EstimateWeightForms(const CompressedGemm& g);

// The clustered form's tables: each output channel's distinct values (at most 16 each)
// merged first-fit into tables of at most 16 values. Returns every channel's table and
// fills `tables` with each table's sorted values (an empty result when a channel has more
// than 16 values).
std::vector<int32_t> ClusterTables(const std::vector<int32_t>& weights, int64_t oc, int64_t k,
                                   std::vector<std::vector<int32_t>>* tables);

// Lowers the layer to a compressed form and returns true when the cost model (or
// --sparse force/size) picks one, or when the weights are int4 (int4_source) and fit the
// kernels' ranges; returns false with out->weight_form saying why dense.
bool LowerCompressedGemm(LowerContext& ctx, const CompressedGemm& g, LayerCode* out);

}  // namespace tinymlc
