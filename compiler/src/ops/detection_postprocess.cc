// TFLite_Detection_PostProcess (TFLM's custom operator, kernels/detection_postprocess.cc):
// SSD box decoding and non-maximum suppression in float32
// (templates/kernels/tml_detection_postprocess_f32.h). Inputs: box encodings
// [1, boxes, >= 4], class predictions [1, boxes, classes (+ 1 background)], anchors
// [boxes, 4] (y, x, h, w), all float32 (TFLM's kernel takes no other type). Outputs: boxes
// [.., 4], classes, scores, number of detections, float32. Options (a flexbuffer map, read
// by key as TFLM does: absent keys read 0, detections_per_class 100, use_regular_nms false).
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

const FlexValue* Find(const CustomOptions* co, const char* key) {
  if (!co) return nullptr;
  for (const auto& [k, v] : co->map) {
    if (k == key) return &v;
  }
  return nullptr;
}

// flexbuffers' Reference::AsInt64 / AsDouble / AsBool on the value's type.
Status IntOption(const LowerContext& ctx, const CustomOptions* co, const char* key, int64_t dflt,
                 int32_t* out) {
  const FlexValue* v = Find(co, key);
  int64_t x = dflt;
  if (v) {
    switch (v->kind) {
      case FlexValue::Kind::kInt: x = v->as_int; break;
      case FlexValue::Kind::kUInt:
      case FlexValue::Kind::kBool: x = static_cast<int64_t>(v->as_uint); break;
      case FlexValue::Kind::kFloat:
        if (!std::isfinite(v->as_float) || std::fabs(v->as_float) > 2147483647.0) {
          return ctx.Error(fmt::format("option '{}' = {} is not an int32", key, v->as_float));
        }
        x = static_cast<int64_t>(v->as_float);
        break;
      default: return ctx.Error(fmt::format("option '{}' is not a number", key));
    }
  }
  *out = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(x)));
  return Status::Ok();
}

Status FloatOption(const LowerContext& ctx, const CustomOptions* co, const char* key, float* out) {
  const FlexValue* v = Find(co, key);
  double x = 0.0;
  if (v) {
    switch (v->kind) {
      case FlexValue::Kind::kInt: x = static_cast<double>(v->as_int); break;
      case FlexValue::Kind::kUInt:
      case FlexValue::Kind::kBool: x = static_cast<double>(v->as_uint); break;
      case FlexValue::Kind::kFloat: x = v->as_float; break;
      default: return ctx.Error(fmt::format("option '{}' is not a number", key));
    }
  }
  *out = static_cast<float>(x);
  if (!std::isfinite(*out)) return ctx.Error(fmt::format("option '{}' is not finite", key));
  return Status::Ok();
}

Status Lower(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 3, 3, 4));
  const Tensor* boxes = ctx.In(0);
  const Tensor* scores = ctx.In(1);
  const Tensor* anchors = ctx.In(2);
  for (int i = 0; i < 3; ++i) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.In(i), DType::kFloat32));
  for (int i = 0; i < 4; ++i) TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.Out(i), DType::kFloat32));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, boxes, 3));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, scores, 3));
  TINYMLC_RETURN_IF_ERROR(CheckRank(ctx, anchors, 2));
  const auto* co = std::get_if<CustomOptions>(&ctx.op().options);
  int32_t max_det = 0, max_cls = 0, per_class = 0, num_classes = 0;
  float score_thr = 0, iou_thr = 0, ys = 0, xs = 0, hs = 0, ws = 0;
  TINYMLC_RETURN_IF_ERROR(IntOption(ctx, co, "max_detections", 0, &max_det));
  TINYMLC_RETURN_IF_ERROR(IntOption(ctx, co, "max_classes_per_detection", 0, &max_cls));
  TINYMLC_RETURN_IF_ERROR(IntOption(ctx, co, "detections_per_class", 100, &per_class));
  int32_t regular = 0;
  TINYMLC_RETURN_IF_ERROR(IntOption(ctx, co, "use_regular_nms", 0, &regular));
  regular = regular != 0;
  TINYMLC_RETURN_IF_ERROR(IntOption(ctx, co, "num_classes", 0, &num_classes));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "nms_score_threshold", &score_thr));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "nms_iou_threshold", &iou_thr));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "y_scale", &ys));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "x_scale", &xs));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "h_scale", &hs));
  TINYMLC_RETURN_IF_ERROR(FloatOption(ctx, co, "w_scale", &ws));

  // TFLM's checks (Prepare, Eval), here at compile time.
  const int32_t nb = boxes->shape[1];
  if (boxes->shape[0] != 1 || boxes->shape[2] < 4) {
    return ctx.Error("box encodings must be [1, boxes, >= 4]", boxes);
  }
  if (scores->shape[0] != 1 || scores->shape[1] != nb) {
    return ctx.Error(fmt::format("class predictions must be [1, {}, classes]", nb), scores);
  }
  const int32_t ncwb = scores->shape[2];
  if (num_classes < 1 || ncwb < num_classes || ncwb - num_classes > 1) {
    return ctx.Error(fmt::format("num_classes {} with {} class scores per box (TFLM takes the classes "
                                 "plus at most one background)",
                                 num_classes, ncwb));
  }
  if (!(iou_thr > 0.0f && iou_thr <= 1.0f)) {
    return ctx.Error(fmt::format("nms_iou_threshold {} is outside (0, 1]", iou_thr));
  }
  if (max_det < 0 || max_det > (1 << 16)) return ctx.Error(fmt::format("max_detections {} out of range", max_det));
  if (regular && (per_class <= 0 || per_class > (1 << 16))) {
    return ctx.Error(fmt::format("detections_per_class {} must be positive", per_class));
  }
  if (!regular && max_cls <= 0) {
    return ctx.Error(fmt::format("max_classes_per_detection {} must be positive", max_cls));
  }
  if (anchors->NumElements() < 4 * static_cast<int64_t>(nb)) {
    return ctx.Error(fmt::format("anchors hold fewer than {} boxes of 4 values", nb), anchors);
  }
  // Entries the kernel may write: regular max_detections; fast TFLM's offsets
  // k * n + col with n counting every entry, up to k^2 * max_detections.
  const int64_t k = std::min(max_cls, num_classes);
  const int64_t need = regular ? max_det : k * k * max_det;
  const int64_t entries = std::min({ctx.Out(0)->NumElements() / 4, ctx.Out(1)->NumElements(),
                                    ctx.Out(2)->NumElements()});
  if (entries < need || ctx.Out(3)->NumElements() < 1) {
    return ctx.Error(fmt::format("outputs hold {} detections, TFLM writes up to {}", entries, need));
  }
  if (static_cast<int64_t>(nb) * std::max<int64_t>(num_classes, 8) > (int64_t{1} << 24)) {
    return ctx.Error("too many boxes and classes");
  }

  out->kernels = {"tml_detection_postprocess_f32.h"};
  out->needs_math = true;
  out->decls = CStruct("tml_detection_postprocess_params_t", ctx.Sym("params"))
                   .Field("num_boxes", nb).Field("box_stride", boxes->shape[2])
                   .Field("num_classes", num_classes).Field("num_classes_with_background", ncwb)
                   .Field("max_detections", max_det).Field("max_classes_per_detection", max_cls)
                   .Field("detections_per_class", per_class).Field("use_regular_nms", regular)
                   .Field("output_entries", entries)
                   .FloatField("score_threshold", score_thr).FloatField("iou_threshold", iou_thr)
                   .FloatField("y_scale", ys).FloatField("x_scale", xs)
                   .FloatField("h_scale", hs).FloatField("w_scale", ws).Str();
  // tml_detection_postprocess_scratch_bytes(): 4-byte words.
  int64_t words = 4 * nb + nb + nb + nb + (nb + max_det) + nb + nb;
  words += regular ? (nb + max_det) + (nb + max_det) + max_det : static_cast<int64_t>(nb) * num_classes;
  out->scratch_bytes = 4 * words;
  out->body = fmt::format(
      "if (tml_detection_postprocess_f32(&{}, {}, {}, {}, {}, {}, {}, {}, @S@) != 0) {{\n"
      "    return TINYML_ERROR;\n  }}",
      ctx.Sym("params"), ctx.Ptr(boxes), ctx.Ptr(scores), ctx.Ptr(anchors), ctx.Ptr(ctx.Out(0)),
      ctx.Ptr(ctx.Out(1)), ctx.Ptr(ctx.Out(2)), ctx.Ptr(ctx.Out(3)));
  return Status::Ok();
}

}  // namespace

extern const OpDef kDetectionPostProcess = {kCustomOpCodeBase + 16, "TFLite_Detection_PostProcess",
                                            "float32", Lower, nullptr};

}  // namespace tinymlc
