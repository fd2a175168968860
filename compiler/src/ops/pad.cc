// PAD and PADV2 (TFLM registers one kernel for both): constant paddings, rank <= 5;
// the pad value is PADV2's scalar third input, else the output zero point for int8
// and 0 for other types. int8 constant_values must share the output's scale and
// zero point (TFLM's check); the data itself is copied unchanged.
#include <fmt/format.h>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 5;

struct PadGeometry {
  std::vector<int32_t> left, right;  // per input dimension
  const Tensor* pad_tensor = nullptr;
  std::vector<uint8_t> default_pad;  // the pad element when there is no pad tensor
};

Result<PadGeometry> Analyze(const LowerContext& ctx, bool folding) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 3, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const Tensor* pad_value = ctx.In(2);
  TINYMLC_RETURN_IF_ERROR(CheckMovementType(
      ctx, input, {DType::kFloat32, DType::kInt8, DType::kInt16, DType::kInt32}, folding));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  const int rank = static_cast<int>(input->shape.size());
  if (rank > kMaxRank) {
    return ctx.Error(fmt::format("rank {} is above TFLM's limit of {}", rank, kMaxRank), input);
  }
  auto paddings = ConstInts(ctx, ctx.In(1), "paddings");
  if (!paddings.ok()) return paddings.status();
  if (static_cast<int64_t>(paddings->size()) != 2 * static_cast<int64_t>(output->shape.size()) ||
      output->shape.size() != input->shape.size()) {
    return ctx.Error(fmt::format("paddings has {} values; input and output of rank {} need {}",
                                 paddings->size(), rank, 2 * rank),
                     ctx.In(1));
  }
  PadGeometry g;
  std::vector<int32_t> want(rank);
  for (int d = 0; d < rank; ++d) {
    const int64_t l = paddings.value()[2 * d], r = paddings.value()[2 * d + 1];
    if (l < 0 || r < 0) {
      return ctx.Error(fmt::format("negative padding {} / {} in dimension {}", l, r, d), ctx.In(1));
    }
    g.left.push_back(static_cast<int32_t>(l));
    g.right.push_back(static_cast<int32_t>(r));
    want[d] = static_cast<int32_t>(input->shape[d] + l + r);
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, want));
  if (pad_value) {
    TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, pad_value));
    if (pad_value->NumElements() != 1) {
      return ctx.Error(fmt::format("constant_values has {} elements, expected a scalar",
                                   pad_value->NumElements()),
                       pad_value);
    }
    if (input->dtype == DType::kInt8 &&
        (pad_value->zero_point() != output->zero_point() ||
         static_cast<double>(pad_value->scale()) != static_cast<double>(output->scale()))) {
      return ctx.Error("int8 constant_values must have the output's scale and zero point",
                       pad_value);
    }
    g.pad_tensor = pad_value;
  } else {
    g.default_pad.assign(DTypeSize(input->dtype), 0);
    if (input->dtype == DType::kInt8) {
      if (output->zero_point() < -128 || output->zero_point() > 127) {
        return ctx.Error("output zero point is outside the int8 range", output);
      }
      g.default_pad[0] = static_cast<uint8_t>(static_cast<int8_t>(output->zero_point()));
    }
  }
  return g;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto g = Analyze(ctx, /*folding=*/false);
  if (!g.ok()) return g.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  std::string pad_ptr;
  if (g->pad_tensor) {
    pad_ptr = ctx.Ptr(g->pad_tensor);
  } else {
    const int64_t v = input->dtype == DType::kInt8 ? output->zero_point() : 0;
    out->decls += fmt::format("static const {} {} = {};\n", DTypeCName(input->dtype),
                              ctx.Sym("pad_value"), v);
    pad_ptr = "&" + ctx.Sym("pad_value");
  }
  out->decls += CStruct("tml_pad_params_t", ctx.Sym("params"))
                    .Field("elem_size", static_cast<int64_t>(DTypeSize(input->dtype)))
                    .Field("out_dims", CInts(PadFront(output->shape, kMaxRank)))
                    .Field("left", CInts(PadFront(g->left, kMaxRank, 0)))
                    .Field("right", CInts(PadFront(g->right, kMaxRank, 0)))
                    .Str();
  out->kernels = {"tml_pad.h"};
  out->body = fmt::format("tml_pad(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(input), pad_ptr,
                          ctx.Ptr(output));
  return Status::Ok();
}

Status Fold(const Graph& graph, const Operator& op, FoldedOutputs* out) {
  LowerContext ctx(graph, op, "");
  auto g = Analyze(ctx, /*folding=*/true);
  if (!g.ok()) return g.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const std::vector<int64_t> in_strides = RowMajorStrides(input->shape);
  std::vector<int64_t> src;
  ForEachIndex(output->shape, [&](const std::vector<int32_t>& i) {
    int64_t s = 0;
    for (size_t d = 0; d < i.size(); ++d) {
      const int32_t c = i[d] - g->left[d];
      if (c < 0 || c >= input->shape[d]) {
        s = -1;
        break;
      }
      s += c * in_strides[d];
    }
    src.push_back(s);
  });
  const uint8_t* pad = g->pad_tensor ? g->pad_tensor->data.data() : g->default_pad.data();
  out->push_back(CopyElements(input->data, src, DTypeSize(input->dtype), pad));
  return Status::Ok();
}

}  // namespace

extern const OpDef kPad = {34, "PAD", "int8, int16, int32, float32", Lower, nullptr, Fold};
extern const OpDef kPadV2 = {60, "PADV2", "int8, int16, int32, float32", Lower, nullptr, Fold};

}  // namespace tinymlc
