#include "emitter/emitter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "embedded_templates.h"
#include "emitter/firmware_emit.h"
#include "ops/op_util.h"

#ifndef TINYMLC_VERSION
#define TINYMLC_VERSION "0.0.0"
#endif

namespace tinymlc {
namespace {

std::string Upper(const std::string& s) {
  std::string u = s;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

// A C string literal for arbitrary text (tensor names may contain anything).
std::string CString(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c < 0x7f && c != '?') {  // '?' avoids trigraphs
      out += static_cast<char>(c);
    } else {
      out += fmt::format("\\{:03o}", c);
    }
  }
  return out + "\"";
}

// Text safe inside a /* */ comment.
std::string CommentSafe(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c >= 0x7f) {
      out += '?';
    } else if (s[i] == '*' && i + 1 < s.size() && s[i + 1] == '/') {
      out += "* ";
    } else if (s[i] == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      out += "/ ";
    } else {
      out += s[i];
    }
  }
  return out;
}

const char* RuntimeTypeName(DType t) {
  switch (t) {
    case DType::kFloat32: return "TINYML_FLOAT32";
    case DType::kInt8: return "TINYML_INT8";
    case DType::kInt16: return "TINYML_INT16";
    case DType::kInt32: return "TINYML_INT32";
    case DType::kUInt8: return "TINYML_UINT8";
    case DType::kInt64: return "TINYML_INT64";
    case DType::kBool: return "TINYML_BOOL";
    case DType::kUInt32: return "TINYML_UINT32";
    case DType::kUInt64: return "TINYML_UINT64";
    default: return "TINYML_INT8";
  }
}

std::string ShapeStr(const std::vector<int32_t>& shape) {
  return fmt::format("[{}]", fmt::join(shape, ","));
}

std::string QuantStr(const Tensor& t) {
  if (!t.quant.present()) return "not quantized";
  if (t.quant.per_channel()) {
    return fmt::format("per-channel ({} scales, axis {})", t.quant.scale.size(), t.quant.axis);
  }
  return fmt::format("scale {}, zero point {}", t.scale(), t.zero_point());
}

// The text of a kernel template without its project-local includes.
Result<std::string> KernelText(const std::string& file) {
  const char* text = FindEmbeddedFile(file);
  if (!text) return Status::Error(fmt::format("internal error: kernel template '{}' missing", file));
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line)) {
    if (line.rfind("#include \"", 0) == 0) continue;
    out += line + "\n";
  }
  return out;
}

// `storage` "static " (or "" in NAME_weights.c), `attr` the placement attribute ("" by
// default); `declarator`, when given, receives "const T NAME[N]".
std::string ConstArray(const std::string& prefix, const Tensor& t, const std::string& storage = "static ",
                       const std::string& attr = "", std::string* declarator = nullptr) {
  std::string s = fmt::format("/* tensor {} '{}': {} {}, {}, {} bytes */\n", t.index,
                              CommentSafe(t.name), DTypeName(t.dtype), ShapeStr(t.shape),
                              QuantStr(t), t.data.size());
  // int4: the packed bytes as they are (two values per byte).
  const int64_t n = t.dtype == DType::kInt4 ? t.Bytes() : t.NumElements();
  const size_t es = DTypeSize(t.dtype);
  const std::string decl = fmt::format("const {} {}_t{}[{}]", DTypeCName(t.dtype), prefix, t.index,
                                       std::max<int64_t>(n, 1));
  if (declarator) *declarator = decl;
  s += storage + decl + attr + " = {";
  const int per_line = es == 1 ? 16 : 8;
  for (int64_t i = 0; i < n; ++i) {
    if (i % per_line == 0) s += "\n ";
    const uint8_t* p = t.data.data() + i * es;
    switch (t.dtype) {
      case DType::kInt8:
      case DType::kInt4: s += fmt::format(" {},", static_cast<int8_t>(p[0])); break;
      case DType::kUInt8:
      case DType::kBool: s += fmt::format(" {},", p[0]); break;
      case DType::kInt16: {
        int16_t v;
        std::memcpy(&v, p, 2);
        s += fmt::format(" {},", v);
        break;
      }
      case DType::kInt32: {
        int32_t v;
        std::memcpy(&v, p, 4);
        // INT32_MIN cannot be written as a literal directly.
        s += v == INT32_MIN ? " (-2147483647 - 1)," : fmt::format(" {},", v);
        break;
      }
      case DType::kInt64: {
        int64_t v;
        std::memcpy(&v, p, 8);
        s += v == INT64_MIN ? " (-9223372036854775807LL - 1)," : fmt::format(" {}LL,", v);
        break;
      }
      case DType::kFloat32: {
        float v;
        std::memcpy(&v, p, 4);
        s += " " + CFloatLiteral(v) + ",";
        break;
      }
      case DType::kUInt32: {
        uint32_t v;
        std::memcpy(&v, p, 4);
        s += fmt::format(" {}u,", v);
        break;
      }
      case DType::kUInt64: {
        uint64_t v;
        std::memcpy(&v, p, 8);
        s += fmt::format(" {}ULL,", v);
        break;
      }
      default: s += " 0,"; break;
    }
  }
  if (n == 0) s += " 0";
  s += "\n};\n";
  return s;
}

// The top-level declarations of a layer's decls (each ends with ';' outside braces,
// with the comment and preprocessor lines before it, and an `#endif` line right after it:
// a declaration a kernel's build may leave out stays whole).
std::vector<std::string> SplitDecls(const std::string& decls) {
  std::vector<std::string> out;
  std::string cur;
  int depth = 0;
  static const std::string kEndif = "#endif\n";
  for (size_t i = 0; i < decls.size(); ++i) {
    const char c = decls[i];
    cur += c;
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == ';' && depth == 0) {
      while (i + 1 < decls.size() && decls[i + 1] == '\n') cur += decls[++i];
      if (decls.compare(i + 1, kEndif.size(), kEndif) == 0) {
        cur += kEndif;
        i += kEndif.size();
      }
      out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

// `text` with every identifier in `renames` replaced (whole identifiers only).
std::string RenameIdentifiers(const std::string& text, const std::map<std::string, std::string>& renames,
                              const std::string& prefix) {
  if (renames.empty()) return text;
  std::string out;
  size_t i = 0;
  auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  while (i < text.size()) {
    const size_t at = text.find(prefix, i);
    if (at == std::string::npos) break;
    size_t end = at;
    while (end < text.size() && ident(text[end])) ++end;
    out.append(text, i, at - i);
    if (at > 0 && ident(text[at - 1])) {  // inside a longer identifier
      out.append(text, at, end - at);
    } else {
      const auto it = renames.find(text.substr(at, end - at));
      out += it == renames.end() ? text.substr(at, end - at) : it->second;
    }
    i = end;
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace

Result<CompiledModel> EmitModel(const EmitterInput& in, CompiledModel model) {
  const Graph& g = in.graph;
  const std::string& P = in.options.name;
  const std::string PU = Upper(P);
  const std::string model_file = std::filesystem::path(g.source_path).filename().string();
  auto banner = [&](const std::string& file) {
    return fmt::format("/* {} - generated by tinymlc {} from {}{}. Do not edit. */\n", file,
                       TINYMLC_VERSION, CommentSafe(model_file),
                       in.options.command_line.empty()
                           ? ""
                           : " (" + CommentSafe(in.options.command_line) + ")");
  };

  const CompileOptions& opt = in.options;
  // The arena's first byte: the static arena, or the application's (--arena external).
  const std::string AB = opt.external_arena ? P + "_arena_mem" : P + "_arena.bytes";

  // Pointer expressions for every tensor.
  std::set<int> const_used;
  auto arena_offset = [&](int t) { return in.planner.Offset(in.buffer_of[t]); };
  // --input external: the input's alias group is read from the caller's buffer.
  const int external_root = opt.external_input && !g.inputs.empty() ? in.alias_root[g.inputs[0]] : -1;
  const std::string IB = P + "_input_mem";
  // A view (a band of a patched layer, passes/patch.h): its base tensor and byte offset.
  auto view_base = [&](int t, int64_t* off) {
    *off = 0;
    while (g.tensors[t].view_of >= 0) {
      *off += g.tensors[t].view_offset;
      t = g.tensors[t].view_of;
    }
    return t;
  };
  auto tensor_ptr = [&](int t) -> std::string {
    const Tensor& tt = g.tensors[t];
    int64_t view_off = 0;
    const int base = view_base(t, &view_off);
    const int r = in.alias_root[base];
    if (r == external_root) {
      if (view_off == 0) return fmt::format("((const {} *){})", DTypeCName(tt.dtype), IB);
      return fmt::format("((const {} *)(const void *)((const uint8_t *){} + {}))", DTypeCName(tt.dtype),
                         IB, view_off);
    }
    if (base != t) {
      return fmt::format("(({} *)(void *)({} + {}))", DTypeCName(tt.dtype), AB,
                         arena_offset(base) + view_off);
    }
    if (g.tensors[r].is_constant) {
      const_used.insert(r);
      if (r == t) return fmt::format("{}_t{}", P, r);
      return fmt::format("(({} const *){}_t{})", DTypeCName(tt.dtype), P, r);
    }
    return fmt::format("(({} *)(void *)({} + {}))", DTypeCName(tt.dtype), AB,
                       arena_offset(t));
  };
  auto data_ptr = [&](int t) -> std::string {
    const int r = in.alias_root[t];
    if (r == external_root) return IB;
    if (g.tensors[r].is_constant) {
      const_used.insert(r);
      return fmt::format("(const void *){}_t{}", P, r);
    }
    return fmt::format("(const void *)({} + {})", AB, arena_offset(t));
  };
  auto resolve = [&](const std::string& body, int op_index) -> std::string {
    std::string out;
    size_t i = 0;
    while (i < body.size()) {
      if (body[i] == '@' && i + 1 < body.size() &&
          (body[i + 1] == 'T' || body[i + 1] == 'S' || body[i + 1] == 'P')) {
        const size_t end = body.find('@', i + 1);
        if (body[i + 1] == 'P') {
          out += fmt::format("((uint8_t *)(void *){}_op{}_state)", P, op_index);
        } else if (body[i + 1] == 'S') {
          out += fmt::format("({} + {})", AB, in.planner.Offset(in.scratch_of[op_index]));
        } else {
          out += tensor_ptr(std::stoi(body.substr(i + 2, end - i - 2)));
        }
        i = end + 1;
      } else {
        out += body[i++];
      }
    }
    return out;
  };

  // The invoke body (subgraph 0) and one function body per other subgraph that runs.
  const size_t num_sg = std::max<size_t>(g.subgraphs.size(), 1);
  std::vector<std::string> bodies(num_sg);
  std::vector<int> call_once_ops;  // their NAME_op<index>_ran flags, cleared by NAME_reset()
  std::vector<int> state_ops;  // operators with LayerCode::state_bytes, zeroed by NAME_reset()
  bool needs_math = false;
  std::vector<std::string> kernels = {"tml_common.h"};
  std::set<std::string> options;  // sorted: the same file for the same model
  std::string layer_decls;
  std::vector<fw::ProfileRow> profile_rows;  // --profile
  // Patch-based execution: the number of patches, the last prefix operator, the cut tensor.
  int num_patches = 0, patch_last_source = -1, patch_cut = -1;
  std::map<std::pair<int, int>, int> first_copy;        // (model operator, code) -> its first copy
  std::map<std::string, std::string> shared_decls;      // a first copy's symbol -> its declaration
  std::set<int> weights_shared;  // copies whose constants are all the first copy's
  for (const Operator& op : g.ops) {
    if (op.patch < 0) continue;
    num_patches = std::max(num_patches, op.patch + 1);
    if (op.patch_source > patch_last_source) {
      patch_last_source = op.patch_source;
      int64_t unused = 0;
      patch_cut = view_base(op.outputs[0], &unused);
    }
  }
  for (const Operator& op : g.ops) {
    if (op.subgraph >= static_cast<int>(num_sg) || !in.subgraph_called[op.subgraph]) continue;
    std::string& invoke = bodies[op.subgraph];
    // The model's operator index (a patched graph has copies of its first operators).
    const int model_index = op.patch_source >= 0 ? op.patch_source : op.index;
    std::string where =
        op.subgraph == 0 ? fmt::format("operator {}", model_index)
                         : fmt::format("subgraph {} operator {}", op.subgraph, op.local_index);
    if (op.patch >= 0) {
      where += fmt::format(", patch {} of {}", op.patch, num_patches);
      if (op.patch == 0 && (op.index == 0 || in.graph.ops[op.index - 1].patch < 0)) {
        bodies[op.subgraph] += fmt::format(
            "\n  /* ---- Patch-based execution (tinymlc --optimize ram / --memory-budget): operators "
            "{}..{} run once per band of rows, {} bands; the last one writes its band of t{}. */\n",
            model_index, patch_last_source, num_patches, patch_cut);
      }
    }
    if (std::holds_alternative<CallOnceOptions>(op.options)) call_once_ops.push_back(op.index);
    const LayerCode& code = in.layers[op.index];
    if (code.state_bytes > 0 && !code.folded) {
      state_ops.push_back(op.index);
      layer_decls += fmt::format("/* {}: {} state, kept across invokes, zeroed by {}_reset() */\n"
                                 "static uint64_t {}_op{}_state[{}];\n\n",
                                 where, op.name, P, P, op.index, (code.state_bytes + 7) / 8);
    }
    needs_math |= code.needs_math;
    for (const std::string& k : code.kernels) {
      if (std::find(kernels.begin(), kernels.end(), k) == kernels.end()) kernels.push_back(k);
    }
    if (!code.folded) options.insert(code.options.begin(), code.options.end());
    // A patch copy shares the constants of the first copy of its operator that are the same
    // (weights, per-channel arrays; the parameters of bands of the same height): its own
    // symbols are renamed to the first copy's and the repeated declarations dropped.
    std::string decls = code.decls;
    std::map<std::string, std::string> renames;
    bool own_weights = false;  // a copy that emits constants of its own
    if (op.patch >= 0 && !decls.empty()) {
      const int first = first_copy.emplace(std::make_pair(op.patch_source, op.builtin_code), op.index)
                            .first->second;
      const std::string own = fmt::format("{}_op{}_", P, op.index), canon = fmt::format("{}_op{}_", P, first);
      decls.clear();
      for (const std::string& d : SplitDecls(code.decls)) {
        const std::string t0 = RenameIdentifiers(d, renames, P + "_op");
        // The symbol it declares: the first of this operator's on its first line.
        const size_t line_end = t0.find('{') == std::string::npos ? t0.size() : t0.find('{');
        const size_t at = t0.rfind(own, line_end);
        size_t end = at;
        while (at != std::string::npos && end < t0.size() &&
               (std::isalnum(static_cast<unsigned char>(t0[end])) || t0[end] == '_')) {
          ++end;
        }
        if (at == std::string::npos || own == canon) {
          if (at != std::string::npos) shared_decls[t0.substr(at, end - at)] = t0;
          decls += t0;
          continue;
        }
        const std::string name = t0.substr(at, end - at);
        const std::string canon_name = canon + name.substr(own.size());
        const std::string tc = RenameIdentifiers(t0, {{name, canon_name}}, P + "_op");
        const auto it = shared_decls.find(canon_name);
        if (it != shared_decls.end() && it->second == tc) {
          renames[name] = canon_name;  // the same bytes: the first copy's
        } else {
          decls += t0;
          if (name.size() < 7 || name.compare(name.size() - 7, 7, "_params") != 0) own_weights = true;
        }
      }
      if (!own_weights) weights_shared.insert(op.index);
    }
    if (!decls.empty()) {
      layer_decls += fmt::format("/* {}: {} */\n{}\n", where, op.name, decls);
    }
    if (code.folded) {
      invoke += fmt::format("\n  /* {}: {} folded at compile time into constant t{} */\n",
                            where, op.name, fmt::join(op.outputs, ", t"));
      continue;
    }
    std::vector<std::string> ins, outs;
    for (int t : op.inputs) {
      if (t >= 0) ins.push_back(fmt::format("t{} {}", t, ShapeStr(g.tensors[t].shape)));
    }
    for (int t : op.outputs) outs.push_back(fmt::format("t{} {}", t, ShapeStr(g.tensors[t].shape)));
    invoke += fmt::format("\n  /* {}: {} {} -> {}{} */\n", where, op.name,
                          fmt::join(ins, ", "), fmt::join(outs, ", "),
                          code.alias_of >= 0 ? " (aliases its input: no code)" : "");
    // A patch copy reports nothing but the whole split tensor, after the last patch.
    const bool hooks = op.patch < 0;
    if (hooks) invoke += fmt::format("  TINYML_LAYER_BEGIN({}, \"{}\");\n", model_index, op.name);
    if (opt.profile) invoke += fmt::format("  {}_profile_begin();\n", P);
    if (!code.body.empty()) {
      invoke += "  " + resolve(RenameIdentifiers(code.body, renames, P + "_op"), op.index) + "\n";
    }
    if (opt.profile) {
      invoke += fmt::format("  {}_profile_end({});\n", P, profile_rows.size());
      profile_rows.push_back({op.index, op.name});
    }
    if (!hooks && op.patch == num_patches - 1 && op.patch_source == patch_last_source) {
      invoke += fmt::format("  TINYML_LAYER_END({}, \"{}\", {}, {}, {});\n", model_index, op.name,
                            patch_cut, data_ptr(patch_cut), g.tensors[patch_cut].Bytes());
    }
    for (int t : op.outputs) {
      if (!hooks) break;
      if (g.tensors[t].dtype == DType::kResource) continue;  // a handle: no bytes
      if (g.tensors[t].unreported) continue;  // nothing reads it (passes/unread_outputs.h)
      invoke += fmt::format("  TINYML_LAYER_END({}, \"{}\", {}, {}, {});\n", model_index, op.name, t,
                            data_ptr(t), g.tensors[t].Bytes());
    }
  }

  // I/O tables.
  auto info_table = [&](const std::vector<int>& list, const std::string& name) {
    if (list.empty()) return std::string();
    std::string s = fmt::format("static const tinyml_tensor_info_t {}_{}[{}] = {{\n", P, name, list.size());
    for (int t : list) {
      const Tensor& tt = g.tensors[t];
      std::vector<int32_t> dims = tt.shape;
      dims.resize(8, 0);  // TINYML_MAX_RANK
      s += fmt::format(
          "  {{ .name = {}, .type = {}, .rank = {}, .dims = {{{}}}, .bytes = {}u,\n"
          "    .scale = {}, .zero_point = {}, .tensor_index = {} }},\n",
          CString(tt.name), RuntimeTypeName(tt.dtype), tt.shape.size(), fmt::join(dims, ", "),
          tt.Bytes(), CFloatLiteral(tt.quant.present() ? tt.scale() : 0.0f), tt.zero_point(), t);
    }
    return s + "};\n";
  };
  auto ptr_table = [&](const std::vector<int>& list, const std::string& name) {
    if (list.empty()) return std::string();
    std::string s = fmt::format("static void *const {}_{}[{}] = {{\n", P, name, list.size());
    for (int t : list) {
      const int r = in.alias_root[t];
      if (g.tensors[r].is_constant) {
        s += fmt::format("  (void *){}_t{},\n", P, r);  // a constant graph output
        const_used.insert(r);
      } else {
        s += fmt::format("  {}_arena.bytes + {},\n", P, arena_offset(t));
      }
    }
    return s + "};\n";
  };
  auto accessor = [&](const std::vector<int>& list, const std::string& what) {
    std::string s;
    if (what == "input" && external_root >= 0) {
      // --input external: the caller's buffer (NULL until NAME_set_input_buffer()).
      s += fmt::format("void *{0}_input(size_t index) {{\n"
                       "  return index == 0 ? (void *)(uintptr_t){1} : NULL;\n}}\n\n", P, IB);
      s += fmt::format("const tinyml_tensor_info_t *{0}_input_info(size_t index) {{\n"
                       "  return index < 1 ? &{0}_input_infos[index] : NULL;\n}}\n", P);
      return s;
    }
    if (!list.empty() && opt.external_arena) {
      // No constant addresses in the arena: computed from the application's memory.
      s += fmt::format("void *{}_{}(size_t index) {{\n  if ({} == NULL) return NULL;\n  switch (index) {{\n",
                       P, what, AB);
      for (size_t i = 0; i < list.size(); ++i) {
        const int r = in.alias_root[list[i]];
        if (g.tensors[r].is_constant) {
          s += fmt::format("    case {}: return (void *){}_t{};\n", i, P, r);
          const_used.insert(r);
        } else {
          s += fmt::format("    case {}: return {} + {};\n", i, AB, arena_offset(list[i]));
        }
      }
      s += "    default: return NULL;\n  }\n}\n\n";
      s += fmt::format("const tinyml_tensor_info_t *{0}_{1}_info(size_t index) {{\n"
                       "  return index < {2} ? &{0}_{1}_infos[index] : NULL;\n}}\n",
                       P, what, list.size());
      return s;
    }
    if (list.empty()) {
      s += fmt::format("void *{0}_{1}(size_t index) {{\n  (void)index;\n  return NULL;\n}}\n\n", P, what);
      s += fmt::format("const tinyml_tensor_info_t *{0}_{1}_info(size_t index) {{\n  (void)index;\n  return NULL;\n}}\n", P, what);
      return s;
    }
    s += fmt::format("void *{0}_{1}(size_t index) {{\n  return index < {2} ? {0}_{1}_ptrs[index] : NULL;\n}}\n\n",
                     P, what, list.size());
    s += fmt::format("const tinyml_tensor_info_t *{0}_{1}_info(size_t index) {{\n"
                     "  return index < {2} ? &{0}_{1}_infos[index] : NULL;\n}}\n",
                     P, what, list.size());
    return s;
  };
  const std::string io_tables = info_table(g.inputs, "input_infos") +
                                info_table(g.outputs, "output_infos");
  std::string arena_decl = fmt::format(
      "/* One static arena holds every activation; offsets planned at compile time. */\n"
      "static union {{\n  uint8_t bytes[{}];\n  int64_t align_;\n}} {}_arena{};\n",
      std::max<int64_t>(model.arena_bytes, 1), P, fw::ArenaAttr(opt));
  if (opt.external_arena) {
    arena_decl = fmt::format(
        "/* The arena is the application's ({}_set_arena(), tinymlc --arena external):\n"
        " * {} bytes, offsets planned at compile time. */\nstatic uint8_t *{};\n",
        P, model.arena_bytes, AB);
  }
  const std::string ptrs = opt.external_arena ? std::string()
      : (external_root >= 0 ? std::string() : ptr_table(g.inputs, "input_ptrs")) +
            ptr_table(g.outputs, "output_ptrs");
  if (external_root >= 0) {
    arena_decl += fmt::format(
        "\n/* The input is the application's ({0}_set_input_buffer(), tinymlc --input external):\n"
        " * read in place, never copied into the arena. */\nstatic const void *{1};\n\n"
        "tinyml_status_t {0}_set_input_buffer(const void *data) {{\n"
        "  if (((uintptr_t)data & {2}u) != 0u) return TINYML_BAD_ARGUMENT;\n"
        "  {1} = data;\n  return TINYML_OK;\n}}\n",
        P, IB, std::max<int64_t>(opt.alignment, 1) - 1);
  }
  // Before the weights: with --arena external they may name constant outputs.
  const std::string accessors = accessor(g.inputs, "input") + "\n" + accessor(g.outputs, "output") + "\n";

  // Variable tensors (e.g. recurrent state): live in the arena for the whole run, set
  // to their initial values by NAME_reset(), which the first invoke calls.
  std::vector<int> variables;
  for (const Tensor& t : g.tensors) {
    if (t.is_variable && in.buffer_of[t.index] >= 0) variables.push_back(t.index);
  }
  // State: variables, and CALL_ONCE operators to re-arm.
  const bool stateful = !variables.empty() || !call_once_ops.empty() || !state_ops.empty();
  std::string reset_fn;
  std::string variable_inits;
  std::string weight_externs;  // --weights-file: what NAME.c declares of NAME_weights.c
  if (stateful) {
    reset_fn += fmt::format("static int {}_ready;\n", P);
    for (int op : call_once_ops) {
      reset_fn += fmt::format("static int {}_op{}_ran;  /* CALL_ONCE: init subgraph run */\n", P, op);
    }
    reset_fn += "\n";
  }
  reset_fn += fmt::format("void {}_reset(void) {{\n", P);
  if (opt.external_arena && stateful) reset_fn += fmt::format("  if ({} == NULL) return;\n", AB);
  for (int op : call_once_ops) reset_fn += fmt::format("  {}_op{}_ran = 0;\n", P, op);
  for (int op : state_ops) {
    reset_fn += fmt::format("  memset({0}_op{1}_state, 0, sizeof({0}_op{1}_state));\n", P, op);
  }
  for (int t : variables) {
    const Tensor& tt = g.tensors[t];
    if (!tt.data.empty()) {
      Tensor init = tt;
      init.index = t;
      std::string decl;
      variable_inits += ConstArray(P + "_init", init, opt.weights_file ? "" : "static ",
                                   fw::ConstArrayAttr(opt), &decl);
      weight_externs += "extern " + decl + ";\n";
      reset_fn += fmt::format("  memcpy({} + {}, {}_init_t{}, {});\n", AB,
                              arena_offset(t), P, t, tt.Bytes());
    } else {
      // As TFLM's MicroInterpreter::Reset() (called at the end of AllocateTensors): int8
      // variable tensors start at their zero point, every other type at 0.
      const int fill = tt.dtype == DType::kInt8 && !tt.quant.zero_point.empty()
                           ? static_cast<int>(tt.quant.zero_point[0]) : 0;
      reset_fn += fmt::format("  memset({} + {}, {}, {});\n", AB, arena_offset(t), fill,
                              tt.Bytes());
    }
  }
  if (stateful) reset_fn += fmt::format("  {}_ready = 1;\n", P);
  reset_fn += "}\n\n";

  // Weights (only what the code references), in tensor order.
  std::string weights;
  model.weight_bytes = 0;
  for (int t : const_used) {
    std::string decl;
    weights += ConstArray(P, g.tensors[t], opt.weights_file ? "" : "static ", fw::ConstArrayAttr(opt),
                          &decl);
    weight_externs += "extern " + decl + ";\n";
    model.weight_bytes += static_cast<int64_t>(g.tensors[t].data.size());
  }
  for (size_t k = 0; k < in.layers.size(); ++k) {
    if (!weights_shared.count(static_cast<int>(k))) model.weight_bytes += in.layers[k].weight_bytes;
  }

  std::string src = banner(P + ".c");
  src +=
      "#ifndef TINYML_LAYER_BEGIN\n"
      "#define TINYML_LAYER_BEGIN(op_index, op_name) ((void)0)\n"
      "#endif\n"
      "#ifndef TINYML_LAYER_END\n"
      "#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes) ((void)0)\n"
      "#endif\n\n"
      "#include <stddef.h>\n#include <stdint.h>\n#include <string.h>\n";
  if (needs_math && !opt.shared_kernels) src += "#include <math.h>\n";
  src += fmt::format("\n#include \"{}.h\"\n", P);
  const std::string placement = fw::PlacementMacros(opt);
  if (!placement.empty()) src += "\n" + placement;
  model.kernel_files = kernels;
  model.kernel_options.assign(options.begin(), options.end());
  model.needs_math = needs_math;
  model.optimize = opt.optimize;
  if (opt.shared_kernels) {
    // Several models in one compile: every kernel once, in tinyml_kernels.c.
    src += fmt::format("\n/* ---- Kernels: {}, compiled once in tinyml_kernels.c ---- */\n\n"
                       "#include \"tinyml_kernels.h\"\n\n",
                       fmt::join(kernels, ", "));
  } else {
    src += "\n/* ---- Kernels (tinymlc templates/kernels) ---- */\n\n";
    src += "/* Only the kernel paths the layers use (TML_OPT_*, tml_common.h). */\n"
           "#define TML_OPTIONS_SELECTED 1\n";
    for (const std::string& o : options) src += fmt::format("#define {} 1\n", o);
    src += SpeedPathsDefine(opt.optimize);
    src += "\n";
    for (const std::string& k : kernels) {
      auto text = KernelText(k);
      if (!text.ok()) return text.status();
      src += fmt::format("/* -- {} -- */\n{}\n", k, text.value());
    }
  }
  const fw::SplitDecls decls = fw::RewriteDecls(layer_decls, opt);
  if (opt.weights_file) {
    src += fmt::format("/* ---- Weights: {} bytes, in {}_weights.c ---- */\n\n{}{}\n", model.weight_bytes,
                       P, weight_externs, decls.externs);
    std::string w = banner(P + "_weights.c");
    w += "\n#include <stdint.h>\n\n";
    if (!placement.empty()) w += placement + "\n";
    w += fmt::format("/* Declared as {}.c declares them. */\n", P) + weight_externs + decls.externs + "\n";
    w += fmt::format("/* ---- Weights: {} bytes ---- */\n\n{}{}\n", model.weight_bytes, weights,
                     variable_inits);
    if (!decls.moved.empty()) w += "/* ---- Layer constants ---- */\n\n" + decls.moved;
    model.weights_source = std::move(w);
  } else {
    src += fmt::format("/* ---- Weights: {} bytes ---- */\n\n{}{}\n", model.weight_bytes, weights,
                       variable_inits);
  }
  src += "/* ---- Layer parameters ---- */\n\n" + decls.main;
  src += "/* ---- Arena and I/O ---- */\n\n" + arena_decl + "\n" + io_tables + ptrs + "\n";
  src += accessors;
  if (opt.float_io) src += fw::FloatIoSource(opt, g);
  if (opt.profile) src += fw::ProfileSource(opt, profile_rows);
  src += reset_fn;  // before NAME_set_arena(), which clears NAME_ready
  if (opt.external_arena) src += fw::SetArenaSource(opt, model.arena_bytes, stateful);
  // The called subgraphs (control_flow.cc): declared first, as they may call each other.
  std::string subgraph_fns;
  for (size_t k = 1; k < num_sg; ++k) {
    if (!in.subgraph_called[k]) continue;
    src += fmt::format("static void {}_subgraph{}(void);\n", P, k);
    subgraph_fns += fmt::format("/* Subgraph {} '{}'. */\nstatic void {}_subgraph{}(void) {{{}}}\n\n", k,
                                CommentSafe(g.subgraphs[k].name), P, k, bodies[k]);
  }
  if (!subgraph_fns.empty()) src += "\n" + subgraph_fns;
  const std::string& invoke = bodies[0];
  std::string prologue = opt.external_arena ? fmt::format("  if ({} == NULL) return TINYML_ERROR;\n", AB) : "";
  if (external_root >= 0) prologue += fmt::format("  if ({} == NULL) return TINYML_ERROR;\n", IB);
  if (stateful) prologue += fmt::format("  if (!{}_ready) {}_reset();\n", P, P);
  const std::string epilogue =
      opt.profile ? fmt::format("\n  {0}_profile_valid = {0}_profile_clock != NULL;", P) : "";
  src += fmt::format("tinyml_status_t {0}_invoke(void) {{\n{1}{2}{3}\n  return TINYML_OK;\n}}\n", P,
                     prologue, invoke, epilogue);

  // Header.
  std::string h = banner(P + ".h");
  h += fmt::format("#ifndef {0}_H_\n#define {0}_H_\n\n#include \"tinyml_runtime.h\"\n\n", PU);
  h += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  h += fmt::format("/*\n * Model {}: {} operators, {} bytes of weights.\n", CommentSafe(model_file),
                   g.ops.size(), model.weight_bytes);
  h += fmt::format(" * Arena: {} bytes (activation lower bound {} bytes).\n *\n", model.arena_bytes,
                   model.lower_bound);
  auto describe = [&](const std::vector<int>& list, const char* title) {
    std::string s = fmt::format(" * {}:\n", title);
    for (size_t i = 0; i < list.size(); ++i) {
      const Tensor& t = g.tensors[list[i]];
      s += fmt::format(" *   {}: '{}' {} {}, {}, {} bytes\n", i, CommentSafe(t.name),
                       DTypeName(t.dtype), ShapeStr(t.shape), QuantStr(t), t.Bytes());
    }
    return s;
  };
  h += describe(g.inputs, "Inputs (write them before each invoke; invoke may overwrite them)");
  h += describe(g.outputs, "Outputs (valid until the next invoke)");
  h += " *\n * Real value = scale * (quantized value - zero point).\n */\n\n";
  h += fmt::format("#define {}_ARENA_SIZE {}\n", PU, model.arena_bytes);
  h += fmt::format("#define {}_NUM_INPUTS {}\n", PU, g.inputs.size());
  h += fmt::format("#define {}_NUM_OUTPUTS {}\n", PU, g.outputs.size());
  h += fmt::format("#define {}_NUM_OPERATORS {}\n\n", PU, g.ops.size());
  h += fmt::format("/* Runs the model once. Returns TINYML_OK (0) on success. */\n"
                   "tinyml_status_t {0}_invoke(void);\n\n"
                   "/* Pointer to input/output `index` in the arena, or NULL if out of range. */\n"
                   "void *{0}_input(size_t index);\nvoid *{0}_output(size_t index);\n\n"
                   "/* Shape, type and quantization of input/output `index`, or NULL. */\n"
                   "const tinyml_tensor_info_t *{0}_input_info(size_t index);\n"
                   "const tinyml_tensor_info_t *{0}_output_info(size_t index);\n\n"
                   "/* Restores variable tensors (recurrent state, resource variables) to their\n"
                   " * initial values and re-arms CALL_ONCE (the init subgraph runs again in the\n"
                   " * next invoke); the first invoke calls it. Does nothing for models without\n"
                   " * state. */\n"
                   "void {0}_reset(void);\n\n",
                   P);
  if (external_root >= 0) {
    h += fmt::format(
        "/* The input is the application's (tinymlc --input external): the model reads it in\n"
        " * place (a camera's DMA buffer, say) and never writes it. Set it before an invoke;\n"
        " * it must stay valid and unchanged during the invoke and be aligned to {1} bytes\n"
        " * (TINYML_BAD_ARGUMENT otherwise). Invoke without it returns TINYML_ERROR; NULL\n"
        " * unsets it. {0}_input(0) returns it; {2}_INPUT_BYTES is its size. */\n"
        "#define {2}_INPUT_BYTES {3}\n"
        "tinyml_status_t {0}_set_input_buffer(const void *data);\n\n",
        P, std::max<int64_t>(opt.alignment, 1), PU, g.tensors[g.inputs[0]].Bytes());
  }
  h += fw::HeaderDecls(opt);
  h += fmt::format("#ifdef __cplusplus\n}}\n#endif\n\n#endif /* {}_H_ */\n", PU);

  const char* runtime = FindEmbeddedFile("tinyml_runtime.h");
  if (!runtime) return Status::Error("internal error: runtime header missing");
  model.source = std::move(src);
  model.header = std::move(h);
  model.runtime_header = runtime;
  return model;
}

std::string SpeedPathsDefine(CompileOptions::Optimize optimize) {
  switch (optimize) {
    case CompileOptions::Optimize::kSpeed:
      return "/* --optimize speed: the fast kernel paths even at -Os. */\n#define TML_SPEED_PATHS 1\n";
    case CompileOptions::Optimize::kSize:
      return "/* --optimize size: the small kernel paths even at -O2. */\n#define TML_SPEED_PATHS 0\n";
    case CompileOptions::Optimize::kBalanced:
    case CompileOptions::Optimize::kRam:
      break;
  }
  return "";
}

}  // namespace tinymlc
