#include "ops/signal_common.h"

#include <fmt/format.h>

#include <cstring>
#include <variant>

namespace tinymlc {
namespace {

Status Entry(const LowerContext& ctx, int index, const char* key, const FlexValue** v) {
  const auto* co = std::get_if<CustomOptions>(&ctx.op().options);
  const size_t n = co ? co->map.size() : 0;
  if (index < 0 || static_cast<size_t>(index) >= n) {
    return ctx.Error(fmt::format("custom option '{}' missing: TFLM reads it as entry {} of the "
                                 "options map, which has {} entries",
                                 key, index, n));
  }
  const auto& e = co->map[static_cast<size_t>(index)];
  if (e.first != key) {
    return ctx.Error(fmt::format("custom options entry {} is '{}': TFLM reads '{}' there "
                                 "(the map's keys in sorted order)",
                                 index, e.first, key));
  }
  if (e.second.kind != FlexValue::Kind::kInt && e.second.kind != FlexValue::Kind::kUInt &&
      e.second.kind != FlexValue::Kind::kBool) {
    return ctx.Error(fmt::format("custom option '{}' has flexbuffer type {}: expected an inline "
                                 "integer or bool",
                                 key, e.second.fb_type));
  }
  *v = &e.second;
  return Status::Ok();
}

}  // namespace

Status SignalIntOption(const LowerContext& ctx, int index, const char* key, int32_t* value) {
  const FlexValue* v = nullptr;
  TINYMLC_RETURN_IF_ERROR(Entry(ctx, index, key, &v));
  *value = static_cast<int32_t>(static_cast<uint32_t>(static_cast<uint64_t>(v->as_int)));
  return Status::Ok();
}

Status SignalBoolOption(const LowerContext& ctx, int index, const char* key, bool* value) {
  const FlexValue* v = nullptr;
  TINYMLC_RETURN_IF_ERROR(Entry(ctx, index, key, &v));
  *value = v->as_uint != 0;
  return Status::Ok();
}

Status SignalIntOptionByKey(const LowerContext& ctx, const char* key, int32_t* value) {
  const auto* co = std::get_if<CustomOptions>(&ctx.op().options);
  if (co) {
    for (size_t i = 0; i < co->map.size(); ++i) {
      if (co->map[i].first == key) return SignalIntOption(ctx, static_cast<int>(i), key, value);
    }
  }
  return ctx.Error(fmt::format("custom option '{}' missing", key));
}

Status SignalConstInt16(const LowerContext& ctx, const Tensor* t, std::vector<int16_t>* values) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kInt16));
  TINYMLC_RETURN_IF_ERROR(CheckConstant(ctx, t));
  values->resize(static_cast<size_t>(t->NumElements()));
  if (t->data.size() != values->size() * 2) return ctx.Error("constant data size mismatch", t);
  if (!values->empty()) std::memcpy(values->data(), t->data.data(), t->data.size());
  return Status::Ok();
}

Status SignalCheckRank1(const LowerContext& ctx, const Tensor* t) { return CheckRank(ctx, t, 1); }

}  // namespace tinymlc
