// The float32-only elementwise math of TFLM (exp.cc, elementwise.cc, floor.cc, ceil.cc,
// round.cc): EXP, LOG, SQRT, SQUARE, SIN, COS, FLOOR, CEIL, ROUND, each float32 ->
// float32 of the same shape (templates/kernels/tml_math_f32.h). ABS and RSQRT, which
// TFLM also runs on int8, take their float32 case from abs.cc and rsqrt.cc.
#include "ops/float_ops.h"

namespace tinymlc {
namespace {

template <const char* kName>
Status Lower(LowerContext& ctx, LayerCode* out) {
  return LowerFloatUnary(ctx, out, kName);
}

template <const char* kName>
Status Fold(const Graph& g, const Operator& op, FoldedOutputs* out) {
  return FoldFloatUnary(g, op, kName, out);
}

constexpr char kExpName[] = "exp", kLogName[] = "log", kSqrtName[] = "sqrt",
               kSquareName[] = "square", kSinName[] = "sin", kCosName[] = "cos",
               kFloorName[] = "floor", kCeilName[] = "ceil", kRoundName[] = "round";

}  // namespace

extern const OpDef kFloor = {8, "FLOOR", "float32", Lower<kFloorName>, nullptr, Fold<kFloorName>};
extern const OpDef kExp = {47, "EXP", "float32", Lower<kExpName>, nullptr, Fold<kExpName>};
extern const OpDef kSin = {66, "SIN", "float32", Lower<kSinName>, nullptr, Fold<kSinName>};
extern const OpDef kLog = {73, "LOG", "float32", Lower<kLogName>, nullptr, Fold<kLogName>};
extern const OpDef kSqrt = {75, "SQRT", "float32", Lower<kSqrtName>, nullptr, Fold<kSqrtName>};
extern const OpDef kSquare = {92, "SQUARE", "float32", Lower<kSquareName>, nullptr, Fold<kSquareName>};
extern const OpDef kCeil = {104, "CEIL", "float32", Lower<kCeilName>, nullptr, Fold<kCeilName>};
extern const OpDef kCos = {108, "COS", "float32", Lower<kCosName>, nullptr, Fold<kCosName>};
extern const OpDef kRound = {116, "ROUND", "float32", Lower<kRoundName>, nullptr, Fold<kRoundName>};

}  // namespace tinymlc
