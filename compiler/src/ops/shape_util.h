// Helpers shared by the data-movement ops (PAD, TRANSPOSE, CONCATENATION, slicing,
// splitting, packing, gathering, space/depth/batch rearrangements, resizing).
//
// Every such op is written as: an Analyze() step that checks the operator the way
// TFLM's Prepare does and works out its geometry, used both by Lower() (emit a kernel
// call) and by Fold() (evaluate it at compile time when all inputs are constant). At
// run time an op accepts the element types TFLM's kernel accepts; when folding, any
// fixed-size type (the same byte movement), so that shape computations on int32 or
// int64 constants fold.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "ops/op.h"

namespace tinymlc {

// `t` has one of `allowed` types; when folding, any fixed-size type passes.
Status CheckMovementType(const LowerContext& ctx, const Tensor* t,
                         std::initializer_list<DType> allowed, bool folding);
// `b` has the same dtype as `a`.
Status CheckSameType(const LowerContext& ctx, const Tensor* a, const Tensor* b);
// The values of a constant integer tensor (shape/index inputs). int32 always; int64
// only when allow_int64 (TFLM reads most such inputs as int32 regardless of type).
Result<std::vector<int64_t>> ConstInts(const LowerContext& ctx, const Tensor* t, const char* what,
                                       bool allow_int64 = false);
// axis + rank if negative; an error naming `what` unless 0 <= result < rank.
Result<int> ResolveAxis(const LowerContext& ctx, int64_t axis, int rank, const char* what,
                        const Tensor* t = nullptr);

// Product of shape[begin, end).
int64_t DimProduct(const std::vector<int32_t>& shape, size_t begin, size_t end);
// Row-major element strides of `shape`.
std::vector<int64_t> RowMajorStrides(const std::vector<int32_t>& shape);
// `shape` with leading `fill`s up to `rank` dimensions.
std::vector<int32_t> PadFront(const std::vector<int32_t>& shape, size_t rank, int32_t fill = 1);
// "{1, 2, 3}" for a designated initializer of an array field.
std::string CInts(const std::vector<int32_t>& v);
// int32 narrowing with a clear error (byte offsets and sizes handed to the kernels).
Result<int32_t> FitsInt32(const LowerContext& ctx, int64_t v, const char* what);

// Joining or cutting along one axis (CONCATENATION and PACK; SPLIT, SPLIT_V and
// UNPACK): each of the joined (or cut) tensors is `outer` blocks of block_bytes[i]
// bytes, and the big tensor is, for each outer index, the next block of each in turn.
struct AxisBlocks {
  int64_t outer = 1;
  std::vector<int64_t> block_bytes;
};
// Blocks for tensors `parts` joined along `axis` of `whole` (shapes already checked).
AxisBlocks BlocksAlongAxis(const Tensor& whole, const std::vector<const Tensor*>& parts, int axis);
// Emits tml_concatenation (inputs 0..n-1 -> output 0) or tml_split (input
// `input_index` -> every output).
Status EmitJoin(LowerContext& ctx, const AxisBlocks& blocks, LayerCode* out);
Status EmitSplit(LowerContext& ctx, int input_index, const AxisBlocks& blocks, LayerCode* out);
// The same at compile time.
std::vector<uint8_t> JoinBytes(const std::vector<const Tensor*>& parts, const AxisBlocks& blocks);
FoldedOutputs SplitBytes(const Tensor& whole, const AxisBlocks& blocks);

// A strided box of the input (SLICE, STRIDED_SLICE): along input dimension d, count[d]
// elements starting at start[d], `stride[d]` apart. Emits tml_strided_slice (input 0 ->
// output 0; rank <= 5) / evaluates it at compile time.
struct SliceBox {
  std::vector<int64_t> start, stride, count;
};
Status EmitSliceBox(LowerContext& ctx, const SliceBox& box, LayerCode* out);
std::vector<uint8_t> FoldSliceBox(const Tensor& input, const SliceBox& box);

// Compile-time evaluation: out[i] = element src[i] of `data` (elements of elem_size
// bytes), or *pad for a negative src[i].
std::vector<uint8_t> CopyElements(const std::vector<uint8_t>& data,
                                  const std::vector<int64_t>& src, size_t elem_size,
                                  const uint8_t* pad = nullptr);

// Visits every index of `shape` in row-major order: fn(const std::vector<int32_t>&).
template <typename Fn>
void ForEachIndex(const std::vector<int32_t>& shape, Fn fn) {
  std::vector<int32_t> index(shape.size(), 0);
  for (int32_t d : shape) {
    if (d <= 0) return;
  }
  while (true) {
    fn(static_cast<const std::vector<int32_t>&>(index));
    int d = static_cast<int>(shape.size()) - 1;
    for (; d >= 0; --d) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace tinymlc
