// The parts of the generated C that firmware integration asks for (README "Using tinymlc
// in firmware"): section placement and alignment, the weights in their own file, the
// arena the application owns, float I/O helpers and per-layer profiling. Each piece is
// emitted only when its option is on, so a compile without them is unchanged.
#pragma once

#include <string>
#include <vector>

#include "tinymlc/compiler.h"
#include "tinymlc/ir.h"

namespace tinymlc {
namespace fw {

// The #define block of NAME_WEIGHTS_PLACE / NAME_ARENA_PLACE (GCC and Clang attributes,
// empty elsewhere); "" when no placement option is on.
std::string PlacementMacros(const CompileOptions& o);

// What follows the declarator of a constant array / the arena (" NAME_WEIGHTS_PLACE",
// " NAME_ARENA_PLACE"), "" when no placement option is on.
std::string ConstArrayAttr(const CompileOptions& o);
std::string ArenaAttr(const CompileOptions& o);

// The layer declarations (file-scope constants written by the ops) with the placement
// attribute on their arrays of numbers (the parameter structs, which may hold pointers,
// keep the default section); with --weights-file, those arrays move to the weights file.
struct SplitDecls {
  std::string main;     // stays in NAME.c
  std::string externs;  // declarations of what moved ("extern const T NAME[N];\n")
  std::string moved;    // the moved definitions, for NAME_weights.c
};
SplitDecls RewriteDecls(const std::string& decls, const CompileOptions& o);

// NAME_set_arena() (--arena external).
std::string SetArenaSource(const CompileOptions& o, int64_t arena_bytes, bool has_state);

// The float I/O helpers (--float-io) for the graph's inputs and outputs.
std::string FloatIoSource(const CompileOptions& o, const Graph& g);

// One row of the profile table per operator with code.
struct ProfileRow {
  int op_index;
  std::string op_name;
};
// The profiling state and functions (--profile), placed before NAME_invoke().
std::string ProfileSource(const CompileOptions& o, const std::vector<ProfileRow>& rows);

// Header declarations for the enabled features ("" when none is on).
std::string HeaderDecls(const CompileOptions& o);

}  // namespace fw
}  // namespace tinymlc
