// VAR_HANDLE, READ_VARIABLE, ASSIGN_VARIABLE: resource variables, resolved at compile time.
//
// passes/resource_variables.cc gives every variable (one per (container, shared_name),
// as TFLM's MicroResourceVariables) a variable tensor of the arena that lives for the
// whole run and is restored by NAME_reset(), and appends it to the inputs of every
// READ_VARIABLE and ASSIGN_VARIABLE of that variable. So VAR_HANDLE is no code and the
// other two are copies, as in TFLM (MicroResourceVariables::Read/Assign: memcpy).
#include <fmt/format.h>

#include "ops/op_util.h"

namespace tinymlc {
namespace {

Status LowerVarHandle(LowerContext& ctx, LayerCode* out) {
  TINYMLC_RETURN_IF_ERROR(CheckArity(ctx, 0, 0, 1));
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.Out(0), DType::kResource));
  out->body = "/* the variable's storage is resolved at compile time: no code */";
  return Status::Ok();
}

// The variable tensor the pass appended (the last input).
Status VariableOf(const LowerContext& ctx, int want_inputs, const Tensor** var) {
  if (ctx.NumInputs() != want_inputs || !ctx.In(want_inputs - 1) ||
      !ctx.In(want_inputs - 1)->is_variable) {
    return ctx.Error("internal error: the resource variable was not resolved");
  }
  if (!ctx.In(0)) return ctx.Error("the resource input is missing");
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, ctx.In(0), DType::kResource));
  *var = ctx.In(want_inputs - 1);
  return Status::Ok();
}

Status LowerReadVariable(LowerContext& ctx, LayerCode* out) {
  if (ctx.NumOutputs() != 1) return ctx.Error(fmt::format("{} outputs (expected 1)", ctx.NumOutputs()));
  const Tensor* var = nullptr;
  TINYMLC_RETURN_IF_ERROR(VariableOf(ctx, 2, &var));
  const Tensor* output = ctx.Out(0);
  if (!output) return ctx.Error("the output is missing");
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, output, var->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, output, var->shape));
  out->body = fmt::format("memcpy({}, {}, {});", ctx.Ptr(output), ctx.Ptr(var), output->Bytes());
  return Status::Ok();
}

Status LowerAssignVariable(LowerContext& ctx, LayerCode* out) {
  if (ctx.NumOutputs() != 0) return ctx.Error(fmt::format("{} outputs (expected 0)", ctx.NumOutputs()));
  const Tensor* var = nullptr;
  TINYMLC_RETURN_IF_ERROR(VariableOf(ctx, 3, &var));
  const Tensor* value = ctx.In(1);
  if (!value) return ctx.Error("the value input is missing");
  TINYMLC_RETURN_IF_ERROR(CheckDType(ctx, value, var->dtype));
  TINYMLC_RETURN_IF_ERROR(CheckShape(ctx, value, var->shape));
  out->body = fmt::format("memcpy({}, {}, {});", ctx.Ptr(var), ctx.Ptr(value), value->Bytes());
  return Status::Ok();
}

}  // namespace

extern const OpDef kVarHandle = {142, "VAR_HANDLE", "resource", LowerVarHandle, nullptr};
extern const OpDef kReadVariable = {143, "READ_VARIABLE", "any (a copy)", LowerReadVariable,
                                    nullptr};
extern const OpDef kAssignVariable = {144, "ASSIGN_VARIABLE", "any (a copy)", LowerAssignVariable,
                                      nullptr};

}  // namespace tinymlc
