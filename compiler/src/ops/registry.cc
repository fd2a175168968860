// The op registry: a table of every supported builtin.
#include <algorithm>

#include "ops/op.h"

namespace tinymlc {

extern const OpDef kAdd, kAveragePool2D, kConv2D, kDepthwiseConv2D, kDequantize,
    kFullyConnected, kMaxPool2D, kReshape, kSoftmax, kQuantize;

const std::vector<const OpDef*>& AllOps() {
  static const std::vector<const OpDef*> ops = [] {
    std::vector<const OpDef*> v = {&kAdd,           &kAveragePool2D, &kConv2D,   &kDepthwiseConv2D,
                                   &kDequantize,    &kFullyConnected, &kMaxPool2D, &kReshape,
                                   &kSoftmax,       &kQuantize};
    std::sort(v.begin(), v.end(),
              [](const OpDef* a, const OpDef* b) { return a->builtin_code < b->builtin_code; });
    return v;
  }();
  return ops;
}

const OpDef* FindOp(int builtin_code) {
  for (const OpDef* d : AllOps()) {
    if (d->builtin_code == builtin_code) return d;
  }
  return nullptr;
}

}  // namespace tinymlc
