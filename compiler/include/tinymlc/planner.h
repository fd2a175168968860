// Static memory planner: places buffers with known sizes and lifetimes into one arena.
//
// Interface: AddBuffer(size, first_step, last_step) for each buffer (a tensor, or a
// kernel's scratch), where steps are operator indices in execution order and the
// buffer must stay intact from the start of first_step to the end of last_step
// (inclusive). Plan() assigns offsets; two buffers whose lifetimes overlap never
// share bytes. Peak() is the arena size reached; LowerBound() is the largest sum of
// sizes of buffers live at any one step (no placement can beat it).
//
// Algorithm: see planner.cc (greedy by size, best-fit gap among the buffers placed
// so far whose lifetimes overlap; several orderings tried, the smallest peak kept;
// ties broken by buffer id so the plan is deterministic).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinymlc {

class MemoryPlanner {
 public:
  explicit MemoryPlanner(int64_t alignment = 4) : alignment_(alignment) {}

  // Returns the buffer id (0, 1, 2, ... in call order).
  int AddBuffer(int64_t size, int first_step, int last_step, std::string label = "");

  void Plan();

  int64_t Offset(int id) const;
  int64_t Peak() const;
  int64_t LowerBound() const;
  int NumBuffers() const { return static_cast<int>(buffers_.size()); }

  // Empty if no two overlapping-lifetime buffers share bytes and every buffer fits in
  // Peak(); otherwise a description of the first conflict.
  std::string CheckOverlaps() const;

  // A readable table of the plan: id, label, size, offset, lifetime, and an ASCII
  // picture of the arena per step.
  std::string Dump() const;

  struct Buffer {
    int64_t size = 0;
    int first = 0;
    int last = 0;
    std::string label;
    int64_t offset = -1;
  };
  const std::vector<Buffer>& buffers() const { return buffers_; }

 private:
  int64_t alignment_;
  std::vector<Buffer> buffers_;
  int64_t peak_ = 0;
  bool planned_ = false;
};

}  // namespace tinymlc
