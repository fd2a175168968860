// RESIZE_BILINEAR int8: NHWC, constant int32 size [height, width], TFLM's integer
// formulation (ResizeBilinearInteger; positions in 1/1024 pixel). float32: TFLM's
// float ResizeBilinear (positions and weights in float, tml_resize_bilinear_f32.h).
// half_pixel_centers with align_corners is rejected as by TFLM.
#include <fmt/format.h>

#include <cmath>

#include "ops/op_util.h"
#include "ops/shape_util.h"

namespace tinymlc {
namespace {

struct Scales {
  int32_t height_10 = 0, width_10 = 0;
  float height = 0.0f, width = 0.0f;  // float32 form
};

// TFLM's float scale: in / out, or (in - 1) / (out - 1) with align_corners (out > 1).
float ScaleF(int32_t in, int32_t out, bool align_corners) {
  if (align_corners && out > 1) return static_cast<float>(in - 1) / static_cast<float>(out - 1);
  return static_cast<float>(in) / static_cast<float>(out);
}

// The float kernel's lower neighbour must lie inside the input (it is clamped from below
// only, as in TFLM).
Status CheckAxisF(const LowerContext& ctx, const char* what, int32_t in, int32_t out,
                  float scale, bool half_pixel) {
  for (int32_t v = 0; v < out; ++v) {
    const float pos = half_pixel ? (static_cast<float>(v) + 0.5f) * scale - 0.5f
                                 : static_cast<float>(v) * scale;
    if (!(std::floor(pos) <= static_cast<float>(in - 1))) {
      return ctx.Error(fmt::format("output {} {} maps past the input's last {} ({})", what, v,
                                   what, in - 1));
    }
  }
  return Status::Ok();
}

// round(1024 * in / out) in TFLM's integer form, or (in - 1) / (out - 1) with
// align_corners.
int64_t Scale10(int64_t in, int64_t out, bool align_corners) {
  if (align_corners && out > 1) return ((1 << 10) * (in - 1) + (out - 1) / 2) / (out - 1);
  return ((1 << 10) * in + out / 2) / out;
}

// TFLM's ComputeInterpolationValuesInteger lower bound must stay inside the input
// (TFLM does not clamp it from above; a position past the last pixel would read out
// of bounds).
Status CheckAxis(const LowerContext& ctx, const char* what, int64_t in, int64_t out,
                 int64_t scale, bool half_pixel) {
  for (int64_t v = 0; v < out; ++v) {
    const int64_t pos = half_pixel ? v * scale + scale / 2 - (1 << 9) : v * scale;
    if (pos > INT32_MAX || pos < INT32_MIN) {
      return ctx.Error(fmt::format("{} position {} overflows int32", what, pos));
    }
    if (pos / (1 << 10) > in - 1) {
      return ctx.Error(fmt::format("output {} {} maps past the input's last {} ({}): TFLM reads "
                                   "out of bounds for this size",
                                   what, v, what, in - 1));
    }
  }
  return Status::Ok();
}

Result<Scales> Analyze(const LowerContext& ctx) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 2, 2, 1));
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const bool f32 = input->dtype == DType::kFloat32;
  if (!f32) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, input, DType::kInt8));
  TINYMLC_RETURN_IF_ERROR(CheckSameType(ctx, input, output));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, input, 4));
  auto size = ConstInts(ctx, ctx.In(1), "size");
  if (!size.ok()) return size.status();
  if (ctx.In(1)->shape.size() != 1 || size->size() != 2) {
    return ctx.Error("size must be 1-D with 2 values (height, width)", ctx.In(1));
  }
  const int64_t out_h = size.value()[0], out_w = size.value()[1];
  if (out_h < 1 || out_w < 1) {
    return ctx.Error(fmt::format("size {}x{} is invalid", out_h, out_w), ctx.In(1));
  }
  const auto& o = std::get<ResizeOptions>(ctx.op().options);
  if (o.align_corners && o.half_pixel_centers) {
    return ctx.Error("half_pixel_centers and align_corners cannot both be set (TFLM rejects it)");
  }
  const auto& s = input->shape;
  TINYMLC_RETURN_IF_ERROR(CheckShape(
      ctx, output, {s[0], static_cast<int32_t>(out_h), static_cast<int32_t>(out_w), s[3]}));
  if (f32) {
    Scales sc;
    sc.height = ScaleF(s[1], static_cast<int32_t>(out_h), o.align_corners);
    sc.width = ScaleF(s[2], static_cast<int32_t>(out_w), o.align_corners);
    TINYMLC_RETURN_IF_ERROR(CheckAxisF(ctx, "row", s[1], static_cast<int32_t>(out_h), sc.height,
                                       o.half_pixel_centers));
    TINYMLC_RETURN_IF_ERROR(CheckAxisF(ctx, "column", s[2], static_cast<int32_t>(out_w), sc.width,
                                       o.half_pixel_centers));
    return sc;
  }
  const int64_t sh = Scale10(s[1], out_h, o.align_corners);
  const int64_t sw = Scale10(s[2], out_w, o.align_corners);
  TINYMLC_RETURN_IF_ERROR(CheckAxis(ctx, "row", s[1], out_h, sh, o.half_pixel_centers));
  TINYMLC_RETURN_IF_ERROR(CheckAxis(ctx, "column", s[2], out_w, sw, o.half_pixel_centers));
  Scales sc;
  sc.height_10 = static_cast<int32_t>(sh);
  sc.width_10 = static_cast<int32_t>(sw);
  return sc;
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  auto sc = Analyze(ctx);
  if (!sc.ok()) return sc.status();
  const Tensor* input = ctx.In(0);
  const Tensor* output = ctx.Out(0);
  const auto& o = std::get<ResizeOptions>(ctx.op().options);
  const bool is_float = input->dtype == DType::kFloat32;
  // The geometry is common to both kernels; the scales are floats for float32 and
  // fixed point (10 fractional bits) for int8.
  CStruct params(is_float ? "tml_resize_bilinear_f32_params_t" : "tml_resize_bilinear_params_t",
                 ctx.Sym("params"));
  params.Field("batches", input->shape[0])
      .Field("in_height", input->shape[1])
      .Field("in_width", input->shape[2])
      .Field("out_height", output->shape[1])
      .Field("out_width", output->shape[2])
      .Field("depth", input->shape[3]);
  if (is_float) {
    params.FloatField("height_scale", sc->height).FloatField("width_scale", sc->width);
    out->kernels = {"tml_float_common.h", "tml_resize_bilinear_f32.h"};
    out->needs_math = true;  // floorf, ceilf
  } else {
    params.Field("height_scale_10", sc->height_10).Field("width_scale_10", sc->width_10);
    out->kernels = {"tml_resize_bilinear.h"};
  }
  out->decls = params.Field("half_pixel_centers", o.half_pixel_centers ? 1 : 0).Str();
  out->body = fmt::format("{}(&{}, {}, {});",
                          is_float ? "tml_resize_bilinear_f32" : "tml_resize_bilinear_s8",
                          ctx.Sym("params"), ctx.Ptr(input), ctx.Ptr(output));
  return Status::Ok();
}

int64_t Macs(const Graph& g, const Operator& op) {
  return 4 * g.tensors[op.outputs[0]].NumElements();
}

}  // namespace

extern const OpDef kResizeBilinear = {23, "RESIZE_BILINEAR", "int8, float32", Lower, Macs};

}  // namespace tinymlc
