#include "compile_harness.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cctype>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <type_traits>
#include <variant>

#include "reference_ops.h"
#include "tflite_loader.h"

extern char** environ;

namespace tinymlc::testing {

namespace fs = std::filesystem;

namespace {

// ---- Environment ---------------------------------------------------------------------

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool EnvFlag(const char* name) {
  const std::string v = Env(name);
  return !v.empty() && v != "0";
}

// ---- Files ---------------------------------------------------------------------------

bool WriteBytes(const fs::path& path, const void* data, size_t size, std::string* error) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (f) f.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!f) {
    if (error) *error = "cannot write " + path.string();
    return false;
  }
  return true;
}

bool WriteText(const fs::path& path, const std::string& text, std::string* error) {
  return WriteBytes(path, text.data(), text.size(), error);
}

std::string ReadText(const fs::path& path) {
  std::vector<uint8_t> b;
  if (!ReadFileBytes(path.string(), &b)) return "";
  return std::string(b.begin(), b.end());
}

std::string Tail(const std::string& s, size_t max_chars = 6000) {
  if (s.size() <= max_chars) return s;
  return "...\n" + s.substr(s.size() - max_chars);
}

// A fresh folder for one batch.
fs::path MakeTempDir(std::string* error) {
  std::vector<fs::path> bases;
  if (std::string e = Env("TINYMLC_HARNESS_TMPDIR"); !e.empty()) bases.emplace_back(e);
#ifdef TINYMLC_HARNESS_TMPDIR
  bases.emplace_back(TINYMLC_HARNESS_TMPDIR);
#endif
  if (std::string e = Env("TMPDIR"); !e.empty()) bases.emplace_back(e);
  bases.emplace_back("/tmp");
  for (const fs::path& base : bases) {
    std::error_code ec;
    fs::create_directories(base, ec);
    std::string templ = (base / "tinymlc_harness_XXXXXX").string();
    std::vector<char> buf(templ.begin(), templ.end());
    buf.push_back('\0');
    if (mkdtemp(buf.data()) != nullptr) return fs::path(buf.data());
  }
  if (error) *error = "cannot create a temporary folder";
  return {};
}

// ---- Processes -----------------------------------------------------------------------

struct Proc {
  std::vector<std::string> argv;
  fs::path out_file, err_file;
  pid_t pid = -1;
  int exit_code = -1;  // exit status; 128 + signal if killed
  bool signaled = false;
  std::string spawn_error;

  std::string Command() const {
    std::string s;
    for (const auto& a : argv) s += (s.empty() ? "" : " ") + a;
    return s;
  }
  bool Ok() const { return spawn_error.empty() && !signaled && exit_code == 0; }
  // "exit status 1" / "killed by signal 11" / "timed out", then stderr and stdout.
  std::string Describe() const {
    std::string s = "`" + Command() + "`: ";
    if (!spawn_error.empty()) return s + spawn_error;
    if (signaled) {
      s += "killed by signal " + std::to_string(exit_code - 128);
    } else if (exit_code == 124 && argv.size() > 0 && argv[0] == "timeout") {
      s += "timed out";
    } else {
      s += "exit status " + std::to_string(exit_code);
    }
    const std::string err = ReadText(err_file), out = ReadText(out_file);
    if (!err.empty()) s += "\n" + Tail(err);
    if (!out.empty()) s += "\n[stdout]\n" + Tail(out, 2000);
    return s;
  }
};

bool HaveTimeout() {
  static const bool have = ProgramAvailable("timeout");
  return have;
}

std::vector<std::string> WithTimeout(int seconds, std::vector<std::string> argv) {
  if (seconds <= 0 || !HaveTimeout()) return argv;
  std::vector<std::string> r = {"timeout", "-k", "5", std::to_string(seconds)};
  r.insert(r.end(), argv.begin(), argv.end());
  return r;
}

void Spawn(Proc* p) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&fa, 1, p->out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  posix_spawn_file_actions_addopen(&fa, 2, p->err_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0644);
  std::vector<char*> args;
  for (auto& a : p->argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawnp(&p->pid, args[0], &fa, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  if (rc != 0) {
    p->pid = -1;
    p->spawn_error = std::string("cannot start: ") + std::strerror(rc);
  }
}

void Wait(Proc* p) {
  if (p->pid < 0) return;
  int status = 0;
  while (waitpid(p->pid, &status, 0) < 0) {
    if (errno != EINTR) {
      p->spawn_error = std::string("waitpid failed: ") + std::strerror(errno);
      return;
    }
  }
  if (WIFEXITED(status)) {
    p->exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    p->signaled = true;
    p->exit_code = 128 + WTERMSIG(status);
  }
  p->pid = -1;
}

// Runs the processes, at most `jobs` at a time.
void RunAll(std::vector<Proc>& procs, int jobs) {
  jobs = std::max(1, jobs);
  size_t next = 0, done = 0;
  std::vector<Proc*> running;
  while (done < procs.size()) {
    while (next < procs.size() && static_cast<int>(running.size()) < jobs) {
      Spawn(&procs[next]);
      if (procs[next].pid >= 0) {
        running.push_back(&procs[next]);
      } else {
        ++done;
      }
      ++next;
    }
    if (running.empty()) continue;
    // Wait for the oldest (simple; the processes are short).
    Wait(running.front());
    running.erase(running.begin());
    ++done;
  }
}

std::vector<std::string> SplitSpaces(const std::string& s) {
  std::vector<std::string> r;
  std::istringstream in(s);
  std::string w;
  while (in >> w) r.push_back(w);
  return r;
}

int HardwareJobs() {
  const unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 2 : static_cast<int>(n);
}

// ---- Generated C -----------------------------------------------------------------------

constexpr const char* kHooksHeader = R"(/* harness_hooks.h - generated by tests/support/compile_harness.cc; forced into every
 * translation unit so that each operator's output bytes reach the runner. */
#ifndef TINYMLC_HARNESS_HOOKS_H
#define TINYMLC_HARNESS_HOOKS_H
#include <stddef.h>
void harness_layer_end(long op_index, const char *op_name, long tensor_index,
                       const void *data, size_t bytes);
#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes)                 \
  harness_layer_end((long)(op_index), (op_name), (long)(tensor_index),                  \
                    (const void *)(data), (size_t)(bytes))
#endif
)";

// Record kinds in results.bin (header: 5 x int32 kind, slot, case, index, bytes; slot =
// position of the model among those compiled into the runner).
enum RecordKind { kRecOutput = 1, kRecLayer = 2, kRecCaseDone = 3, kRecError = 4 };

constexpr const char* kRunnerBody = R"(
static FILE *harness_out;
/* harness_slot: position in harness_models (what the records carry);
 * harness_model: the model's number (m<N>, for messages). */
static long harness_slot = -1, harness_model = -1, harness_case = -1;

static void harness_record(long kind, long index, const void *data, size_t bytes) {
  int32_t h[5];
  h[0] = (int32_t)kind;
  h[1] = (int32_t)harness_slot;
  h[2] = (int32_t)harness_case;
  h[3] = (int32_t)index;
  h[4] = (int32_t)bytes;
  if (fwrite(h, sizeof h, 1, harness_out) != 1 ||
      (bytes > 0 && fwrite(data, 1, bytes, harness_out) != bytes)) {
    fprintf(stderr, "runner: cannot write the results file\n");
    exit(3);
  }
}

static void harness_error(const char *message) {
  harness_record(4, 0, message, strlen(message));
}

void harness_layer_end(long op_index, const char *op_name, long tensor_index,
                       const void *data, size_t bytes) {
  (void)op_index;
  (void)op_name;
  if (data == NULL && bytes > 0) {
    harness_error("TINYML_LAYER_END with a NULL pointer");
    return;
  }
  harness_record(2, tensor_index, data, bytes);
}

int main(int argc, char **argv) {
  FILE *in;
  size_t m;
  if (argc != 3) {
    fprintf(stderr, "usage: runner INPUTS.bin RESULTS.bin\n");
    return 2;
  }
  in = fopen(argv[1], "rb");
  harness_out = fopen(argv[2], "wb");
  if (in == NULL || harness_out == NULL) {
    fprintf(stderr, "runner: cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  for (m = 0; m < sizeof harness_models / sizeof harness_models[0]; ++m) {
    const harness_model_t *md = &harness_models[m];
    long k, j;
    harness_slot = (long)m;
    harness_model = md->id;
    for (k = 0; k < md->num_cases; ++k) {
      int inputs_ok = 1;
      harness_case = k;
      if (k == 0 || harness_reset_each_case) {
        md->reset();
      }
      for (j = 0; j < md->num_inputs; ++j) {
        int32_t len = 0;
        unsigned char *buf = NULL;
        const tinyml_tensor_info_t *info = md->input_info((size_t)j);
        void *dst = md->input((size_t)j);
        if (fread(&len, sizeof len, 1, in) != 1 || len < 0) {
          fprintf(stderr, "runner: inputs file truncated (model %ld case %ld input %ld)\n",
                  harness_model, k, j);
          return 2;
        }
        if (len > 0) {
          buf = (unsigned char *)malloc((size_t)len);
          if (buf == NULL || fread(buf, 1, (size_t)len, in) != (size_t)len) {
            fprintf(stderr, "runner: inputs file truncated (model %ld case %ld input %ld)\n",
                    harness_model, k, j);
            return 2;
          }
        }
        if (info == NULL || dst == NULL) {
          harness_error("NAME_input / NAME_input_info returned NULL");
          inputs_ok = 0;
        } else if (info->bytes != (size_t)len) {
          char msg[160];
          sprintf(msg, "input %ld: NAME_input_info()->bytes is %lu, the test gives %ld bytes", j,
                  (unsigned long)info->bytes, (long)len);
          harness_error(msg);
          inputs_ok = 0;
        } else if (len > 0) {
          memcpy(dst, buf, (size_t)len);
        }
        free(buf);
      }
      if (inputs_ok) {
        const tinyml_status_t status = md->invoke();
        if (status != TINYML_OK) {
          char msg[64];
          sprintf(msg, "NAME_invoke() returned %d", (int)status);
          harness_error(msg);
        } else {
          for (j = 0; j < md->num_outputs; ++j) {
            const tinyml_tensor_info_t *info = md->output_info((size_t)j);
            const void *src = md->output((size_t)j);
            if (info == NULL || src == NULL) {
              harness_error("NAME_output / NAME_output_info returned NULL");
            } else {
              harness_record(1, j, src, info->bytes);
            }
          }
        }
      }
      harness_record(3, 0, NULL, 0);
      fflush(harness_out);
    }
  }
  if (fclose(harness_out) != 0) {
    fprintf(stderr, "runner: cannot write the results file\n");
    return 3;
  }
  fclose(in);
  return 0;
}
)";

std::string MakeRunner(const std::vector<int>& model_ids, const std::vector<int>& case_counts,
                       bool reset_each_case) {
  std::ostringstream s;
  s << "/* runner.c - generated by tests/support/compile_harness.cc */\n"
       "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n";
  for (int id : model_ids) s << "#include \"m" << id << "/m" << id << ".h\"\n";
  s << R"(
typedef struct {
  long id;
  tinyml_status_t (*invoke)(void);
  void *(*input)(size_t);
  void *(*output)(size_t);
  const tinyml_tensor_info_t *(*input_info)(size_t);
  const tinyml_tensor_info_t *(*output_info)(size_t);
  void (*reset)(void);
  long num_inputs, num_outputs, num_cases;
} harness_model_t;

static const harness_model_t harness_models[] = {
)";
  for (size_t i = 0; i < model_ids.size(); ++i) {
    const std::string n = "m" + std::to_string(model_ids[i]);
    const std::string u = "M" + std::to_string(model_ids[i]);
    s << "  {" << model_ids[i] << ", " << n << "_invoke, " << n << "_input, " << n << "_output, "
      << n << "_input_info, " << n << "_output_info, " << n << "_reset, " << u << "_NUM_INPUTS, "
      << u << "_NUM_OUTPUTS, " << case_counts[i] << "},\n";
  }
  s << "};\n";
  s << "static const int harness_reset_each_case = " << (reset_each_case ? 1 : 0) << ";\n";
  s << kRunnerBody;
  return s.str();
}

// ---- Describing values -------------------------------------------------------------------

std::string ShapeStr(const std::vector<int32_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string ElementStr(DT dt, const uint8_t* p) {
  char buf[64];
  switch (dt) {
    case DT::kInt8: std::snprintf(buf, sizeof buf, "%d", static_cast<int8_t>(p[0])); break;
    case DT::kUInt8:
    case DT::kBool:
    case DT::kInt4: std::snprintf(buf, sizeof buf, "%u", p[0]); break;
    case DT::kResource: std::snprintf(buf, sizeof buf, "resource"); break;
    case DT::kInt16: {
      int16_t v;
      std::memcpy(&v, p, 2);
      std::snprintf(buf, sizeof buf, "%d", v);
      break;
    }
    case DT::kInt32: {
      int32_t v;
      std::memcpy(&v, p, 4);
      std::snprintf(buf, sizeof buf, "%" PRId32, v);
      break;
    }
    case DT::kInt64: {
      int64_t v;
      std::memcpy(&v, p, 8);
      std::snprintf(buf, sizeof buf, "%" PRId64, v);
      break;
    }
    case DT::kUInt32: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      std::snprintf(buf, sizeof buf, "%" PRIu32, v);
      break;
    }
    case DT::kUInt64: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      std::snprintf(buf, sizeof buf, "%" PRIu64, v);
      break;
    }
    case DT::kFloat32: {
      float v;
      uint32_t bits;
      std::memcpy(&v, p, 4);
      std::memcpy(&bits, p, 4);
      std::snprintf(buf, sizeof buf, "%.9g (0x%08" PRIx32 ")", static_cast<double>(v), bits);
      break;
    }
  }
  return buf;
}

std::string IndexStr(const std::vector<int32_t>& shape, int64_t flat) {
  std::vector<int64_t> idx(shape.size());
  for (int d = static_cast<int>(shape.size()) - 1; d >= 0; --d) {
    const int64_t n = std::max<int32_t>(1, shape[d]);
    idx[d] = flat % n;
    flat /= n;
  }
  std::string s = "[";
  for (size_t i = 0; i < idx.size(); ++i) s += (i ? "," : "") + std::to_string(idx[i]);
  return s + "]";
}

std::string TensorStr(const ModelSpec& spec, int index) {
  if (index < 0 || index >= static_cast<int>(spec.tensors.size()))
    return "tensor " + std::to_string(index) + " (out of range)";
  const TensorSpec& t = spec.tensors[index];
  return "tensor " + std::to_string(index) + " '" + t.name + "' " + DTName(t.dtype) + " " +
         ShapeStr(t.shape);
}

// "" if equal, else where they differ.
std::string CompareBytes(const ModelSpec& spec, int tensor, const std::vector<uint8_t>& expected,
                         const std::vector<uint8_t>& got) {
  if (expected == got) return "";
  if (expected.size() != got.size()) {
    return "size differs: expected " + std::to_string(expected.size()) + " bytes, got " +
           std::to_string(got.size());
  }
  const TensorSpec* t =
      tensor >= 0 && tensor < static_cast<int>(spec.tensors.size()) ? &spec.tensors[tensor] : nullptr;
  const int esize = t ? DTSize(t->dtype) : 1;
  size_t first = 0, count = 0;
  for (size_t i = 0; i < got.size(); ++i) {
    if (expected[i] != got[i]) {
      if (count == 0) first = i;
      ++count;
    }
  }
  std::ostringstream s;
  s << count << " of " << got.size() << " bytes differ; first at byte " << first;
  if (t) {
    const size_t elem = first / esize;
    s << " (element " << elem << ", index " << IndexStr(t->shape, static_cast<int64_t>(elem))
      << "): expected " << ElementStr(t->dtype, &expected[elem * esize]) << ", got "
      << ElementStr(t->dtype, &got[elem * esize]);
    // A few more differing elements help to see a pattern (off by one, clamping...).
    int shown = 0;
    std::string more;
    for (size_t e = elem + 1; e < got.size() / esize && shown < 4; ++e) {
      if (std::memcmp(&expected[e * esize], &got[e * esize], esize) != 0) {
        more += (shown ? ", " : "") + std::string("#") + std::to_string(e) + " " +
                ElementStr(t->dtype, &expected[e * esize]) + " vs " +
                ElementStr(t->dtype, &got[e * esize]);
        ++shown;
      }
    }
    if (!more.empty()) s << "; next (expected vs got): " << more;
  }
  return s.str();
}

template <class>
inline constexpr bool kAlwaysFalse = false;

std::string OptionsStr(const OpSpec& op) {
  if (op.omit_options) return " (no options table)";
  return std::visit(
      [&](const auto& o) -> std::string {
        using T = std::decay_t<decltype(o)>;
        std::ostringstream s;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return "";
        } else if constexpr (std::is_same_v<T, Conv2DOpts>) {
          s << " padding=" << (o.padding == kSame ? "SAME" : o.padding == kValid ? "VALID" : "?")
            << " stride=" << o.stride_h << "x" << o.stride_w << " dilation=" << o.dilation_h << "x"
            << o.dilation_w << " act=" << o.activation;
        } else if constexpr (std::is_same_v<T, DepthwiseOpts>) {
          s << " padding=" << (o.padding == kSame ? "SAME" : o.padding == kValid ? "VALID" : "?")
            << " stride=" << o.stride_h << "x" << o.stride_w << " dilation=" << o.dilation_h << "x"
            << o.dilation_w << " depth_multiplier=" << o.depth_multiplier
            << " act=" << o.activation;
        } else if constexpr (std::is_same_v<T, PoolOpts>) {
          s << " padding=" << (o.padding == kSame ? "SAME" : o.padding == kValid ? "VALID" : "?")
            << " stride=" << o.stride_h << "x" << o.stride_w << " filter=" << o.filter_h << "x"
            << o.filter_w << " act=" << o.activation;
        } else if constexpr (std::is_same_v<T, FcOpts>) {
          s << " act=" << o.activation << " keep_num_dims=" << o.keep_num_dims;
        } else if constexpr (std::is_same_v<T, SoftmaxOpts>) {
          s << " beta=" << o.beta;
        } else if constexpr (std::is_same_v<T, AddOpts>) {
          s << " act=" << o.activation;
        } else if constexpr (std::is_same_v<T, ReshapeOpts>) {
          if (o.has_new_shape) {
            s << " new_shape=" << ShapeStr(o.new_shape);
          } else {
            s << " (empty ReshapeOptions)";
          }
        } else {
          s << " (options #" << op.options.index() << ")";
        }
        return s.str();
      },
      op.options);
}

// ---- Results file -------------------------------------------------------------------------

struct ParsedResults {
  // [model][case]
  std::vector<std::vector<CaseResult>> results;
  std::vector<std::vector<bool>> done;
  std::vector<std::string> errors;  // [model]
  std::string problem;                  // malformed file
};

ParsedResults ParseResults(const fs::path& path, const std::vector<int>& case_counts) {
  ParsedResults r;
  const size_t n = case_counts.size();
  r.results.resize(n);
  r.done.resize(n);
  r.errors.resize(n);
  for (size_t m = 0; m < n; ++m) {
    r.results[m].resize(case_counts[m]);
    r.done[m].assign(case_counts[m], false);
  }
  std::vector<uint8_t> bytes;
  if (!ReadFileBytes(path.string(), &bytes)) {
    r.problem = "no results file";
    return r;
  }
  size_t pos = 0;
  while (pos < bytes.size()) {
    int32_t h[5];
    if (bytes.size() - pos < sizeof h) {
      r.problem = "results file truncated";
      break;
    }
    std::memcpy(h, &bytes[pos], sizeof h);
    pos += sizeof h;
    const int kind = h[0], model = h[1], kcase = h[2], index = h[3];
    const int64_t len = h[4];
    if (len < 0 || static_cast<uint64_t>(len) > bytes.size() - pos || model < 0 ||
        model >= static_cast<int>(n) || kcase < 0 || kcase >= case_counts[model]) {
      r.problem = "malformed results file";
      break;
    }
    std::vector<uint8_t> data(bytes.begin() + pos, bytes.begin() + pos + len);
    pos += len;
    CaseResult& c = r.results[model][kcase];
    switch (kind) {
      case kRecOutput:
        if (index >= 0) {
          if (static_cast<int>(c.outputs.size()) <= index) c.outputs.resize(index + 1);
          c.outputs[index] = std::move(data);
        }
        break;
      case kRecLayer:
        c.layers[index] = std::move(data);
        break;
      case kRecCaseDone:
        r.done[model][kcase] = true;
        break;
      case kRecError:
        if (r.errors[model].empty()) {
          r.errors[model] = "case " + std::to_string(kcase) + ": " +
                            std::string(data.begin(), data.end());
        }
        break;
      default:
        r.problem = "unknown record kind in results file";
        return r;
    }
  }
  return r;
}

}  // namespace

// ---- Public helpers -------------------------------------------------------------------------

std::string TinymlcPath() {
  if (std::string e = Env("TINYMLC_EXE"); !e.empty()) return e;
#ifdef TINYMLC_EXE
  return TINYMLC_EXE;
#else
  return "tinymlc";
#endif
}

bool ProgramAvailable(const std::string& program) {
  if (program.empty()) return false;
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const std::string path = Env("PATH");
  std::istringstream in(path);
  std::string dir;
  while (std::getline(in, dir, ':')) {
    if (dir.empty()) dir = ".";
    const std::string p = dir + "/" + program;
    struct stat st;
    if (stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(p.c_str(), X_OK) == 0)
      return true;
  }
  return false;
}

std::string RegressionDir() {
  if (std::string e = Env("TINYMLC_REGRESSION_DIR"); !e.empty()) return e;
#ifdef TINYMLC_SOURCE_DIR
  return std::string(TINYMLC_SOURCE_DIR) + "/tests/support/regressions";
#else
  return "regressions";
#endif
}

std::string DescribeModel(const ModelSpec& spec) {
  std::ostringstream s;
  if (!spec.description.empty()) s << spec.description << "\n";
  for (size_t i = 0; i < spec.tensors.size(); ++i) {
    const TensorSpec& t = spec.tensors[i];
    s << "  t" << i << " '" << t.name << "' " << DTName(t.dtype) << " " << ShapeStr(t.shape);
    if (!t.scale.empty()) {
      if (t.scale.size() == 1) {
        s << " scale=" << static_cast<double>(t.scale[0]) << " zp=" << t.zero_point0();
      } else {
        s << " per-channel(axis " << t.quant_axis << ", " << t.scale.size() << " scales, first "
          << static_cast<double>(t.scale[0]) << ")";
      }
    }
    if (t.is_constant()) s << " const";
    if (t.is_variable) s << " variable";
    if (std::find(spec.inputs.begin(), spec.inputs.end(), static_cast<int>(i)) != spec.inputs.end())
      s << " INPUT";
    if (std::find(spec.outputs.begin(), spec.outputs.end(), static_cast<int>(i)) !=
        spec.outputs.end())
      s << " OUTPUT";
    s << "\n";
  }
  for (size_t k = 0; k < spec.ops.size(); ++k) {
    const OpSpec& o = spec.ops[k];
    s << "  op" << k << " " << BuiltinName(o.builtin_code) << " (";
    for (size_t i = 0; i < o.inputs.size(); ++i) s << (i ? "," : "") << "t" << o.inputs[i];
    s << ") -> (";
    for (size_t i = 0; i < o.outputs.size(); ++i) s << (i ? "," : "") << "t" << o.outputs[i];
    s << ")" << OptionsStr(o) << "\n";
  }
  return s.str();
}

std::string CompareWithReference(const ModelSpec& spec,
                                 const std::vector<std::vector<uint8_t>>& inputs,
                                 const CaseResult& got) {
  const ReferenceResult ref = RunReferenceAll(spec, inputs);
  if (!ref.ok) return "reference failed: " + ref.error;
  // Layers in execution order: the first differing one is the likely culprit.
  std::set<int> checked;
  for (size_t k = 0; k < spec.ops.size(); ++k) {
    for (int t : spec.ops[k].outputs) {
      auto it = got.layers.find(t);
      if (t < 0 || it == got.layers.end() || checked.count(t)) continue;
      checked.insert(t);
      const std::string d = CompareBytes(spec, t, ref.tensors[t], it->second);
      if (!d.empty()) {
        return "op " + std::to_string(k) + " (" + BuiltinName(spec.ops[k].builtin_code) +
               ") output " + TensorStr(spec, t) + ": " + d;
      }
    }
  }
  for (const auto& [t, bytes] : got.layers) {
    if (checked.count(t)) continue;
    if (t < 0 || t >= static_cast<int>(ref.tensors.size()))
      return "TINYML_LAYER_END reported tensor index " + std::to_string(t) + ", out of range";
    const std::string d = CompareBytes(spec, t, ref.tensors[t], bytes);
    if (!d.empty()) return "layer dump of " + TensorStr(spec, t) + ": " + d;
  }
  if (got.outputs.size() != ref.outputs.size()) {
    return "expected " + std::to_string(ref.outputs.size()) + " outputs, got " +
           std::to_string(got.outputs.size());
  }
  for (size_t j = 0; j < ref.outputs.size(); ++j) {
    const int t = spec.outputs[j];
    const std::string d = CompareBytes(spec, t, ref.outputs[j], got.outputs[j]);
    if (!d.empty()) return "graph output " + std::to_string(j) + " (" + TensorStr(spec, t) + "): " + d;
  }
  return "";
}

// ---- Batches -----------------------------------------------------------------------------------

BatchResult CompileAndRunTfliteBatch(
    const std::vector<std::vector<uint8_t>>& tflite_files,
    const std::vector<std::vector<std::vector<std::vector<uint8_t>>>>& inputs,
    const HarnessOptions& opts) {
  BatchResult br;
  const size_t n = tflite_files.size();
  br.results.resize(n);
  br.model_errors.assign(n, "");
  if (inputs.size() != n) {
    br.error = "inputs has " + std::to_string(inputs.size()) + " entries for " +
               std::to_string(n) + " models";
    return br;
  }
  if (n == 0) {
    br.ok = true;
    return br;
  }
  std::string err;
  const fs::path dir = MakeTempDir(&err);
  if (dir.empty()) {
    br.error = err;
    return br;
  }
  bool keep = EnvFlag("TINYMLC_HARNESS_KEEP");
  auto finish = [&](BatchResult& r) -> BatchResult {
    if (!r.ok) keep = true;
    if (keep) {
      r.error += (r.error.empty() ? "" : "\n") + std::string("(files kept in ") + dir.string() + ")";
    } else {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
    return std::move(r);
  };

  // 1. tinymlc compile, in parallel.
  const std::string tinymlc = TinymlcPath();
  std::vector<Proc> compiles(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string name = "m" + std::to_string(i);
    const fs::path model = dir / (name + ".tflite");
    if (!WriteBytes(model, tflite_files[i].data(), tflite_files[i].size(), &err)) {
      br.error = err;
      return finish(br);
    }
    std::vector<std::string> argv = {tinymlc, "compile", model.string(), "-o",
                                     (dir / name).string(), "--name", name};
    argv.insert(argv.end(), opts.tinymlc_flags.begin(), opts.tinymlc_flags.end());
    compiles[i].argv = WithTimeout(opts.compile_timeout_s, argv);
    compiles[i].out_file = dir / (name + ".tinymlc.out");
    compiles[i].err_file = dir / (name + ".tinymlc.err");
  }
  RunAll(compiles, std::min(HardwareJobs(), 8));
  std::vector<int> ids, case_counts;
  std::string all_errors;
  for (size_t i = 0; i < n; ++i) {
    if (!compiles[i].Ok()) {
      br.model_errors[i] = "tinymlc rejected model m" + std::to_string(i) + ": " +
                           compiles[i].Describe();
      all_errors += br.model_errors[i] + "\n";
      continue;
    }
    ids.push_back(static_cast<int>(i));
    case_counts.push_back(static_cast<int>(inputs[i].size()));
  }

  // 2. One C compiler invocation for the runner and every compiled model.
  if (!ids.empty()) {
    std::string blob;
    for (int id : ids) {
      for (const auto& c : inputs[id]) {
        for (const auto& in : c) {
          const int32_t len = static_cast<int32_t>(in.size());
          blob.append(reinterpret_cast<const char*>(&len), sizeof len);
          blob.append(reinterpret_cast<const char*>(in.data()), in.size());
        }
      }
    }
    if (!WriteBytes(dir / "inputs.bin", blob.data(), blob.size(), &err) ||
        !WriteText(dir / "harness_hooks.h", kHooksHeader, &err) ||
        !WriteText(dir / "runner.c", MakeRunner(ids, case_counts, opts.reset_each_case), &err)) {
      br.error = err;
      return finish(br);
    }
    std::vector<Proc> cc(1);
    cc[0].argv = {opts.cc};
    for (const auto& f : SplitSpaces(opts.cflags)) cc[0].argv.push_back(f);
    cc[0].argv.push_back("-include");
    cc[0].argv.push_back((dir / "harness_hooks.h").string());
    for (int id : ids) {
      const std::string name = "m" + std::to_string(id);
      cc[0].argv.push_back((dir / name / (name + ".c")).string());
    }
    cc[0].argv.push_back((dir / "runner.c").string());
    cc[0].argv.push_back("-o");
    cc[0].argv.push_back((dir / "runner").string());
    cc[0].argv.push_back("-lm");
    cc[0].argv = WithTimeout(opts.compile_timeout_s, cc[0].argv);
    cc[0].out_file = dir / "cc.out";
    cc[0].err_file = dir / "cc.err";
    RunAll(cc, 1);
    if (!cc[0].Ok()) {
      const std::string e = "C compilation failed (" + opts.cc + "): " + cc[0].Describe();
      for (int id : ids) br.model_errors[id] = e;
      br.error = all_errors + e;
      return finish(br);
    }

    // 3. Run every case of every model.
    std::vector<Proc> run(1);
    run[0].argv = WithTimeout(opts.run_timeout_s, {(dir / "runner").string(),
                                                   (dir / "inputs.bin").string(),
                                                   (dir / "results.bin").string()});
    run[0].out_file = dir / "run.out";
    run[0].err_file = dir / "run.err";
    RunAll(run, 1);
    ParsedResults parsed = ParseResults(dir / "results.bin", case_counts);
    std::string run_problem;
    if (!run[0].Ok()) run_problem = "runner failed: " + run[0].Describe();
    if (!parsed.problem.empty()) run_problem += (run_problem.empty() ? "" : "; ") + parsed.problem;
    // The runner goes through the models and cases in order: the first unfinished
    // case is where it stopped, everything after it did not run.
    int stop_slot = -1, stop_case = -1;
    for (size_t k = 0; k < ids.size() && stop_slot < 0; ++k) {
      for (size_t c = 0; c < parsed.done[k].size(); ++c) {
        if (!parsed.done[k][c]) {
          stop_slot = static_cast<int>(k);
          stop_case = static_cast<int>(c);
          break;
        }
      }
    }
    for (size_t k = 0; k < ids.size(); ++k) {
      const int id = ids[k];
      std::string e = parsed.errors[k];
      if (e.empty() && stop_slot >= 0 && static_cast<int>(k) >= stop_slot) {
        if (static_cast<int>(k) == stop_slot) {
          e = "case " + std::to_string(stop_case) + " did not finish (the runner stopped in it)" +
              (run_problem.empty() ? "" : ": " + run_problem);
        } else {
          e = "not run: the runner stopped in model m" + std::to_string(ids[stop_slot]) +
              " case " + std::to_string(stop_case);
        }
      }
      if (!e.empty()) {
        br.model_errors[id] = "model m" + std::to_string(id) + ": " + e;
        all_errors += br.model_errors[id] + "\n";
      }
      br.results[id] = std::move(parsed.results[k]);
    }
    if (!run_problem.empty() && all_errors.empty()) all_errors = run_problem + "\n";
  }
  if (!all_errors.empty()) {
    all_errors.pop_back();
    br.error = all_errors;
    br.ok = false;
  } else {
    br.ok = true;
  }
  return finish(br);
}

BatchResult CompileAndRunBatch(
    const std::vector<ModelSpec>& models,
    const std::vector<std::vector<std::vector<std::vector<uint8_t>>>>& inputs,
    const HarnessOptions& opts) {
  std::vector<std::vector<uint8_t>> files;
  files.reserve(models.size());
  for (const ModelSpec& m : models) files.push_back(m.Serialize());
  return CompileAndRunTfliteBatch(files, inputs, opts);
}

// ---- Sweeps ------------------------------------------------------------------------------------

int SweepCount(int default_count) {
  const std::string e = Env("TINYMLC_SWEEP_COUNT");
  if (e.empty()) {
#ifdef TINYMLC_SWEEP_SCALE
    // The build's default (CMake TINYMLC_SWEEP_SCALE): a fraction of the full sweep.
    return std::max(1, static_cast<int>(default_count * static_cast<double>(TINYMLC_SWEEP_SCALE)));
#else
    return default_count;
#endif
  }
  if (e[0] == 'x' || e[0] == 'X') {
    const double f = std::atof(e.c_str() + 1);
    return f > 0 ? std::max(1, static_cast<int>(default_count * f)) : default_count;
  }
  const int v = std::atoi(e.c_str());
  return v > 0 ? v : default_count;
}

std::string JoinMessages(const SweepStats& stats, size_t max) {
  std::string s;
  for (size_t i = 0; i < stats.messages.size() && i < max; ++i) {
    s += "[" + std::to_string(i + 1) + "] " + stats.messages[i] + "\n";
  }
  if (stats.messages.size() > max) {
    s += "... and " + std::to_string(stats.messages.size() - max) + " more\n";
  }
  return s;
}

namespace {

uint64_t ConfigSeed(uint64_t seed, int i) {
  // splitmix64 finaliser of (seed, i): independent streams per configuration.
  uint64_t z = seed * 0x9E3779B97F4A7C15ull + static_cast<uint64_t>(i) * 0xD1B54A32D192ED03ull +
               0x632BE59BD9B4E019ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

std::string SafeName(const std::string& s) {
  std::string r;
  for (char c : s) r += (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') ? c : '_';
  return r.empty() ? "op" : r;
}

struct PendingConfig {
  int index = -1;
  SweepConfig config;
  std::string failure;  // "" = passed
  bool save = true;     // write a regression file for this failure
  std::vector<CaseResult> results;  // what the generated C produced (for TINYMLC_SWEEP_EXPORT)
};

// Checks the results of one model against the reference; "" if all cases match.
std::string CheckConfig(const PendingConfig& p, const std::vector<CaseResult>& results) {
  for (size_t k = 0; k < p.config.cases.size(); ++k) {
    if (k >= results.size()) return "case " + std::to_string(k) + ": no result";
    const std::string d = CompareWithReference(p.config.spec, p.config.cases[k], results[k]);
    if (!d.empty()) return "case " + std::to_string(k) + ": " + d;
  }
  return "";
}

void RunOneBatch(std::vector<PendingConfig*>& batch, const HarnessOptions& opts) {
  std::vector<ModelSpec> models;
  std::vector<std::vector<std::vector<std::vector<uint8_t>>>> inputs;
  for (PendingConfig* p : batch) {
    models.push_back(p->config.spec);
    inputs.push_back(p->config.cases);
  }
  const BatchResult br = CompileAndRunBatch(models, inputs, opts);
  for (size_t m = 0; m < batch.size(); ++m) {
    PendingConfig& p = *batch[m];
    std::string model_error = m < br.model_errors.size() ? br.model_errors[m] : br.error;
    if (!br.ok && model_error.empty() && br.results[m].empty()) model_error = br.error;
    if (!model_error.empty() && batch.size() > 1) {
      // A failure of the whole batch (C compiler, crash) may belong to another model:
      // rerun this one alone to find out.
      const BatchResult alone = CompileAndRunBatch({p.config.spec}, {p.config.cases}, opts);
      p.failure = alone.ok ? CheckConfig(p, alone.results[0]) : alone.error;
      if (alone.ok) p.results = alone.results[0];
      continue;
    }
    if (!model_error.empty()) {
      p.failure = br.error;  // one model: its error plus where the files were kept
      continue;
    }
    p.failure = CheckConfig(p, br.results[m]);
    p.results = br.results[m];
  }
}

// TINYMLC_SWEEP_EXPORT=<dir>: writes every configuration of a sweep to
// <dir>/<op>/<i>.tflite with <i>.case<k>.in<j>.bin (inputs) and <i>.case<k>.out<j>.bin
// (the outputs of tinymlc's generated C), or <i>.rejected.txt when tinymlc or the C build
// failed, so that an external tool (scripts/crosscheck_tflm.sh) can replay the models on
// another implementation (TFLM) and compare.
void ExportConfig(const fs::path& dir, const PendingConfig& p) {
  std::string err;
  const std::string stem = std::to_string(p.index);
  const std::vector<uint8_t> bytes = p.config.spec.Serialize();
  WriteBytes(dir / (stem + ".tflite"), bytes.data(), bytes.size(), &err);
  for (size_t k = 0; k < p.config.cases.size(); ++k) {
    const std::string ck = stem + ".case" + std::to_string(k);
    for (size_t j = 0; j < p.config.cases[k].size(); ++j) {
      const auto& in = p.config.cases[k][j];
      WriteBytes(dir / (ck + ".in" + std::to_string(j) + ".bin"), in.data(), in.size(), &err);
    }
    if (k >= p.results.size()) continue;
    for (size_t j = 0; j < p.results[k].outputs.size(); ++j) {
      const auto& out = p.results[k].outputs[j];
      WriteBytes(dir / (ck + ".out" + std::to_string(j) + ".bin"), out.data(), out.size(), &err);
    }
  }
  if (p.results.empty()) WriteText(dir / (stem + ".rejected.txt"), p.failure + "\n", &err);
}

void SaveRegression(const std::string& op_name, uint64_t seed, const PendingConfig& p,
                    std::string* saved_as) {
  const fs::path dir = fs::path(RegressionDir()) / SafeName(op_name);
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string stem = std::to_string(seed) + "_" + std::to_string(p.index);
  std::string err;
  const std::vector<uint8_t> bytes = p.config.spec.Serialize();
  if (!WriteBytes(dir / (stem + ".tflite"), bytes.data(), bytes.size(), &err)) {
    *saved_as = "(not saved: " + err + ")";
    return;
  }
  for (size_t k = 0; k < p.config.cases.size(); ++k) {
    for (size_t j = 0; j < p.config.cases[k].size(); ++j) {
      const auto& in = p.config.cases[k][j];
      WriteBytes(dir / (stem + ".case" + std::to_string(k) + ".in" + std::to_string(j) + ".bin"),
                 in.data(), in.size(), &err);
    }
  }
  WriteText(dir / (stem + ".txt"),
            op_name + " sweep, seed " + std::to_string(seed) + ", config " +
                std::to_string(p.index) + "\n\n" + DescribeModel(p.config.spec) + "\nfailure:\n" +
                p.failure + "\n",
            &err);
  *saved_as = (dir / (stem + ".tflite")).string();
}

}  // namespace

SweepStats RunSweep(const std::string& op_name, int count, uint64_t seed,
                    const std::function<SweepConfig(Rng&, int)>& gen, const HarnessOptions& opts) {
  const auto start = std::chrono::steady_clock::now();
  if (std::string e = Env("TINYMLC_SWEEP_SEED"); !e.empty()) seed = std::strtoull(e.c_str(), nullptr, 0);
  std::vector<int> indices;
  if (std::string only = Env("TINYMLC_SWEEP_ONLY"); !only.empty()) {
    indices.push_back(std::atoi(only.c_str()));
  } else {
    for (int i = 0; i < count; ++i) indices.push_back(i);
  }

  // Generate (sequentially: gen need not be thread-safe).
  std::vector<PendingConfig> configs(indices.size());
  for (size_t c = 0; c < indices.size(); ++c) {
    PendingConfig& p = configs[c];
    p.index = indices[c];
    Rng rng(ConfigSeed(seed, p.index));
    try {
      p.config = gen(rng, p.index);
    } catch (const std::exception& e) {
      p.failure = std::string("generator threw: ") + e.what();
      p.save = false;
      continue;
    }
    if (std::string v = p.config.spec.Validate(); !v.empty()) {
      p.failure = "generator made an invalid model: " + v;
      p.save = false;
      continue;
    }
    if (p.config.cases.empty()) p.config.cases.push_back({});
    // A reference failure is a generator bug, not a compiler bug: report, don't save.
    for (size_t k = 0; k < p.config.cases.size() && p.failure.empty(); ++k) {
      const ReferenceResult r = RunReferenceAll(p.config.spec, p.config.cases[k]);
      if (!r.ok) {
        p.failure = "reference rejects case " + std::to_string(k) + " (generator bug?): " + r.error;
        p.save = false;
      }
    }
  }

  // Batches of 40, several at a time.
  constexpr size_t kBatch = 40;
  std::vector<std::vector<PendingConfig*>> batches;
  for (PendingConfig& p : configs) {
    if (!p.failure.empty()) continue;
    if (batches.empty() || batches.back().size() == kBatch) batches.emplace_back();
    batches.back().push_back(&p);
  }
  int jobs = std::min(HardwareJobs(), 4);
  if (std::string e = Env("TINYMLC_SWEEP_JOBS"); !e.empty()) jobs = std::max(1, std::atoi(e.c_str()));
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (size_t b = next++; b < batches.size(); b = next++) RunOneBatch(batches[b], opts);
  };
  std::vector<std::thread> threads;
  for (int t = 1; t < std::min<int>(jobs, static_cast<int>(batches.size())); ++t)
    threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();

  if (const std::string dir = Env("TINYMLC_SWEEP_EXPORT"); !dir.empty()) {
    const fs::path op_dir = fs::path(dir) / SafeName(op_name);
    std::error_code ec;
    fs::create_directories(op_dir, ec);
    // State carried from case to case: the replay must run the cases in order on one
    // interpreter instead of each from a fresh state.
    if (!opts.reset_each_case) WriteText(op_dir / "cases_share_state", "1\n", nullptr);
    for (const PendingConfig& p : configs) {
      if (p.save) ExportConfig(op_dir, p);  // not generator bugs (invalid models)
    }
  }

  SweepStats stats;
  stats.configs = static_cast<int>(configs.size());
  const bool save = !EnvFlag("TINYMLC_SWEEP_NO_SAVE");
  for (const PendingConfig& p : configs) {
    if (p.failure.empty()) continue;
    ++stats.failures;
    std::string saved;
    if (save && p.save) SaveRegression(op_name, seed, p, &saved);
    std::string msg = op_name + " config " + std::to_string(p.index) + " (seed " +
                      std::to_string(seed) + "; rerun with TINYMLC_SWEEP_SEED=" +
                      std::to_string(seed) + " TINYMLC_SWEEP_ONLY=" + std::to_string(p.index) +
                      "): " + p.failure + "\n" + DescribeModel(p.config.spec);
    if (!saved.empty()) msg += "saved as " + saved + "\n";
    stats.messages.push_back(msg);
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ sweep    ] %s: %d configurations, %d failures (seed %llu, %.1f s, cc %s)\n",
              op_name.c_str(), stats.configs, stats.failures,
              static_cast<unsigned long long>(seed), secs, opts.cc.c_str());
  std::fflush(stdout);
  return stats;
}

// ---- Regression files ----------------------------------------------------------------------------

std::vector<RegressionCase> LoadRegressionCases(const std::string& dir) {
  std::vector<RegressionCase> out;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return out;
  std::vector<fs::path> models;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".tflite") models.push_back(it->path());
  }
  std::sort(models.begin(), models.end());
  for (const fs::path& model : models) {
    RegressionCase rc;
    rc.path = model.string();
    ReadFileBytes(rc.path, &rc.tflite);
    const std::string stem = model.stem().string();
    // <stem>.case<k>.in<j>.bin
    for (const auto& entry : fs::directory_iterator(model.parent_path(), ec)) {
      const std::string name = entry.path().filename().string();
      const std::string prefix = stem + ".case";
      if (name.rfind(prefix, 0) != 0 || entry.path().extension() != ".bin") continue;
      int k = -1, j = -1;
      if (std::sscanf(name.c_str() + prefix.size(), "%d.in%d.bin", &k, &j) != 2 || k < 0 || j < 0)
        continue;
      if (static_cast<int>(rc.cases.size()) <= k) rc.cases.resize(k + 1);
      if (static_cast<int>(rc.cases[k].size()) <= j) rc.cases[k].resize(j + 1);
      ReadFileBytes(entry.path().string(), &rc.cases[k][j]);
    }
    if (rc.cases.empty()) rc.cases.push_back({});
    out.push_back(std::move(rc));
  }
  return out;
}

}  // namespace tinymlc::testing
