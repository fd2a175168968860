// The firmware options of `tinymlc compile` (README "Using tinymlc in firmware") as a
// user gives them, on the command line or as keyword arguments of the Python package,
// and their checking into CompileOptions: one set of rules and messages for both.
#pragma once

#include <string>

#include "tinymlc/compiler.h"

namespace tinymlc {

struct FirmwareFlags {
  std::string weights_section, arena_section, align, arena, optimize, input, memory_budget, sparse;
  bool weights_file = false, float_io = false, profile = false;
};

// Checks the flags into `opts` and appends them, as command-line flags, to the recorded
// command line `cmd`. Returns "" or the error message (naming the flag and its value).
std::string ApplyFirmwareFlags(const FirmwareFlags& f, CompileOptions* opts, std::string* cmd);

}  // namespace tinymlc
