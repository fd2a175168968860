// Patch-based execution of a prefix of the graph (see patch.h).
#include "passes/patch.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "ops/op.h"
#include "tinymlc/quant.h"

namespace tinymlc {
namespace {

enum class Kind { kNone, kWindow, kElementwise };

// Builtin codes the prefix takes.
Kind KindOf(int code) {
  switch (code) {
    case 1:    // AVERAGE_POOL_2D
    case 3:    // CONV_2D
    case 4:    // DEPTHWISE_CONV_2D
    case 17:   // MAX_POOL_2D
      return Kind::kWindow;
    case 0:    // ADD
    case 14:   // LOGISTIC
    case 18:   // MUL
    case 19:   // RELU
    case 20:   // RELU_N1_TO_1
    case 21:   // RELU6
    case 28:   // TANH
    case 98:   // LEAKY_RELU
    case 114:  // QUANTIZE
    case 117:  // HARD_SWISH
      return Kind::kElementwise;
    default:
      return Kind::kNone;
  }
}

// A windowed layer's geometry along the rows.
struct RowWindow {
  int32_t filter = 1, stride = 1, dilation = 1, pad = 0, in_h = 0;
};

RowWindow WindowOf(const Graph& g, const Operator& op) {
  RowWindow w;
  const Tensor& in = g.tensors[op.inputs[0]];
  const Tensor& out = g.tensors[op.outputs[0]];
  w.in_h = in.shape[1];
  if (const auto* o = std::get_if<Conv2DOptions>(&op.options)) {
    w.filter = g.tensors[op.inputs[1]].shape[1], w.stride = o->stride_h, w.dilation = o->dilation_h;
  } else if (const auto* o = std::get_if<DepthwiseConv2DOptions>(&op.options)) {
    w.filter = g.tensors[op.inputs[1]].shape[1], w.stride = o->stride_h, w.dilation = o->dilation_h;
  } else if (const auto* o = std::get_if<Pool2DOptions>(&op.options)) {
    w.filter = o->filter_h, w.stride = o->stride_h;
  }
  w.pad = ComputePadding(w.stride, w.dilation, w.in_h, w.filter, out.shape[1]);
  return w;
}

using Rows = std::pair<int32_t, int32_t>;  // [first, end)

// The rows of activation input `slot` that output rows `r` of `op` read.
Rows InputRows(const Graph& g, const Operator& op, Rows r) {
  if (KindOf(op.builtin_code) != Kind::kWindow) return r;
  const RowWindow w = WindowOf(g, op);
  const int64_t lo = static_cast<int64_t>(r.first) * w.stride - w.pad;
  const int64_t hi = static_cast<int64_t>(r.second - 1) * w.stride - w.pad +
                     static_cast<int64_t>(w.filter - 1) * w.dilation + 1;
  return {static_cast<int32_t>(std::clamp<int64_t>(lo, 0, w.in_h)),
          static_cast<int32_t>(std::clamp<int64_t>(hi, 0, w.in_h))};
}

bool IsActivation(const Tensor& t) {
  return !t.is_constant && (t.dtype == DType::kInt8 || t.dtype == DType::kInt16) &&
         t.shape.size() == 4 && t.shape[0] == 1 && t.shape[1] >= 1 && t.view_of < 0;
}

// Whether `op` can be a prefix operator (its inputs and output as the rewrite needs).
bool Patchable(const Graph& g, const Operator& op) {
  const Kind kind = KindOf(op.builtin_code);
  if (kind == Kind::kNone || op.subgraph != 0 || op.outputs.size() != 1 || op.inputs.empty()) {
    return false;
  }
  if (op.outputs[0] < 0 || !IsActivation(g.tensors[op.outputs[0]])) return false;
  const Tensor& out = g.tensors[op.outputs[0]];
  if (kind == Kind::kWindow) {
    if (op.inputs[0] < 0 || !IsActivation(g.tensors[op.inputs[0]])) return false;
    for (size_t i = 1; i < op.inputs.size(); ++i) {
      if (op.inputs[i] >= 0 && !g.tensors[op.inputs[i]].is_constant) return false;
    }
    if ((op.builtin_code == 3 || op.builtin_code == 4) &&
        (op.inputs.size() < 2 || op.inputs[1] < 0 || g.tensors[op.inputs[1]].shape.size() != 4)) {
      return false;
    }
    const RowWindow w = WindowOf(g, op);
    return w.stride >= 1 && w.dilation >= 1 && w.filter >= 1 && w.pad >= 0;
  }
  for (int t : op.inputs) {  // elementwise: every input an activation of the output's shape
    if (t < 0 || !IsActivation(g.tensors[t]) || g.tensors[t].shape != out.shape) return false;
  }
  return true;
}

}  // namespace

int64_t OperatorMacs(const Graph& g, const Operator& op) {
  const OpDef* def = FindOp(op.builtin_code);
  return def && def->macs ? def->macs(g, op) : 0;
}

PatchCandidates FindPatchCandidates(const Graph& g, const std::vector<bool>& folded) {
  PatchCandidates c;
  if (g.subgraphs.size() > 1) return c;
  const int n = static_cast<int>(g.ops.size());
  int a = 0;
  while (a < n && folded[a]) ++a;
  if (a >= n) return c;
  // Who reads each tensor (operator indices); graph outputs count as read after the end.
  std::vector<std::vector<int>> readers(g.tensors.size());
  for (const Operator& op : g.ops) {
    for (int t : op.inputs) {
      if (t >= 0) readers[t].push_back(op.index);
    }
  }
  std::vector<bool> is_output(g.tensors.size(), false);
  for (int t : g.outputs) is_output[t] = true;
  for (int b = a; b < n && !folded[b] && Patchable(g, g.ops[b]); ++b) {
    // Every tensor made in [a, b] but the last one's output is read in [a, b] only.
    bool ok = g.tensors[g.ops[b].outputs[0]].shape[1] >= 2;
    for (int k = a; k < b && ok; ++k) {
      const int t = g.ops[k].outputs[0];
      ok = !is_output[t] && !readers[t].empty();
      for (int r : readers[t]) ok = ok && r <= b;
    }
    if (ok) c.splits.push_back(b);
  }
  if (!c.splits.empty()) c.first_op = a;
  return c;
}

Status ApplyPatchPlan(Graph* g, std::vector<bool>* folded, PatchPlan* plan) {
  const int a = plan->first_op, b = plan->split_op;
  if (a < 0 || b < a || b >= static_cast<int>(g->ops.size())) {
    return Status::Error("internal error: bad patch plan");
  }
  plan->num_ops_before = static_cast<int>(g->ops.size());
  const int cut = g->ops[b].outputs[0];
  const Tensor cut_t = g->tensors[cut];
  const int32_t cut_h = cut_t.shape[1];
  const int32_t rows = (cut_h + std::clamp(plan->patches, 1, cut_h) - 1) / std::clamp(plan->patches, 1, cut_h);
  plan->patches = (cut_h + rows - 1) / rows;
  plan->cut_tensor = cut;
  plan->cut_rows.clear();
  for (int p = 0; p <= plan->patches; ++p) plan->cut_rows.push_back(std::min(cut_h, p * rows));
  plan->prefix_macs = plan->patched_macs = 0;
  plan->halo_rows = 0;
  for (int k = a; k <= b; ++k) plan->prefix_macs += OperatorMacs(*g, g->ops[k]);

  std::vector<bool> made_here(g->tensors.size(), false);
  for (int k = a; k <= b; ++k) made_here[g->ops[k].outputs[0]] = true;
  auto row_bytes = [&](const Tensor& t) {
    return static_cast<int64_t>(t.shape[2]) * t.shape[3] * static_cast<int64_t>(DTypeSize(t.dtype));
  };
  const std::vector<Tensor> original = g->tensors;  // new tensors are appended below
  auto add_tensor = [&](int like, int32_t h, const std::string& suffix, int view_of,
                        int64_t view_offset) {
    Tensor t = original[like];
    t.index = static_cast<int>(g->tensors.size());
    t.local_index = -1;
    t.name += suffix;
    t.shape[1] = h;
    t.view_of = view_of;
    t.view_offset = view_offset;
    g->tensors.push_back(std::move(t));
    return static_cast<int>(g->tensors.size()) - 1;
  };

  std::vector<Operator> copies;
  std::vector<Rows> prev_input_rows;  // the prefix input's rows per patch (for the halo)
  // keep_halo: one buffer per prefix tensor for every patch, and the rows it holds.
  std::map<int, int> line;
  std::map<int, Rows> held;
  if (plan->keep_halo) {
    std::map<int, int32_t> most;
    for (int p = 0; p < plan->patches; ++p) {
      std::map<int, Rows> need;
      need[cut] = {plan->cut_rows[p], plan->cut_rows[p + 1]};
      for (int k = b; k >= a; --k) {
        const Operator& op = g->ops[k];
        const Rows in = InputRows(*g, op, need.at(op.outputs[0]));
        const size_t n_act = KindOf(op.builtin_code) == Kind::kWindow ? 1 : op.inputs.size();
        for (size_t i = 0; i < n_act; ++i) {
          auto [at, fresh] = need.emplace(op.inputs[i], in);
          if (!fresh) at->second = {std::min(at->second.first, in.first), std::max(at->second.second, in.second)};
        }
      }
      for (const auto& [t, r] : need) {
        if (made_here[t] && t != cut) most[t] = std::max(most[t], r.second - r.first);
      }
    }
    for (const auto& [t, h] : most) {
      if (h < 1) return Status::Error("internal error: empty patch band");
      line[t] = add_tensor(t, h, "/line_buffer", -1, 0);
      held[t] = {0, 0};
    }
  }
  for (int p = 0; p < plan->patches; ++p) {
    const Rows out_rows{plan->cut_rows[p], plan->cut_rows[p + 1]};
    // Backwards: the rows of every prefix tensor this patch needs.
    std::map<int, Rows> need;
    need[cut] = out_rows;
    for (int k = b; k >= a; --k) {
      const Operator& op = g->ops[k];
      const auto it = need.find(op.outputs[0]);
      if (it == need.end()) return Status::Error("internal error: patch prefix tensor not needed");
      const Rows in = InputRows(*g, op, it->second);
      const size_t n_act = KindOf(op.builtin_code) == Kind::kWindow ? 1 : op.inputs.size();
      for (size_t i = 0; i < n_act; ++i) {
        auto [at, fresh] = need.emplace(op.inputs[i], in);
        if (!fresh) at->second = {std::min(at->second.first, in.first), std::max(at->second.second, in.second)};
      }
    }
    const int first_in = g->ops[a].inputs[0];
    if (!made_here[first_in]) {
      const Rows r = need[first_in];
      if (p > 0) plan->halo_rows = std::max(plan->halo_rows, prev_input_rows.back().second - r.first);
      prev_input_rows.push_back(r);
    }
    // Forwards: one copy of each operator on its band tensors.
    std::map<int, int> band;  // prefix tensor -> this patch's band tensor
    for (int k = a; k <= b; ++k) {
      Operator op = g->ops[k];
      const int out = op.outputs[0];
      Rows r = need[out];
      int32_t out_at = 0;  // keep_halo: the row of the band buffer the new rows start at
      if (plan->keep_halo && out != cut) {
        const Rows had = held[out];
        if (r.first < had.first) return Status::Error("internal error: patch bands not in order");
        const int32_t kept = std::max(0, std::min(had.second, r.second) - r.first);
        if (kept > 0 && r.first > had.first) {  // move the kept rows to the top
          const int64_t rb = row_bytes(original[out]);
          Operator mv;
          mv.builtin_code = kPatchKeepRowsCode;
          mv.name = kPatchKeepRowsName;
          mv.subgraph = 0;
          mv.local_index = g->ops[k].local_index;
          mv.inputs = {add_tensor(out, kept, fmt::format("/patch{}_keep{}-{}", p, r.first, r.first + kept),
                                  line.at(out), (r.first - had.first) * rb)};
          mv.outputs = {add_tensor(out, kept, fmt::format("/patch{}_kept{}-{}", p, r.first, r.first + kept),
                                   line.at(out), 0)};
          mv.patch = p;
          mv.patch_source = k;
          copies.push_back(std::move(mv));
        }
        held[out] = r;
        band[out] = line.at(out);
        out_at = kept;
        if (r.first + kept >= r.second) continue;  // nothing new in this patch
        r.first += kept;
      }
      const Rows in = InputRows(*g, op, r);
      const size_t n_act = KindOf(op.builtin_code) == Kind::kWindow ? 1 : op.inputs.size();
      for (size_t i = 0; i < n_act; ++i) {
        const int t = op.inputs[i];
        const int base = made_here[t] ? band.at(t) : t;
        if (in.first >= in.second) return Status::Error("internal error: empty patch input");
        const int32_t base_lo = made_here[t] ? need[t].first : 0;
        const int32_t base_h = g->tensors[base].shape[1];
        if (in.first == base_lo && in.second == base_lo + base_h) {
          op.inputs[i] = base;
        } else {
          op.inputs[i] = add_tensor(t, in.second - in.first,
                                    fmt::format("/patch{}_rows{}-{}", p, in.first, in.second), base,
                                    (in.first - base_lo) * row_bytes(original[t]));
        }
      }
      if (out == cut) {
        op.outputs[0] = add_tensor(out, r.second - r.first,
                                   fmt::format("/patch{}_rows{}-{}", p, r.first, r.second), cut,
                                   r.first * row_bytes(cut_t));
      } else if (plan->keep_halo) {
        const int lb = line.at(out);
        op.outputs[0] = out_at == 0 && r.second - r.first == g->tensors[lb].shape[1]
                            ? lb
                            : add_tensor(out, r.second - r.first,
                                         fmt::format("/patch{}_rows{}-{}", p, r.first, r.second), lb,
                                         out_at * row_bytes(original[out]));
      } else {
        op.outputs[0] = band[out] = add_tensor(out, r.second - r.first,
                                               fmt::format("/patch{}_rows{}-{}", p, r.first, r.second),
                                               -1, 0);
      }
      if (KindOf(op.builtin_code) == Kind::kWindow) {
        const RowWindow w = WindowOf(*g, g->ops[k]);
        const int32_t pad = w.pad + in.first - r.first * w.stride;
        if (pad < 0) return Status::Error("internal error: negative band padding");
        std::visit([&](auto& o) {
          using T = std::decay_t<decltype(o)>;
          if constexpr (std::is_same_v<T, Conv2DOptions> || std::is_same_v<T, DepthwiseConv2DOptions> ||
                        std::is_same_v<T, Pool2DOptions>) {
            o.band_pad_h = pad;
          }
        }, op.options);
      }
      op.patch = p;
      op.patch_source = k;
      copies.push_back(std::move(op));
      plan->patched_macs += OperatorMacs(*g, copies.back());
    }
  }

  // The new operator list: before the prefix, the copies, after it.
  std::vector<Operator> ops(g->ops.begin(), g->ops.begin() + a);
  std::vector<bool> fold(folded->begin(), folded->begin() + a);
  for (Operator& op : copies) {
    ops.push_back(std::move(op));
    fold.push_back(false);
  }
  for (int k = b + 1; k < static_cast<int>(g->ops.size()); ++k) {
    ops.push_back(std::move(g->ops[k]));
    fold.push_back((*folded)[k]);
  }
  for (size_t k = 0; k < ops.size(); ++k) {
    if (ops[k].patch_source < 0) ops[k].patch_source = ops[k].index;  // the model's index
    ops[k].index = static_cast<int>(k);
  }
  g->ops = std::move(ops);
  *folded = std::move(fold);
  if (!g->subgraphs.empty()) {
    g->subgraphs[0].num_ops = static_cast<int>(g->ops.size());
    g->subgraphs[0].num_tensors = static_cast<int>(g->tensors.size());
  }
  return Status::Ok();
}

std::string PatchPlan::Describe(const Graph& original) const {
  if (split_op < 0) return "none";
  const Tensor& c = original.tensors[cut_tensor];
  const int64_t more = patched_macs - prefix_macs;
  const double extra = total_macs > 0 ? 100.0 * static_cast<double>(more) / static_cast<double>(total_macs) : 0.0;
  return fmt::format(
      "operators {}..{} ({} .. {}) in {} x 1 patches, split after operator {}: tensor {} '{}' "
      "[{}] written in bands of {} rows; halo {} input rows, {}; extra MACs {} (+{:.1f} % of the "
      "model's {})",
      first_op, split_op, original.ops[first_op].name, original.ops[split_op].name, patches, split_op,
      cut_tensor, c.name, fmt::join(c.shape, ","), cut_rows.size() > 1 ? cut_rows[1] - cut_rows[0] : 0,
      halo_rows, keep_halo ? "kept in line buffers (not recomputed)" : "recomputed", more, extra,
      total_macs);
}

}  // namespace tinymlc
