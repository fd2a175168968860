// ADD: int8 + int8 -> int8 (or int16 + int16 -> int16, TFLM's general int16 path), each
// with its own scale and zero point; broadcasting up to rank 6 (NumPy rules).
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "ops/float_ops.h"
#include "ops/elementwise_util.h"
#include "ops/op_util.h"

namespace tinymlc {
namespace {

constexpr int kMaxRank = 6;
constexpr int kLeftShift = 20;
constexpr int kLeftShift16 = 15;  // TFLM's left shift for int16 outputs
// Elements from which an equal-shape ADD looks its input rescales up in two 256-entry
// tables (2 KiB of constants) instead of computing them (tml_add_table_s8).
constexpr int64_t kTableMinElements = 1024;

// The tables of tml_add_table_s8 (tml_add.h) where that form is exact for this layer:
// table_i[u] = 2 * rescale_i(((int8_t)u + offset_i) << 20), and the output round constant.
// Empty when it does not apply (the short form of tml_add_s8 is then used).
struct AddTables {
  std::vector<int32_t> t1, t2;
  int32_t round = 0;
};
AddTables MakeTables(int32_t off1, QuantizedMultiplier m1, int32_t off2, QuantizedMultiplier m2,
                     QuantizedMultiplier mo, int32_t zp) {
  constexpr int64_t kMax = INT32_MAX;
  // The short form's preconditions (tml_add_short_ok()), and a right shift >= 1.
  for (const QuantizedMultiplier& q : {m1, m2, mo}) {
    if (q.multiplier < 0 || q.shift > 0 || q.shift < -31) return {};
  }
  const int64_t e = -mo.shift;
  if (e < 1) return {};
  AddTables t;
  int64_t smax = 0;
  for (int u = 0; u < 256; ++u) {
    const int32_t x = static_cast<int8_t>(static_cast<uint8_t>(u));
    const int64_t a = MultiplyByQuantizedMultiplier((x + off1) * (1 << kLeftShift), m1.multiplier, m1.shift);
    const int64_t b = MultiplyByQuantizedMultiplier((x + off2) * (1 << kLeftShift), m2.multiplier, m2.shift);
    t.t1.push_back(static_cast<int32_t>(2 * a));
    t.t2.push_back(static_cast<int32_t>(2 * b));
  }
  const auto [min1, max1] = std::minmax_element(t.t1.begin(), t.t1.end());
  const auto [min2, max2] = std::minmax_element(t.t2.begin(), t.t2.end());
  smax = std::max(int64_t{*max1} + *max2, -(int64_t{*min1} + *min2));
  if (smax > kMax) return {};
  // round + ((s2 * m + 2^31) >> 32) - 1 stays in int32 for every s2.
  const int64_t round = (int64_t{1} << (e - 1)) + static_cast<int64_t>(zp) * (int64_t{1} << e);
  const int64_t hi = ((smax * mo.multiplier) >> 32) + 1;
  if (std::abs(round) + hi + 1 > kMax) return {};
  t.round = static_cast<int32_t>(round);
  return t;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  if (IsFloat32Op(ctx)) return LowerFloatBinary(ctx, out, "add");
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* in1 = ctx.In(0);
  const Tensor* in2 = ctx.In(1);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<AddOptions>(ctx.op().options);
  const bool s16 = in1->dtype == DType::kInt16;
  const int left_shift = s16 ? kLeftShift16 : kLeftShift;
  for (const Tensor* t : {in1, in2, output}) {
    TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, s16 ? DType::kInt16 : DType::kInt8));
    TINYMLC_RETURN_IF_ERROR(CheckPerTensorQuant(ctx, t));
    if (t->shape.size() > kMaxRank) {
      return ctx.Error(fmt::format("rank {} is above the supported {}", t->shape.size(), kMaxRank), t);
    }
  }
  // Broadcast shape: align trailing dimensions.
  const size_t rank = std::max(in1->shape.size(), in2->shape.size());
  std::vector<int32_t> bshape(rank);
  for (size_t i = 0; i < rank; ++i) {
    const size_t k = rank - 1 - i;
    const int32_t a = i < in1->shape.size() ? in1->shape[in1->shape.size() - 1 - i] : 1;
    const int32_t b = i < in2->shape.size() ? in2->shape[in2->shape.size() - 1 - i] : 1;
    if (a != b && a != 1 && b != 1) {
      return ctx.Error(fmt::format("shapes [{}] and [{}] cannot be broadcast together",
                                   fmt::join(in1->shape, ","), fmt::join(in2->shape, ",")));
    }
    bshape[k] = a == 1 ? b : a;
  }
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, bshape));
  auto act = Int8ActivationRange(ctx, o.activation, output);
  if (!act.ok()) return act.status();

  // TFLM: both inputs are rescaled to twice the larger input scale, then shifted left 20
  // (int16: 15).
  const double twice_max = 2.0 * static_cast<double>(std::max(in1->scale(), in2->scale()));
  const QuantizedMultiplier m1 = QuantizeMultiplier(static_cast<double>(in1->scale()) / twice_max);
  const QuantizedMultiplier m2 = QuantizeMultiplier(static_cast<double>(in2->scale()) / twice_max);
  const double real_out = twice_max / (static_cast<double>(1 << left_shift) * static_cast<double>(output->scale()));
  if (!(real_out < 1.0)) {
    return ctx.Error(fmt::format("output rescale factor {} is not below 1 (TFLM rejects this)", real_out), output);
  }
  const QuantizedMultiplier mo = QuantizeMultiplier(
      twice_max / (static_cast<double>(1 << left_shift) * static_cast<double>(output->scale())));

  CStruct params("tml_add_s8_params_t", ctx.Sym("params"));
  params.Field("size", output->NumElements())
      .Field("input1_offset", -in1->zero_point())
      .Field("input2_offset", -in2->zero_point())
      .Field("output_offset", output->zero_point())
      .Field("left_shift", left_shift)
      .Field("input1_multiplier", m1.multiplier).Field("input1_shift", m1.shift)
      .Field("input2_multiplier", m2.multiplier).Field("input2_shift", m2.shift)
      .Field("output_multiplier", mo.multiplier).Field("output_shift", mo.shift)
      .Field("act_min", act->min).Field("act_max", act->max);
  const bool broadcast = in1->shape != in2->shape;
  AddTables tables;
  if (!s16 && !broadcast && output->NumElements() >= kTableMinElements) {
    tables = MakeTables(-in1->zero_point(), m1, -in2->zero_point(), m2, mo, output->zero_point());
  }
  if (!tables.t1.empty()) {
    out->kernels = {"tml_fast_common.h", "tml_broadcast.h", "tml_add.h"};
    out->decls = "/* 2 * each input's rescale, indexed by the input byte as uint8_t */\n";
    out->decls += CArray("int32_t", ctx.Sym("table1"), tables.t1);
    out->decls += CArray("int32_t", ctx.Sym("table2"), tables.t2);
    out->weight_bytes += 2 * 256 * 4;
    out->decls += CStruct("tml_add_table_s8_params_t", ctx.Sym("params"))
                      .Field("size", output->NumElements())
                      .Field("table1", ctx.Sym("table1"))
                      .Field("table2", ctx.Sym("table2"))
                      .Field("output_multiplier", mo.multiplier)
                      .Field("output_round", tables.round)
                      .Field("output_shift", mo.shift)
                      .Field("act_min", act->min).Field("act_max", act->max)
                      .Str();
    out->body = fmt::format("tml_add_table_s8(&{}, {}, {}, {});", ctx.Sym("params"), ctx.Ptr(in1),
                            ctx.Ptr(in2), ctx.Ptr(output));
    // Element i of both inputs is read before element i is written (as tml_add_s8).
    out->in_place = {{in1->index, 0}, {in2->index, 0}};
    return Status::Ok();
  }
  if (broadcast) {
    tml_broadcast_t plan{};
    TINYMLC_RETURN_IF_ERROR(PlanBroadcast(ctx, in1, in2, output, &plan));
    params.Field("shape", BroadcastInit(plan));
  }
  out->kernels = {"tml_fast_common.h", "tml_broadcast.h", "tml_add.h"};
  if (s16) out->kernels.push_back("tml_add_s16.h");
  out->decls = params.Str();
  const char* fn = s16 ? (broadcast ? "tml_add_broadcast_s16" : "tml_add_s16")
                       : (broadcast ? "tml_add_broadcast_s8" : "tml_add_s8");
  out->body = fmt::format("{}(&{}, {}, {}, {});", fn, ctx.Sym("params"), ctx.Ptr(in1),
                          ctx.Ptr(in2), ctx.Ptr(output));
  if (!broadcast) {
    // tml_add_s8 reads element i of both inputs before it writes element i: the output
    // may take the place of either input that is not needed afterwards.
    out->in_place = {{in1->index, 0}, {in2->index, 0}};
  }
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) { return g.tensors[op.outputs[0]].NumElements(); }

}  // namespace

extern const OpDef kAdd = {0, "ADD", "int8, int16, float32", Lower, Macs};

}  // namespace tinymlc
