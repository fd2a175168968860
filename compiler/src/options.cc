#include "tinymlc/options.h"

#include <fmt/format.h>

#include <cstdint>
#include <tuple>
#include <vector>

namespace tinymlc {

// Checks the flags into `opts` and appends them to the recorded command line. "" or the
// error message.
std::string ApplyFirmwareFlags(const FirmwareFlags& f, CompileOptions* opts, std::string* cmd) {
  std::vector<std::string> recorded;
  for (const auto& [flag, value, field] :
       {std::make_tuple("--weights-section", &f.weights_section, &opts->weights_section),
        std::make_tuple("--arena-section", &f.arena_section, &opts->arena_section)}) {
    if (value->empty()) continue;
    if (!IsSectionName(*value)) {
      return fmt::format("{} '{}' is not a section name (letters, digits, '_', '.', '$'; "
                         "at most 63 characters)", flag, *value);
    }
    *field = *value;
    recorded.push_back(fmt::format("{} {}", flag, *value));
  }
  if (!f.weights_section.empty() && f.weights_section == f.arena_section) {
    return "--weights-section and --arena-section name the same section (constants and the "
           "writable arena cannot share one)";
  }
  if (!f.align.empty()) {
    int64_t a = 0;
    bool digits = f.align.size() <= 6 && f.align.find_first_not_of("0123456789") == std::string::npos;
    if (digits) a = std::stoll(f.align);
    if (!digits || a < 4 || (a & (a - 1)) != 0) {
      return fmt::format("--align '{}' is not a power of two >= 4 (at most 65536)", f.align);
    }
    if (a > 65536) return fmt::format("--align '{}' is not a power of two >= 4 (at most 65536)", f.align);
    opts->placement_align = a;
    recorded.push_back(fmt::format("--align {}", a));
  }
  if (f.weights_file) {
    opts->weights_file = true;
    recorded.push_back("--weights-file");
  }
  if (!f.arena.empty()) {
    if (f.arena != "static" && f.arena != "external") {
      return fmt::format("--arena '{}' must be 'static' or 'external'", f.arena);
    }
    opts->external_arena = f.arena == "external";
    if (opts->external_arena) recorded.push_back("--arena external");
  }
  if (opts->external_arena && !opts->arena_section.empty()) {
    return "--arena-section needs the static arena (--arena external: the application places its memory)";
  }
  if (f.float_io) {
    opts->float_io = true;
    recorded.push_back("--float-io");
  }
  if (f.profile) {
    opts->profile = true;
    recorded.push_back("--profile");
  }
  if (!f.optimize.empty()) {
    using O = CompileOptions::Optimize;
    if (f.optimize == "balanced") {
      opts->optimize = O::kBalanced;
    } else if (f.optimize == "speed") {
      opts->optimize = O::kSpeed;
    } else if (f.optimize == "size") {
      opts->optimize = O::kSize;
    } else if (f.optimize == "ram") {
      opts->optimize = O::kRam;
    } else {
      return fmt::format("--optimize '{}' must be 'balanced', 'speed', 'size' or 'ram'", f.optimize);
    }
    if (opts->optimize != O::kBalanced) recorded.push_back("--optimize " + f.optimize);
  }
  if (!f.memory_budget.empty()) {
    const bool digits = f.memory_budget.size() <= 12 &&
                        f.memory_budget.find_first_not_of("0123456789") == std::string::npos;
    const int64_t b = digits ? std::stoll(f.memory_budget) : 0;
    if (!digits || b < 1) {
      return fmt::format("--memory-budget '{}' is not a number of bytes (1 or more)", f.memory_budget);
    }
    opts->memory_budget = b;
    recorded.push_back(fmt::format("--memory-budget {}", b));
  }
  if (!f.input.empty()) {
    if (f.input != "arena" && f.input != "external") {
      return fmt::format("--input '{}' must be 'arena' or 'external'", f.input);
    }
    opts->external_input = f.input == "external";
    if (opts->external_input) recorded.push_back("--input external");
  }
  if (opts->external_input && opts->float_io) {
    return "--float-io writes the inputs, which --input external leaves in the application's "
           "memory (use one or the other)";
  }
  if (!f.sparse.empty()) {
    using S = CompileOptions::Sparse;
    if (f.sparse == "auto") {
      opts->sparse = S::kAuto;
    } else if (f.sparse == "off") {
      opts->sparse = S::kOff;
    } else if (f.sparse == "force") {
      opts->sparse = S::kForce;
    } else if (f.sparse == "size") {
      opts->sparse = S::kSize;
    } else if (f.sparse == "fast") {
      opts->sparse = S::kFast;
    } else {
      return fmt::format("--sparse '{}' must be 'auto', 'off', 'force', 'size' or 'fast'", f.sparse);
    }
    if (opts->sparse != S::kAuto) recorded.push_back("--sparse " + f.sparse);
  }
  for (const std::string& r : recorded) *cmd += (cmd->empty() ? "" : " ") + r;
  return "";
}

}  // namespace tinymlc
