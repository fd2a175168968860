// CALL_ONCE, IF, WHILE: control flow between the model's subgraphs.
//
// Every subgraph an operator calls becomes a C function of the generated file,
// "static void NAME_subgraph<k>(void)", running its operators in order (the emitter
// writes it); these operators become C control flow around calls of it. Values move as
// in TFLM (kernels/if.cc, while.cc): copied from the operator's inputs into the called
// subgraph's inputs and from its outputs into the operator's outputs. The compiler
// plans each called subgraph's tensors inside the calling operator's step (compiler.cc,
// the timeline), so these copies never overlap and need no intermediate buffer.
//
// CALL_ONCE runs its init subgraph the first time the operator runs after
// NAME_reset() (a flag NAME_op<index>_ran, cleared by NAME_reset(), which the first
// invoke calls), in its place among the operators, as TFLM's CALL_ONCE.
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

std::string SubgraphFn(const LowerContext& ctx, int k) {
  return fmt::format("{}_subgraph{}()", ctx.prefix(), k);
}

// memcpy(dst[i], src[i]) for each pair, after checking that dtypes and sizes agree (TFLM
// checks the same at invoke: TF_LITE_ENSURE_TYPES_EQ and equal byte counts).
Result<std::string> Copies(const LowerContext& ctx, const std::vector<int>& dst,
                           const std::vector<int>& src, const char* what) {
  const Graph& g = ctx.graph();
  std::string s;
  const int n = static_cast<int>(g.tensors.size());
  for (size_t i = 0; i < dst.size() && i < src.size(); ++i) {
    if (dst[i] < 0 || dst[i] >= n || src[i] < 0 || src[i] >= n) {
      return ctx.Error(fmt::format("{} {}: tensor index {} -> {} is not a tensor of the model",
                                   what, i, src[i], dst[i]));
    }
    const Tensor& d = g.tensors[dst[i]];
    const Tensor& t = g.tensors[src[i]];
    if (d.dtype != t.dtype || d.Bytes() != t.Bytes()) {
      return ctx.Error(fmt::format("{} {}: {} [{}] ({} bytes) does not match {} [{}] ({} bytes) of "
                                   "subgraph {} tensor {} '{}'",
                                   what, i, DTypeName(t.dtype), fmt::join(t.shape, ","),
                                   t.Bytes(), DTypeName(d.dtype), fmt::join(d.shape, ","),
                                   d.Bytes(), d.subgraph, d.local_index, d.name),
                       &t);
    }
    if (d.dtype == DType::kResource) {
      return ctx.Error(fmt::format("{} {} is a resource: resources passed between subgraphs are "
                                   "not supported",
                                   what, i),
                       &t);
    }
    s += fmt::format("\n  memcpy({}, {}, {});", ctx.Ptr(&d), ctx.Ptr(&t), t.Bytes());
  }
  return s;
}

Status CheckCount(const LowerContext& ctx, const char* what, size_t have, size_t want) {
  if (have != want) return ctx.Error(fmt::format("{}: {} (expected {})", what, have, want));
  return Status::Ok();
}

// A condition tensor: bool with one element (TFLM reads data.b[0]).
Status CheckCondition(const LowerContext& ctx, const Tensor* t) {
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, t, DType::kBool));
  if (t->NumElements() != 1) {
    return ctx.Error(fmt::format("the condition has {} elements (expected 1)", t->NumElements()), t);
  }
  return Status::Ok();
}

Status LowerCallOnce(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 0, 0, 0));
  const auto& o = std::get<CallOnceOptions>(ctx.op().options);
  const Subgraph& sg = ctx.graph().subgraphs[o.init_subgraph];
  if (!sg.inputs.empty() || !sg.outputs.empty()) {
    return ctx.Error(fmt::format("init subgraph {} has {} inputs and {} outputs (expected none)",
                                 o.init_subgraph, sg.inputs.size(), sg.outputs.size()));
  }
  out->body = fmt::format("if (!{0}) {{\n    {1};\n    {0} = 1;\n  }}", ctx.Sym("ran"),
                          SubgraphFn(ctx, o.init_subgraph));
  return Status::Ok();
}

Status LowerIf(LowerContext& ctx, LayerCode* out) {
  const auto& o = std::get<IfOptions>(ctx.op().options);
  const Graph& g = ctx.graph();
  if (ctx.NumInputs() < 1 || !ctx.In(0)) return ctx.Error("the condition input is missing");
  TINYMLC_RETURN_IF_ERROR(CheckCondition(ctx, ctx.In(0)));
  std::vector<int> args(ctx.op().inputs.begin() + 1, ctx.op().inputs.end());
  for (int t : args) {
    if (t < 0) return ctx.Error("an omitted input (-1) cannot be passed to a subgraph");
  }
  std::string branches[2];
  const int callee[2] = {o.then_subgraph, o.else_subgraph};
  for (int b = 0; b < 2; ++b) {
    const Subgraph& sg = g.subgraphs[callee[b]];
    const std::string which = fmt::format("{} subgraph {}", b == 0 ? "then" : "else", callee[b]);
    TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, (which + " inputs").c_str(), sg.inputs.size(), args.size()));
    TINYMLC_RETURN_IF_ERROR(
        CheckCount(ctx, (which + " outputs").c_str(), sg.outputs.size(), ctx.op().outputs.size()));
    auto in = Copies(ctx, sg.inputs, args, "input");
    if (!in.ok()) return in.status();
    auto res = Copies(ctx, ctx.op().outputs, sg.outputs, "output");
    if (!res.ok()) return res.status();
    branches[b] = in.value() + fmt::format("\n  {};", SubgraphFn(ctx, callee[b])) + res.value();
  }
  auto indent = [](std::string s) {
    std::string r;
    for (char c : s) r += c == '\n' ? std::string("\n  ") : std::string(1, c);
    return r;
  };
  out->body = fmt::format("if ({}[0]) {{{}\n  }} else {{{}\n  }}", ctx.Ptr(ctx.In(0)),
                          indent(branches[0]), indent(branches[1]));
  return Status::Ok();
}

Status LowerWhile(LowerContext& ctx, LayerCode* out) {
  const auto& o = std::get<WhileOptions>(ctx.op().options);
  const Graph& g = ctx.graph();
  const std::vector<int>& ins = ctx.op().inputs;
  const std::vector<int>& outs = ctx.op().outputs;
  for (int t : ins) {
    if (t < 0) return ctx.Error("an omitted input (-1) cannot be passed to a subgraph");
  }
  const Subgraph& cond = g.subgraphs[o.cond_subgraph];
  const Subgraph& body = g.subgraphs[o.body_subgraph];
  TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, "outputs", outs.size(), ins.size()));
  TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, "cond subgraph inputs", cond.inputs.size(), ins.size()));
  TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, "cond subgraph outputs", cond.outputs.size(), 1));
  TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, "body subgraph inputs", body.inputs.size(), ins.size()));
  TINYMLC_RETURN_IF_ERROR(CheckCount(ctx, "body subgraph outputs", body.outputs.size(), ins.size()));
  if (cond.outputs[0] < 0 || cond.outputs[0] >= static_cast<int>(g.tensors.size())) {
    return ctx.Error("the cond subgraph's output is not a tensor of the model");
  }
  const Tensor* c = &g.tensors[cond.outputs[0]];
  TINYMLC_RETURN_IF_ERROR(CheckCondition(ctx, c));
  auto in_to_cond = Copies(ctx, cond.inputs, ins, "input");
  if (!in_to_cond.ok()) return in_to_cond.status();
  auto in_to_out = Copies(ctx, outs, ins, "input");
  if (!in_to_out.ok()) return in_to_out.status();
  auto out_to_body = Copies(ctx, body.inputs, outs, "output");
  if (!out_to_body.ok()) return out_to_body.status();
  auto body_to_out = Copies(ctx, outs, body.outputs, "body output");
  if (!body_to_out.ok()) return body_to_out.status();
  auto out_to_cond = Copies(ctx, cond.inputs, outs, "output");
  if (!out_to_cond.ok()) return out_to_cond.status();
  auto indent = [](std::string s) {
    std::string r;
    for (char ch : s) r += ch == '\n' ? std::string("\n  ") : std::string(1, ch);
    return r;
  };
  const std::string cond_fn = SubgraphFn(ctx, o.cond_subgraph);
  out->body = fmt::format(
      "/* inputs to the cond subgraph and to the outputs, then cond; while true: body */{}{}\n"
      "  {};\n  while ({}[0]) {{{}\n    {};{}{}\n    {};\n  }}",
      in_to_cond.value(), in_to_out.value(), cond_fn, ctx.Ptr(c), indent(out_to_body.value()),
      SubgraphFn(ctx, o.body_subgraph), indent(body_to_out.value()), indent(out_to_cond.value()),
      cond_fn);
  return Status::Ok();
}

}  // namespace

extern const OpDef kIf = {118, "IF", "bool condition; any (copies)", LowerIf, nullptr};
extern const OpDef kWhile = {119, "WHILE", "bool condition; any (copies)", LowerWhile, nullptr};
extern const OpDef kCallOnce = {129, "CALL_ONCE", "none", LowerCallOnce, nullptr};

}  // namespace tinymlc
