// Pipeline: lower every operator, plan the arena, hand everything to the emitter.
#include "tinymlc/compiler.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <set>
#include <tuple>

#include "emitter/emitter.h"
#include "ops/op.h"
#include "passes/fold_constants.h"
#include "passes/patch.h"
#include "passes/resource_variables.h"
#include "passes/unread_outputs.h"
#include "tinymlc/planner.h"

namespace tinymlc {
namespace {

int FindRoot(std::vector<int>& parent, int t) {
  while (parent[t] != t) t = parent[t] = parent[parent[t]];
  return t;
}

Status CheckTensorTypes(const Graph& g, const Operator& op) {
  for (const std::vector<int>* list : {&op.inputs, &op.outputs}) {
    for (int idx : *list) {
      if (idx < 0) continue;
      const Tensor& t = g.tensors[idx];
      if (t.dtype == DType::kUnsupported) {
        Status s = Status::Error(fmt::format("unsupported dtype (TFLite type {})", t.tflite_type));
        AtOp(s, op);
        return AtTensor(s, t);
      }
    }
  }
  // int4 (two values per byte) only as the constant weights of CONV_2D (3),
  // DEPTHWISE_CONV_2D (4) and FULLY_CONNECTED (9), as TFLM takes it.
  const bool int4_op = op.builtin_code == 3 || op.builtin_code == 4 || op.builtin_code == 9;
  for (const std::vector<int>* list : {&op.inputs, &op.outputs}) {
    for (size_t i = 0; i < list->size(); ++i) {
      const int idx = (*list)[i];
      if (idx < 0 || g.tensors[idx].dtype != DType::kInt4) continue;
      const Tensor& t = g.tensors[idx];
      if (!int4_op || list != &op.inputs || i != 1 || !t.is_constant) {
        return Status::Error(
                   fmt::format("int4 {} {}: int4 tensors are supported only as the constant "
                               "weights (input 1) of CONV_2D, DEPTHWISE_CONV_2D and FULLY_CONNECTED",
                               list == &op.inputs ? "input" : "output", i))
            .WithOp(op.index, op.name)
            .WithTensor(t.index, t.name);
      }
    }
  }
  return Status::Ok();
}

// The planner's time line. Steps are handed out in execution order through subgraph 0;
// an operator that calls subgraphs (CALL_ONCE, IF, WHILE) gets a first step, then its
// callees' operators are laid out one subgraph after the other, then its last step.
// Tensors of the caller live across [begin, end] of the operator, and the callees'
// inputs and outputs too, so whatever the control flow does at run time (a branch
// skipped, a loop run many times, an init run once) nothing live is overwritten; a
// callee's own intermediate tensors live only within its operators' steps, and may
// share bytes with those of another callee of the same operator, which never runs at the
// same time. Each subgraph has one call site (a second one, or recursion, is refused), so
// each callee tensor has one place in the plan.
struct Timeline {
  std::vector<int> begin, end;      // per operator; -1 for operators never run
  std::vector<int> caller;          // per subgraph: the calling operator (-1: none)
  int steps = 0;
};

std::vector<int> Callees(const Operator& op) {
  if (const auto* o = std::get_if<CallOnceOptions>(&op.options)) return {o->init_subgraph};
  if (const auto* o = std::get_if<IfOptions>(&op.options)) return {o->then_subgraph, o->else_subgraph};
  if (const auto* o = std::get_if<WhileOptions>(&op.options)) return {o->cond_subgraph, o->body_subgraph};
  return {};
}

Status BuildTimeline(const Graph& g, Timeline* tl) {
  const int num_sg = std::max<int>(static_cast<int>(g.subgraphs.size()), 1);
  tl->begin.assign(g.ops.size(), -1);
  tl->end.assign(g.ops.size(), -1);
  tl->caller.assign(num_sg, -1);
  std::vector<bool> active(num_sg, false);  // on the call stack
  auto ops_of = [&](int k, int* first, int* count) {
    *first = g.subgraphs.empty() ? 0 : g.subgraphs[k].first_op;
    *count = g.subgraphs.empty() ? static_cast<int>(g.ops.size()) : g.subgraphs[k].num_ops;
  };
  // Whether `caller` may enter subgraph k (false: already entered, an IF whose branches
  // are one subgraph).
  auto enter = [&](int k, int caller, bool* go) -> Status {
    const Operator& op = g.ops[caller];
    *go = false;
    if (k < 1 || k >= num_sg) {
      return AtOp(Status::Error(fmt::format("subgraph index {} out of range ({} subgraphs)", k,
                                            num_sg)), op);
    }
    if (active[k]) {
      return AtOp(Status::Error(fmt::format("subgraph {} calls itself (recursion is not supported)",
                                            k)), op);
    }
    if (tl->caller[k] == caller) return Status::Ok();
    if (tl->caller[k] >= 0) {
      const Operator& other = g.ops[tl->caller[k]];
      return AtOp(Status::Error(fmt::format(
                      "subgraph {} is also called by operator {} of subgraph {}: a subgraph may "
                      "be called from one operator only",
                      k, other.local_index >= 0 ? other.local_index : other.index, other.subgraph)),
                  op);
    }
    tl->caller[k] = caller;
    active[k] = true;
    *go = true;
    return Status::Ok();
  };
  // An explicit stack (a hostile file may nest deeply): per subgraph being walked, its
  // next operator and how many of that operator's callees have been entered.
  struct Frame {
    int sg, next, callee;
  };
  std::vector<Frame> stack = {{0, 0, 0}};
  active[0] = true;
  while (!stack.empty()) {
    const Frame f = stack.back();
    int first, count;
    ops_of(f.sg, &first, &count);
    if (f.next < count && stack.back().callee == 0) {
      const Operator& op = g.ops[first + f.next];
      if (tl->begin[op.index] < 0) tl->begin[op.index] = tl->steps++;
    }
    if (f.next >= count) {  // subgraph done: back to its caller
      active[f.sg] = false;
      stack.pop_back();
      continue;
    }
    const Operator& op = g.ops[first + f.next];
    const std::vector<int> callees = Callees(op);
    if (stack.back().callee < static_cast<int>(callees.size())) {
      const int k = callees[stack.back().callee++];
      bool go = false;
      TINYMLC_RETURN_IF_ERROR(enter(k, op.index, &go));
      if (go) stack.push_back({k, 0, 0});
      continue;
    }
    tl->end[op.index] = callees.empty() ? tl->begin[op.index] : tl->steps++;
    stack.back().next++;
    stack.back().callee = 0;
  }
  return Status::Ok();
}

// Lowers every operator of `g` (constants folded, `folded` marking them), plans the arena
// and, with `emit`, writes the C (without: only arena_bytes and lower_bound are set).
Result<CompiledModel> CompileLowered(const Graph& g, const std::vector<bool>& folded,
                                     const Timeline& timeline, const CompileOptions& options,
                                     bool emit);
// --optimize ram / --memory-budget: plans the model with every patch plan it can take and
// rewrites `g` (passes/patch.h) with the one chosen; *chosen stays empty without patches.
Status ChoosePatchPlan(Graph* g, std::vector<bool>* folded, Timeline* timeline,
                       const CompileOptions& options, PatchPlan* chosen);

}  // namespace

bool IsCIdentifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

std::string ModelNameFromPath(const std::string& path) {
  std::string stem = std::filesystem::path(path).stem().string();
  std::string out;
  for (char c : stem) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "model_" + out;
  return out;
}

Result<CompiledModel> CompileGraph(const Graph& input_graph, const CompileOptions& options) {
  if (!IsCIdentifier(options.name)) {
    return Status::Error(fmt::format("model name '{}' is not a C identifier", options.name));
  }
  // Which operators run (subgraphs no operator calls do not) and when (planner steps).
  Timeline timeline;
  TINYMLC_RETURN_IF_ERROR(BuildTimeline(input_graph, &timeline));
  // Unsupported operators and dtypes are reported before anything else runs.
  for (const Operator& op : input_graph.ops) {
    if (timeline.begin[op.index] < 0) continue;
    if (!FindOp(op.builtin_code)) {
      Status s = Status::Error("unsupported operator");
      AtOp(s, op);
      if (!op.outputs.empty()) AtTensor(s, input_graph.tensors[op.outputs[0]]);
      return s;
    }
    TINYMLC_RETURN_IF_ERROR(CheckTensorTypes(input_graph, op));
  }
  Graph g = input_graph;
  TINYMLC_RETURN_IF_ERROR(ResolveResourceVariables(&g));
  TINYMLC_RETURN_IF_ERROR(RetypeUnreadOutputs(&g));
  std::vector<bool> folded;
  TINYMLC_RETURN_IF_ERROR(FoldConstants(&g, &folded));
  // Operators of subgraphs that nothing calls: no code, no buffers (as folded ones).
  for (const Operator& op : g.ops) {
    if (timeline.begin[op.index] < 0) folded[op.index] = true;
  }
  // --optimize ram, --memory-budget: patch-based execution of the first layers.
  PatchPlan patch;
  if (options.optimize == CompileOptions::Optimize::kRam || options.memory_budget > 0) {
    TINYMLC_RETURN_IF_ERROR(ChoosePatchPlan(&g, &folded, &timeline, options, &patch));
  }
  auto compiled = CompileLowered(g, folded, timeline, options, /*emit=*/true);
  if (compiled.ok() && patch.split_op >= 0) {
    compiled->patch_plan = patch.Describe(input_graph);
    compiled->patched_graph = std::make_shared<const Graph>(std::move(g));
  }
  return compiled;
}

namespace {

Result<CompiledModel> CompileLowered(const Graph& g, const std::vector<bool>& folded,
                                     const Timeline& timeline, const CompileOptions& options,
                                     bool emit) {
  auto step = [&](int op) { return timeline.begin[op]; };
  const int num_tensors = static_cast<int>(g.tensors.size());
  const int num_ops = static_cast<int>(g.ops.size());

  // 1. Lower every operator.
  std::vector<LayerCode> layers(num_ops);
  std::vector<int> parent(num_tensors);
  for (int i = 0; i < num_tensors; ++i) parent[i] = i;
  CompiledModel result;
  result.name = options.name;
  for (const Operator& op : g.ops) {
    const OpDef* def = FindOp(op.builtin_code);
    LayerCode& code = layers[op.index];
    code.folded = folded[op.index];
    if (op.builtin_code == kPatchKeepRowsCode) {
      // passes/patch.h: the rows a line buffer keeps for the next patch, to its top.
      code.body = fmt::format("memmove(@T{}@, @T{}@, {});", op.outputs[0], op.inputs[0],
                              g.tensors[op.inputs[0]].Bytes());
    } else if (!code.folded) {
      LowerContext ctx(g, op, options.name);
      ctx.set_sparse(static_cast<SparseMode>(static_cast<int>(options.sparse)));
      ctx.set_small_scratch(options.optimize == CompileOptions::Optimize::kRam ||
                            options.optimize == CompileOptions::Optimize::kSize ||
                            options.memory_budget > 0);
      ctx.set_wide_weights(options.optimize == CompileOptions::Optimize::kSpeed);
      TINYMLC_RETURN_IF_ERROR(def->lower(ctx, &code));
    }
    if (code.alias_of >= 0) parent[op.outputs[0]] = FindRoot(parent, code.alias_of);
    LayerReport rep;
    rep.op_index = op.index;
    rep.op_name = op.name;
    rep.output_tensor = op.outputs.empty() ? -1 : op.outputs[0];
    rep.macs = (!code.folded && def && def->macs) ? def->macs(g, op) : 0;
    rep.aliased = code.alias_of >= 0;
    rep.folded = code.folded;
    // The first call of the layer's body: "tml_conv_gemm_s8(&...);" -> tml_conv_gemm_s8.
    if (const size_t call = code.body.find("tml_"); call != std::string::npos) {
      const size_t paren = code.body.find('(', call);
      if (paren != std::string::npos) rep.kernel = code.body.substr(call, paren - call);
    }
    rep.options = code.options;
    rep.weight_bytes = code.weight_bytes;
    rep.weight_form = code.weight_form;
    std::set<int> consts;  // "@T<index>@" placeholders naming constants
    for (size_t at = code.body.find("@T"); at != std::string::npos; at = code.body.find("@T", at + 2)) {
      const int t = std::atoi(code.body.c_str() + at + 2);
      if (t >= 0 && t < num_tensors && g.tensors[t].is_constant) consts.insert(t);
    }
    for (int t : consts) rep.weight_bytes += g.tensors[t].Bytes();
    result.layers.push_back(rep);
  }

  // 2. Lifetimes of the arena buffers: one per alias group of non-constant tensors. A view
  // (a band of a patched layer) is its base tensor's bytes: it keeps the base alive.
  std::vector<int> first(num_tensors, -1), last(num_tensors, -1);
  std::vector<bool> used(num_tensors, false);
  auto touch = [&](int t, int step) {
    if (t < 0) return;
    while (g.tensors[t].view_of >= 0) {
      used[t] = true;
      t = g.tensors[t].view_of;
    }
    const int r = FindRoot(parent, t);
    used[t] = true;
    if (g.tensors[r].is_constant) return;
    first[r] = first[r] < 0 ? step : std::min(first[r], step);
    last[r] = std::max(last[r], step);
  };
  const int end_step = std::max(timeline.steps - 1, 0);
  for (int t : g.inputs) touch(t, 0);
  for (const Operator& op : g.ops) {
    if (folded[op.index]) continue;
    for (int at : {timeline.begin[op.index], timeline.end[op.index]}) {
      for (int t : op.inputs) touch(t, at);
      for (int t : op.outputs) touch(t, at);
    }
  }
  // A called subgraph's inputs and outputs live across its caller's steps.
  for (size_t k = 1; k < g.subgraphs.size(); ++k) {
    const int caller = timeline.caller[k];
    if (caller < 0) continue;
    for (int at : {timeline.begin[caller], timeline.end[caller]}) {
      for (int t : g.subgraphs[k].inputs) touch(t, at);
      for (int t : g.subgraphs[k].outputs) touch(t, at);
    }
  }
  for (int t : g.outputs) touch(t, end_step);
  for (const Tensor& t : g.tensors) {
    if (t.is_variable && used[t.index]) {
      touch(t.index, 0);
      touch(t.index, end_step);
    }
  }

  // --input external: the input's group is the caller's memory, not an arena buffer.
  if (options.external_input && g.inputs.size() != 1) {
    return Status::Error(fmt::format("--input external takes a model with one input (this one has {})",
                                     g.inputs.size()));
  }
  const int external_root = options.external_input ? FindRoot(parent, g.inputs[0]) : -1;
  if (external_root >= 0) {
    for (int t : g.outputs) {
      if (FindRoot(parent, t) == external_root) {
        return Status::Error("--input external: an output shares the input's memory");
      }
    }
  }
  std::map<int, std::vector<int>> members;  // root -> tensors
  for (int t = 0; t < num_tensors; ++t) {
    if (FindRoot(parent, t) == external_root || g.tensors[t].view_of >= 0) continue;
    if (used[t] && !g.tensors[FindRoot(parent, t)].is_constant && g.tensors[t].dtype != DType::kResource) {
      members[FindRoot(parent, t)].push_back(t);
    }
  }
  auto group_bytes = [&](int root) {
    int64_t bytes = 0;
    for (int t : members[root]) bytes = std::max(bytes, g.tensors[t].Bytes());
    return bytes;
  };

  // In-place pairs: an operator's output group takes in an input group that dies at that
  // operator, `delta` bytes above the output's start (op.h, LayerCode::in_place).
  std::vector<bool> pinned(num_tensors, false);  // graph outputs and state keep their bytes
  for (int t : g.outputs) pinned[FindRoot(parent, t)] = true;
  for (const Tensor& t : g.tensors) {
    if (t.is_variable) pinned[FindRoot(parent, t.index)] = true;
  }
  struct Pair {
    int rout, rin;
    int64_t delta;
  };
  std::vector<Pair> candidates;  // in operator order, at most one per operator
  for (const Operator& op : g.ops) {
    const LayerCode& code = layers[op.index];
    if (code.folded || op.outputs.empty() || op.outputs[0] < 0) continue;
    const int rout = FindRoot(parent, op.outputs[0]);
    if (!members.count(rout) || first[rout] != step(op.index)) continue;
    for (const LayerCode::InPlace& c : code.in_place) {
      if (c.input_tensor < 0) continue;
      const int rin = FindRoot(parent, c.input_tensor);
      if (rin == rout || !members.count(rin) || pinned[rin] || last[rin] != step(op.index)) continue;
      // Every other input of the operator must live elsewhere (not in the same group).
      bool shared = false;
      for (int t : op.inputs) shared |= t >= 0 && t != c.input_tensor && FindRoot(parent, t) == rin;
      if (shared) continue;
      // A multiple of both the alignment and the kernel's unit, at least min_delta.
      const int64_t a = std::max<int64_t>(options.alignment, 1), u = std::max<int64_t>(c.unit, 1);
      const int64_t step = a / std::gcd(a, u) * u;
      candidates.push_back({rout, rin, (c.min_delta + step - 1) / step * step});
      break;
    }
  }
  // Which pairs to use: chains of in-place layers keep every tensor of the chain at a fixed
  // distance from the next, which helps where the distances are small (a run of depthwise
  // and pointwise layers of one size) and hurts where they add up (layers that widen the
  // channels). Several selections are planned and the smallest arena is kept.
  // Policy 3 is policy 1 without the first candidate: in a run of layers it takes every
  // other pair, and which half is better depends on where the peak falls (a model whose
  // input is not in the arena loses the first pair).
  auto select = [&](int policy) {
    std::vector<Pair> chosen;
    std::vector<bool> has_inner(num_tensors, false), is_inner(num_tensors, false);
    for (size_t k = policy == 3 ? 1 : 0; k < candidates.size(); ++k) {
      const Pair& c = candidates[k];
      if (has_inner[c.rout] || is_inner[c.rin]) continue;
      if (policy != 2 && (is_inner[c.rout] || has_inner[c.rin])) continue;  // no chains
      chosen.push_back(c);
      has_inner[c.rout] = is_inner[c.rin] = true;
    }
    return policy == 0 ? std::vector<Pair>{} : chosen;
  };
  auto make_planner = [&](const std::vector<Pair>& pairs, MemoryPlanner* planner,
                          std::map<int, int>* buffer_of_root) {
    for (const auto& [root, ts] : members) {
      (*buffer_of_root)[root] =
          planner->AddBuffer(group_bytes(root), first[root], last[root],
                             fmt::format("t{} '{}'", root, g.tensors[root].name));
    }
    for (int i = 0; i < num_ops; ++i) {
      if (layers[i].scratch_bytes > 0) {
        planner->AddBuffer(layers[i].scratch_bytes, step(i), step(i), fmt::format("scratch op{}", i));
      }
    }
    for (const Pair& c : pairs) {
      if (!planner->Attach(buffer_of_root->at(c.rin), buffer_of_root->at(c.rout), c.delta)) {
        return Status::Error("internal error: in-place pair rejected: " + planner->InputError());
      }
    }
    return Status::Ok();
  };
  std::vector<Pair> pairs;
  int64_t best_peak = -1;
  for (int policy : {0, 1, 2, 3}) {
    std::vector<Pair> trial = select(policy);
    if (policy > 0 && trial.empty()) break;
    MemoryPlanner p(options.alignment);
    std::map<int, int> ids;
    TINYMLC_RETURN_IF_ERROR(make_planner(trial, &p, &ids));
    p.Plan();
    if (best_peak < 0 || p.Peak() < best_peak) {
      best_peak = p.Peak();
      pairs = trial;
    }
  }

  MemoryPlanner planner(options.alignment);
  std::map<int, int> buffer_of_root;
  TINYMLC_RETURN_IF_ERROR(make_planner(pairs, &planner, &buffer_of_root));
  std::vector<int> buffer_of(num_tensors, -1);
  for (const auto& [root, ts] : members) {
    for (int t : ts) buffer_of[t] = buffer_of_root[root];
    BufferReport br;
    br.label = planner.buffers()[buffer_of_root[root]].label;
    br.tensors = ts;
    br.bytes = group_bytes(root);
    br.first = first[root];
    br.last = last[root];
    result.buffers.push_back(br);
  }
  for (const Pair& c : pairs) {
    result.buffers[buffer_of_root[c.rin]].label +=
        fmt::format(" (in place: {} bytes above t{})", c.delta, c.rout);
  }
  std::vector<int> scratch_of(num_ops, -1);
  for (int i = 0, id = static_cast<int>(members.size()); i < num_ops; ++i) {
    if (layers[i].scratch_bytes > 0) {
      scratch_of[i] = id++;
      BufferReport br;
      br.label = fmt::format("scratch op{}", i);
      br.bytes = layers[i].scratch_bytes;
      br.first = br.last = step(i);
      result.buffers.push_back(br);
    }
  }
  planner.Plan();
  const std::string overlap = planner.CheckOverlaps();
  if (!overlap.empty()) return Status::Error("internal error: memory plan overlaps: " + overlap);
  for (size_t b = 0; b < result.buffers.size(); ++b) {
    result.buffers[b].offset = planner.Offset(static_cast<int>(b));
  }
  result.arena_bytes = planner.Peak();
  result.lower_bound = planner.LowerBound();  // of the buffers as they are, pairs apart
  if (!emit) return result;
  result.plan_dump = planner.Dump();
  if (result.arena_bytes > (int64_t{1} << 31)) {
    return Status::Error(fmt::format("arena of {} bytes exceeds 2^31 bytes", result.arena_bytes));
  }
  // A view's buffer is its base's.
  for (int t = 0; t < num_tensors; ++t) {
    int b = t;
    while (b >= 0 && g.tensors[b].view_of >= 0) b = g.tensors[b].view_of;
    if (b != t && b >= 0) buffer_of[t] = buffer_of[b];
  }

  // 3. Emit.
  std::vector<int> root(num_tensors);
  for (int t = 0; t < num_tensors; ++t) root[t] = FindRoot(parent, t);
  std::vector<bool> subgraph_called(std::max<size_t>(g.subgraphs.size(), 1), false);
  for (size_t k = 0; k < subgraph_called.size(); ++k) subgraph_called[k] = k == 0 || timeline.caller[k] >= 0;
  EmitterInput in{g, options, layers, root, buffer_of, scratch_of, planner, subgraph_called};
  return EmitModel(in, std::move(result));
}

// MACs a plan adds (the recomputed halos).
int64_t ExtraMacs(const PatchPlan& p) { return p.patched_macs - p.prefix_macs; }

Status ChoosePatchPlan(Graph* g, std::vector<bool>* folded, Timeline* timeline,
                       const CompileOptions& options, PatchPlan* chosen) {
  // The model as it is, then every split the prefix can end at with growing numbers of
  // patches (planned only, not emitted).
  auto base = CompileLowered(*g, *folded, *timeline, options, /*emit=*/false);
  if (!base.ok()) return base.status();
  int64_t total_macs = 0;
  for (const Operator& op : g->ops) total_macs += (*folded)[op.index] ? 0 : OperatorMacs(*g, op);
  const PatchCandidates cands = FindPatchCandidates(*g, *folded);
  struct Trial {
    PatchPlan plan;
    int64_t arena;
  };
  std::vector<Trial> trials = {{PatchPlan{}, base->arena_bytes}};
  for (int b : cands.splits) {
    const int cut_h = g->tensors[g->ops[b].outputs[0]].shape[1];
    auto trial = [&](int n, bool keep) -> int64_t {
      PatchPlan plan;
      plan.first_op = cands.first_op, plan.split_op = b, plan.patches = n, plan.keep_halo = keep;
      Graph g2 = *g;
      std::vector<bool> f2 = *folded;
      if (!ApplyPatchPlan(&g2, &f2, &plan).ok()) return -1;
      if (plan.patches != n) return -1;  // the same bands as a smaller n
      Timeline t2;
      if (!BuildTimeline(g2, &t2).ok()) return -1;
      auto r = CompileLowered(g2, f2, t2, options, /*emit=*/false);
      if (!r.ok()) return -1;
      plan.total_macs = total_macs;
      plan.num_ops_before = static_cast<int>(g2.ops.size());  // the plan's operators
      trials.push_back({plan, r->arena_bytes});
      return r->arena_bytes;
    };
    // Recomputed halos: more patches only add halo once the arena stops shrinking.
    int64_t prev = -1;
    for (int n : {2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32, 48, 64}) {
      if (n > cut_h) break;
      const int64_t arena = trial(n, false);
      if (arena < 0) continue;
      if (prev >= 0 && arena >= prev) break;
      prev = arena;
    }
    // Kept halos (line buffers): no extra MACs; bands of 1, 2 and 4 rows.
    for (int rows : {1, 2, 4}) {
      const int n = (cut_h + rows - 1) / rows;
      if (n >= 2) trial(n, true);
    }
  }
  // --memory-budget: the fewest extra MACs that fit; --optimize ram: the smallest arena
  // (fewest extra MACs among equals).
  const Trial* best = nullptr;
  const Trial* smallest = nullptr;
  for (const Trial& t : trials) {
    if (!smallest || t.arena < smallest->arena ||
        (t.arena == smallest->arena && ExtraMacs(t.plan) < ExtraMacs(smallest->plan))) {
      smallest = &t;
    }
    // Among equal extra MACs (kept halos have none), the fewest operators (the least
    // call overhead and code), then the smaller arena.
    auto key = [](const Trial& x) {
      return std::make_tuple(ExtraMacs(x.plan), x.plan.split_op < 0 ? 0 : x.plan.num_ops_before, x.arena);
    };
    if (options.memory_budget > 0 && t.arena <= options.memory_budget && (!best || key(t) < key(*best))) {
      best = &t;
    }
  }
  if (options.memory_budget > 0 && !best) {
    return Status::Error(fmt::format(
        "no plan fits the memory budget of {} bytes: the smallest arena tinymlc reaches is {} "
        "bytes ({}; without patches {} bytes)",
        options.memory_budget, smallest->arena,
        smallest->plan.split_op < 0 ? std::string("no patches") : smallest->plan.Describe(*g),
        base->arena_bytes));
  }
  if (!best) best = smallest;
  if (best->plan.split_op < 0) return Status::Ok();
  *chosen = best->plan;
  TINYMLC_RETURN_IF_ERROR(ApplyPatchPlan(g, folded, chosen));
  chosen->total_macs = total_macs;
  return BuildTimeline(*g, timeline);
}

}  // namespace

Status WriteCompiledModel(const CompiledModel& model, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Error(fmt::format("cannot create output folder '{}': {}", dir, ec.message()));
  const std::pair<std::string, const std::string*> files[] = {
      {model.name + ".c", &model.source},
      {model.name + ".h", &model.header},
      {"tinyml_runtime.h", &model.runtime_header},
      {model.name + "_weights.c", &model.weights_source}};
  for (const auto& [name, text] : files) {
    if (text == &model.weights_source && text->empty()) continue;  // no --weights-file
    const std::filesystem::path p = std::filesystem::path(dir) / name;
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out.write(text->data(), static_cast<std::streamsize>(text->size()));
    if (!out) return Status::Error(fmt::format("cannot write '{}'", p.string()));
  }
  return Status::Ok();
}

std::vector<SupportedOperator> SupportedOperators() {
  std::vector<SupportedOperator> ops;
  for (const OpDef* d : AllOps()) {
    SupportedOperator o;
    o.custom = d->builtin_code >= kCustomOpCodeBase;
    o.builtin_code = o.custom ? 32 : d->builtin_code;
    o.name = d->name;
    o.types = d->types;
    o.folds = d->fold != nullptr;
    ops.push_back(std::move(o));
  }
  return ops;
}

std::string SupportedOperatorsMarkdown() {
  std::string md =
      "| operator | builtin code | tensor types | folded when its inputs are constant |\n"
      "|---|---:|---|---|\n";
  for (const SupportedOperator& o : SupportedOperators()) {
    // Custom ops (TFLM's signal library) are CUSTOM (32), found by their custom_code.
    md += fmt::format("| {} | {} | {} | {} |\n", o.name,
                      o.custom ? std::string("32 (custom)") : std::to_string(o.builtin_code),
                      o.types, o.folds ? "yes" : "no");
  }
  return md;
}

}  // namespace tinymlc
