// Static memory planner: places buffers with known sizes and lifetimes into one arena.
//
// Interface: AddBuffer(size, first_step, last_step) for each buffer (a tensor, or a
// kernel's scratch; Attach() ties an in-place pair together), where steps are operator indices in execution order and the
// buffer must stay intact from the start of first_step to the end of last_step
// (inclusive). Plan() assigns offsets; two buffers whose lifetimes overlap never
// share bytes. Peak() is the arena size reached; LowerBound() is the largest sum of
// sizes of buffers live at any one step (no placement can beat it).
//
// Algorithm: see planner.cc (best-fit greedy over several buffer orderings, the
// smallest peak kept; then exact branch and bound for small groups of buffers or a
// local search over orderings while the peak is above the lower bound; ties broken
// by buffer id and budgets counted in work, so the plan is deterministic).
//
// Sizes are rounded up to the alignment for placement, so every offset is a multiple
// of the alignment and Peak()/LowerBound() are too. Zero-size buffers get offset 0 and
// never conflict. Nothing here throws: bad input to AddBuffer (negative size, last <
// first) is recorded, and reported by InputError() and CheckOverlaps().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tinymlc {

class MemoryPlanner {
 public:
  // alignment < 1 is treated as 1 (and reported by InputError()).
  explicit MemoryPlanner(int64_t alignment = 4);

  // Returns the buffer id (0, 1, 2, ... in call order).
  int AddBuffer(int64_t size, int first_step, int last_step, std::string label = "");

  // In-place execution: buffer `inner` is placed exactly `delta` bytes (>= 0, a multiple
  // of the alignment) above buffer `outer`, and the two may share bytes while both are
  // live (the caller guarantees the kernel allows it); every other buffer is kept off
  // both as usual. Chains are allowed (c attached to b attached to a: distances add
  // up); false (and InputError()) if `inner` is attached already, `outer` has a buffer
  // attached already, or the attachment would close a cycle.
  bool Attach(int inner, int outer, int64_t delta);

  void Plan();

  // -1 before Plan() or for an unknown id.
  int64_t Offset(int id) const;
  int64_t Peak() const;
  int64_t LowerBound() const;
  int NumBuffers() const { return static_cast<int>(buffers_.size()); }
  int64_t alignment() const { return alignment_; }
  // size rounded up to the alignment (the bytes the plan reserves for the buffer).
  int64_t AlignedSize(int id) const;

  // Which ordering/fit produced the plan, e.g. "size-desc/best-fit", with
  // "+local-search" or "+exact-search" when a search improved on plain greedy.
  const std::string& Strategy() const { return strategy_; }
  // Empty, or a description of the first invalid AddBuffer()/constructor argument.
  const std::string& InputError() const { return input_error_; }

  // Empty if no two overlapping-lifetime buffers share bytes and every buffer fits in
  // Peak(); otherwise a description of the first conflict.
  std::string CheckOverlaps() const;

  // A readable table of the plan: id, label, size, offset, lifetime, and an ASCII
  // picture of the arena per step.
  std::string Dump() const;

  // Tests only: overwrite a planned offset (Peak() is not recomputed) so that
  // CheckOverlaps() can be shown to catch a broken plan.
  void SetOffsetForTesting(int id, int64_t offset);

  struct Buffer {
    int64_t size = 0;
    int first = 0;
    int last = 0;
    std::string label;
    int64_t offset = -1;
    int attached_to = -1;       // Attach(): placed attach_delta bytes above that buffer
    int64_t attach_delta = 0;
  };
  const std::vector<Buffer>& buffers() const { return buffers_; }

 private:
  int64_t alignment_;
  std::vector<Buffer> buffers_;
  int64_t peak_ = 0;
  bool planned_ = false;
  std::string strategy_;
  std::string input_error_;
};

}  // namespace tinymlc
