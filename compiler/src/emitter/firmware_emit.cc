#include "emitter/firmware_emit.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <sstream>

namespace tinymlc {
namespace fw {
namespace {

std::string Upper(const std::string& s) {
  std::string u = s;
  for (char& c : u) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

bool Placing(const CompileOptions& o) { return o.PlacementAlign() > 0; }

// The element types of the plain arrays the ops write (what may move to NAME_weights.c).
bool IsPlainType(const std::string& t) {
  static const char* const kTypes[] = {"int8_t",  "uint8_t",  "int16_t", "uint16_t",
                                       "int32_t", "uint32_t", "int64_t", "float"};
  return std::find(std::begin(kTypes), std::end(kTypes), t) != std::end(kTypes);
}

// Net braces of a line, outside string and character literals.
int BraceDelta(const std::string& line) {
  int d = 0;
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == '\\') {
        ++i;
      } else if (c == quote) {
        quote = 0;
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '{') {
      ++d;
    } else if (c == '}') {
      --d;
    }
  }
  return d;
}

}  // namespace

std::string PlacementMacros(const CompileOptions& o) {
  if (!Placing(o)) return "";
  const std::string PU = Upper(o.name);
  const int64_t a = o.PlacementAlign();
  auto attr = [&](const std::string& section, bool align) {
    std::vector<std::string> parts;
    if (!section.empty()) parts.push_back(fmt::format("section(\"{}\")", section));
    if (align) parts.push_back(fmt::format("aligned({})", a));
    return parts.empty() ? std::string() : fmt::format(" __attribute__(({}))", fmt::join(parts, ", "));
  };
  std::string s = fmt::format(
      "/* Placement (tinymlc --weights-section/--arena-section/--align): constant arrays\n"
      " * and the arena aligned to {} bytes, in the named sections. GCC/Clang attributes. */\n",
      a);
  s += "#if defined(__GNUC__) || defined(__clang__)\n";
  s += fmt::format("#define {}_WEIGHTS_PLACE{}\n", PU, attr(o.weights_section, true));
  if (!o.external_arena) s += fmt::format("#define {}_ARENA_PLACE{}\n", PU, attr(o.arena_section, true));
  s += "#else\n";
  s += fmt::format("#define {}_WEIGHTS_PLACE\n", PU);
  if (!o.external_arena) s += fmt::format("#define {}_ARENA_PLACE\n", PU);
  s += "#endif\n";
  return s;
}

std::string ConstArrayAttr(const CompileOptions& o) {
  return Placing(o) ? " " + Upper(o.name) + "_WEIGHTS_PLACE" : "";
}
std::string ArenaAttr(const CompileOptions& o) {
  return Placing(o) ? " " + Upper(o.name) + "_ARENA_PLACE" : "";
}

SplitDecls RewriteDecls(const std::string& decls, const CompileOptions& o) {
  SplitDecls out;
  if (!Placing(o)) {
    out.main = decls;
    return out;
  }
  static const std::string kStatic = "static const ";
  std::istringstream in(decls);
  std::string line;
  int guarded = 0;  // inside #if blocks: such definitions stay here, under their condition
  while (std::getline(in, line)) {
    const size_t eq = line.find(" = ");
    if (line.rfind("#if", 0) == 0) ++guarded;
    if (line.rfind("#endif", 0) == 0 && guarded > 0) --guarded;
    if (line.rfind(kStatic, 0) != 0 || eq == std::string::npos) {
      out.main += line + "\n";
      continue;
    }
    // One definition: up to the line where its braces close and it ends with ';'.
    std::string item = line + "\n";
    int depth = BraceDelta(line);
    while (!(depth == 0 && !line.empty() && line.back() == ';') && std::getline(in, line)) {
      item += line + "\n";
      depth += BraceDelta(line);
    }
    const size_t start = std::string("static ").size();
    const std::string declarator = item.substr(start, eq - start);  // "const T NAME[N]"
    const std::string rest = item.substr(eq);  // " = ..."
    const std::string type = declarator.substr(6, declarator.find(' ', 6) - 6);
    const bool array = !declarator.empty() && declarator.back() == ']';
    // Only arrays of plain numbers: no pointers, so no relocations (constants with and
    // without them cannot share a section in position-independent code).
    const bool plain = array && IsPlainType(type);
    if (plain && o.weights_file && guarded == 0) {
      out.externs += "extern " + declarator + ";\n";
      out.moved += declarator + ConstArrayAttr(o) + rest;
    } else {
      out.main += "static " + declarator + (plain ? ConstArrayAttr(o) : "") + rest;
    }
  }
  return out;
}

std::string SetArenaSource(const CompileOptions& o, int64_t arena_bytes, bool has_state) {
  const std::string& P = o.name;
  std::string s = fmt::format(
      "tinyml_status_t {0}_set_arena(void *mem, size_t size) {{\n"
      "  {0}_arena_mem = NULL;\n"
      "  if (mem == NULL) return TINYML_BAD_ARGUMENT;\n",
      P);
  if (arena_bytes > 0) s += fmt::format("  if (size < {}u) return TINYML_BAD_ARGUMENT;\n", arena_bytes);
  else s += "  (void)size;\n";
  s += fmt::format("  if (((uintptr_t)mem & {}u) != 0u) return TINYML_BAD_ARGUMENT;\n",
                   o.PlacementAlign() - 1);
  s += fmt::format("  {}_arena_mem = (uint8_t *)mem;\n", P);
  if (has_state) s += fmt::format("  {}_ready = 0; /* the state tensors start again */\n", P);
  s += "  return TINYML_OK;\n}\n\n";
  return s;
}

std::string FloatIoSource(const CompileOptions& o, const Graph& g) {
  const std::string& P = o.name;
  std::string s =
      "/* ---- Float I/O (tinymlc --float-io) ---- */\n\n"
      "/* As TFLM's QUANTIZE (and tml_quantize_f32_value): value / scale in single precision,\n"
      " * rounded half away from zero, plus the zero point, saturated to [lo, hi]. Written\n"
      " * without <math.h>: for |x| < 2^17 the conversion truncates exactly and x - trunc(x)\n"
      " * is exact, so the tie test matches roundf(); beyond, every int8/int16 result\n"
      " * saturates whatever the zero point. NaN gives the zero point. */\n";
  s += fmt::format(
      "static int32_t {0}_quantize_float(float value, float scale, int32_t zero_point,\n"
      "                                  int32_t lo, int32_t hi) {{\n"
      "  const float x = value / scale;\n"
      "  int32_t q;\n"
      "  if (x != x) {{\n"
      "    q = 0;\n"
      "  }} else if (x >= 131072.0f) {{\n"
      "    q = 131072;\n"
      "  }} else if (x <= -131072.0f) {{\n"
      "    q = -131072;\n"
      "  }} else {{\n"
      "    float frac;\n"
      "    q = (int32_t)x;\n"
      "    frac = x - (float)q;\n"
      "    if (frac >= 0.5f) {{\n"
      "      ++q;\n"
      "    }} else if (frac <= -0.5f) {{\n"
      "      --q;\n"
      "    }}\n"
      "  }}\n"
      "  q += zero_point;\n"
      "  return q < lo ? lo : (q > hi ? hi : q);\n"
      "}}\n\n",
      P);
  auto ok_table = [&](const std::vector<int>& list, const char* what) {
    std::vector<int> ok;
    for (int t : list) {
      const Tensor& tt = g.tensors[t];
      ok.push_back((tt.dtype == DType::kInt8 || tt.dtype == DType::kInt16) && tt.quant.present() &&
                           !tt.quant.per_channel()
                       ? 1 : 0);
    }
    return fmt::format("/* 1: int8/int16 with one scale and zero point (convertible). */\n"
                       "static const uint8_t {}_{}_float_ok[{}] = {{{}}};\n\n",
                       P, what, list.size(), fmt::join(ok, ", "));
  };
  if (!g.inputs.empty()) {
    s += ok_table(g.inputs, "input");
    s += fmt::format(
        "tinyml_status_t {0}_set_input_float(size_t index, const float *values) {{\n"
        "  const tinyml_tensor_info_t *info = {0}_input_info(index);\n"
        "  void *data = {0}_input(index);\n"
        "  size_t i;\n"
        "  if (info == NULL || values == NULL) return TINYML_BAD_ARGUMENT;\n"
        "  if (!{0}_input_float_ok[index] || data == NULL) return TINYML_ERROR;\n"
        "  if (info->type == TINYML_INT8) {{\n"
        "    int8_t *q = (int8_t *)data;\n"
        "    for (i = 0; i < info->bytes; ++i) {{\n"
        "      q[i] = (int8_t){0}_quantize_float(values[i], info->scale, info->zero_point, -128, 127);\n"
        "    }}\n"
        "  }} else {{\n"
        "    int16_t *q = (int16_t *)data;\n"
        "    for (i = 0; i < info->bytes / 2u; ++i) {{\n"
        "      q[i] = (int16_t){0}_quantize_float(values[i], info->scale, info->zero_point, -32768,\n"
        "                                          32767);\n"
        "    }}\n"
        "  }}\n"
        "  return TINYML_OK;\n"
        "}}\n\n",
        P);
  } else {
    s += fmt::format(
        "tinyml_status_t {}_set_input_float(size_t index, const float *values) {{\n"
        "  (void)index;\n  (void)values;\n  return TINYML_BAD_ARGUMENT;\n}}\n\n", P);
  }
  if (!g.outputs.empty()) {
    s += ok_table(g.outputs, "output");
    s += fmt::format(
        "/* As TFLM's DEQUANTIZE (and tml_dequantize.h): scale * (q - zero point). */\n"
        "tinyml_status_t {0}_get_output_float(size_t index, float *values) {{\n"
        "  const tinyml_tensor_info_t *info = {0}_output_info(index);\n"
        "  const void *data = {0}_output(index);\n"
        "  size_t i;\n"
        "  if (info == NULL || values == NULL) return TINYML_BAD_ARGUMENT;\n"
        "  if (!{0}_output_float_ok[index] || data == NULL) return TINYML_ERROR;\n"
        "  if (info->type == TINYML_INT8) {{\n"
        "    const int8_t *q = (const int8_t *)data;\n"
        "    for (i = 0; i < info->bytes; ++i) {{\n"
        "      values[i] = info->scale * (float)((int32_t)q[i] - info->zero_point);\n"
        "    }}\n"
        "  }} else {{\n"
        "    const int16_t *q = (const int16_t *)data;\n"
        "    for (i = 0; i < info->bytes / 2u; ++i) {{\n"
        "      values[i] = info->scale * (float)((int32_t)q[i] - info->zero_point);\n"
        "    }}\n"
        "  }}\n"
        "  return TINYML_OK;\n"
        "}}\n\n",
        P);
  } else {
    s += fmt::format(
        "tinyml_status_t {}_get_output_float(size_t index, float *values) {{\n"
        "  (void)index;\n  (void)values;\n  return TINYML_BAD_ARGUMENT;\n}}\n\n", P);
  }
  return s;
}

std::string ProfileSource(const CompileOptions& o, const std::vector<ProfileRow>& rows) {
  const std::string& P = o.name;
  std::string s = "/* ---- Profiling (tinymlc --profile) ---- */\n\n";
  s += fmt::format("static uint32_t (*{0}_profile_clock)(void);\nstatic uint32_t {0}_profile_t0;\n"
                   "static int {0}_profile_valid;\n",
                   P);
  s += fmt::format("static tinyml_layer_time_t {}_profile_table[{}] = {{\n", P,
                   std::max<size_t>(rows.size(), 1));
  for (const ProfileRow& r : rows) s += fmt::format("  {{ {}, \"{}\", 0u }},\n", r.op_index, r.op_name);
  if (rows.empty()) s += "  { -1, \"\", 0u },\n";
  s += "};\n\n";
  s += fmt::format(
      "void {0}_set_profile_clock(uint32_t (*clock)(void)) {{\n"
      "  {0}_profile_clock = clock;\n"
      "  {0}_profile_valid = 0;\n"
      "}}\n\n",
      P);
  s += fmt::format(
      "/* The DWT cycle counter of Armv7-M / Armv8-M mainline cores (Cortex-M3/M4/M7/M33/M55). */\n"
      "#if defined(__ARM_ARCH_7M__) || defined(__ARM_ARCH_7EM__) || \\\n"
      "    defined(__ARM_ARCH_8M_MAIN__) || defined(__ARM_ARCH_8_1M_MAIN__)\n"
      "static uint32_t {0}_dwt_cycles(void) {{\n"
      "  return *(volatile const uint32_t *)0xE0001004u; /* DWT_CYCCNT */\n"
      "}}\n\n"
      "tinyml_status_t {0}_profile_enable_dwt(void) {{\n"
      "  *(volatile uint32_t *)0xE000EDFCu |= 0x01000000u; /* DEMCR.TRCENA */\n"
      "  if ((*(volatile const uint32_t *)0xE0001000u & 0x02000000u) != 0u) {{\n"
      "    return TINYML_ERROR; /* DWT_CTRL.NOCYCCNT: no cycle counter */\n"
      "  }}\n"
      "  *(volatile uint32_t *)0xE0001004u = 0u;          /* DWT_CYCCNT */\n"
      "  *(volatile uint32_t *)0xE0001000u |= 1u;         /* DWT_CTRL.CYCCNTENA */\n"
      "  {0}_set_profile_clock({0}_dwt_cycles);\n"
      "  return TINYML_OK;\n"
      "}}\n"
      "#else\n"
      "tinyml_status_t {0}_profile_enable_dwt(void) {{\n"
      "  return TINYML_ERROR; /* not a Cortex-M with DWT: use {0}_set_profile_clock() */\n"
      "}}\n"
      "#endif\n\n",
      P);
  s += fmt::format(
      "static void {0}_profile_begin(void) {{\n"
      "  if ({0}_profile_clock != NULL) {0}_profile_t0 = {0}_profile_clock();\n"
      "}}\n\n"
      "static void {0}_profile_end(size_t row) {{\n"
      "  if ({0}_profile_clock != NULL) {{\n"
      "    {0}_profile_table[row].ticks = {0}_profile_clock() - {0}_profile_t0;\n"
      "  }}\n"
      "}}\n\n",
      P);
  s += fmt::format(
      "tinyml_status_t {0}_profile(const tinyml_layer_time_t **table, size_t *count) {{\n"
      "  if (table == NULL || count == NULL) return TINYML_BAD_ARGUMENT;\n"
      "  *table = {0}_profile_table;\n"
      "  *count = {1}u;\n"
      "  return {0}_profile_valid ? TINYML_OK : TINYML_ERROR;\n"
      "}}\n\n",
      P, rows.size());
  // The table as text: fixed columns, numbers written by hand (no stdio).
  s += fmt::format(
      "/* Appends `text` to line[*n], padded with spaces to `width` (right-aligned if right). */\n"
      "static void {0}_profile_cell(char *line, size_t *n, const char *text, size_t width, int right) {{\n"
      "  size_t len = 0, i;\n"
      "  while (text[len] != '\\0' && len < 40u) ++len;\n"
      "  if (right) {{\n"
      "    for (i = len; i < width; ++i) line[(*n)++] = ' ';\n"
      "  }}\n"
      "  for (i = 0; i < len; ++i) line[(*n)++] = text[i];\n"
      "  if (!right) {{\n"
      "    for (i = len; i < width; ++i) line[(*n)++] = ' ';\n"
      "  }}\n"
      "}}\n\n"
      "static const char *{0}_profile_number(uint32_t value, char *buf) {{\n"
      "  size_t pos = 11;\n"
      "  buf[pos] = '\\0';\n"
      "  do {{\n"
      "    buf[--pos] = (char)('0' + (char)(value % 10u));\n"
      "    value /= 10u;\n"
      "  }} while (value != 0u);\n"
      "  return buf + pos;\n"
      "}}\n\n"
      "static void {0}_profile_line(void (*print)(const char *text), const char *op,\n"
      "                              const char *name, uint32_t ticks) {{\n"
      "  char line[96], number[12];\n"
      "  size_t n = 0;\n"
      "  {0}_profile_cell(line, &n, op, 5, 1);\n"
      "  {0}_profile_cell(line, &n, \"  \", 2, 0);\n"
      "  {0}_profile_cell(line, &n, name, 30, 0);\n"
      "  {0}_profile_cell(line, &n, {0}_profile_number(ticks, number), 11, 1);\n"
      "  line[n++] = '\\n';\n"
      "  line[n] = '\\0';\n"
      "  print(line);\n"
      "}}\n\n"
      "void {0}_profile_print(void (*print)(const char *text)) {{\n"
      "  char op[12];\n"
      "  uint32_t total = 0;\n"
      "  size_t i;\n"
      "  if (print == NULL) return;\n"
      "  print(\"   op  operator                            ticks\\n\");\n"
      "  for (i = 0; i < {1}u; ++i) {{\n"
      "    const tinyml_layer_time_t *r = &{0}_profile_table[i];\n"
      "    {0}_profile_line(print, {0}_profile_number((uint32_t)r->op_index, op), r->op_name, r->ticks);\n"
      "    total += r->ticks;\n"
      "  }}\n"
      "  {0}_profile_line(print, \"\", \"total\", total);\n"
      "}}\n\n",
      P, rows.size());
  return s;
}

std::string HeaderDecls(const CompileOptions& o) {
  const std::string& P = o.name;
  const std::string PU = Upper(P);
  std::string h;
  if (o.external_arena) {
    h += fmt::format(
        "/* The arena is the application's (tinymlc --arena external): give the model at least\n"
        " * {0}_ARENA_SIZE bytes aligned to {0}_ARENA_ALIGN before the first invoke. Returns\n"
        " * TINYML_BAD_ARGUMENT (and leaves the model without arena) for NULL, too small or\n"
        " * misaligned memory. Several models may share one arena when they run one after\n"
        " * the other: inputs, outputs and state live in it, so write the inputs before each\n"
        " * invoke and read the outputs before another model runs (call {1}_reset() first\n"
        " * for a model with state). Invoke without an arena returns TINYML_ERROR, and\n"
        " * {1}_input()/{1}_output() return NULL. */\n"
        "#define {0}_ARENA_ALIGN {2}\n"
        "tinyml_status_t {1}_set_arena(void *mem, size_t size);\n\n",
        PU, P, o.PlacementAlign());
  }
  if (o.float_io) {
    h += fmt::format(
        "/* Float I/O (tinymlc --float-io): converts `values` (as many floats as the tensor has\n"
        " * elements) to input `index` as TFLM's QUANTIZE does (round half away from zero of\n"
        " * value / scale, plus the zero point, saturated), and output `index` to floats as\n"
        " * DEQUANTIZE does (scale * (q - zero point)). TINYML_BAD_ARGUMENT for a bad index\n"
        " * or NULL, TINYML_ERROR for a tensor that is not int8/int16 with one scale. */\n"
        "tinyml_status_t {0}_set_input_float(size_t index, const float *values);\n"
        "tinyml_status_t {0}_get_output_float(size_t index, float *values);\n\n",
        P);
  }
  if (o.profile) {
    h += fmt::format(
        "/* Per-layer timing (tinymlc --profile). A clock: {0}_profile_enable_dwt() (Cortex-M\n"
        " * DWT cycle counter; TINYML_ERROR where there is none) or {0}_set_profile_clock()\n"
        " * (any uint32_t counter; wrap-around is fine). After an invoke, {0}_profile() gives\n"
        " * one row per operator with code (TINYML_ERROR if no invoke ran with a clock yet)\n"
        " * and {0}_profile_print() writes the table line by line through `print`. */\n"
        "#ifndef TINYML_LAYER_TIME_DEFINED\n"
        "#define TINYML_LAYER_TIME_DEFINED\n"
        "typedef struct {{\n"
        "  int32_t op_index;     /* operator index in the .tflite subgraph 0 */\n"
        "  const char *op_name;  /* e.g. \"CONV_2D\" */\n"
        "  uint32_t ticks;       /* clock ticks of the operator in the last invoke */\n"
        "}} tinyml_layer_time_t;\n"
        "#endif\n"
        "tinyml_status_t {0}_profile_enable_dwt(void);\n"
        "void {0}_set_profile_clock(uint32_t (*clock)(void));\n"
        "tinyml_status_t {0}_profile(const tinyml_layer_time_t **table, size_t *count);\n"
        "void {0}_profile_print(void (*print)(const char *text));\n\n",
        P);
  }
  return h;
}

}  // namespace fw

bool IsSectionName(const std::string& s) {
  if (s.empty() || s.size() >= 64) return false;
  for (unsigned char c : s) {
    if (!std::isalnum(c) && c != '_' && c != '.' && c != '$') return false;
  }
  return true;
}

}  // namespace tinymlc
