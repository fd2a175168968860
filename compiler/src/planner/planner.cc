// Static memory planner (see planner.h for the interface).
//
// Problem: place intervals of bytes (one per buffer, size rounded up to the
// alignment) so that buffers whose step ranges intersect never share bytes, keeping
// the arena (max offset + size) small. No plan can beat the lower bound LB = max over
// steps of the aligned bytes live at that step; the planner aims to reach it.
//
// Algorithm, per connected component of the lifetime-overlap graph (components never
// share a step, so each is planned on its own from offset 0, hardest first; a
// component is done once its peak is <= max(LB, peak of the components before it)):
//  1. Greedy: visit buffers in some order; put each into the gap between the already
//     placed buffers whose lifetimes overlap its own that fits it best (smallest gap,
//     lowest offset on ties) or first (lowest offset), else on top of them. Eleven
//     orderings (size, lifetime length, size*length, first step, last step, number
//     and bytes of conflicting buffers, heaviest step the buffer is live in, buffers
//     of the peak step first, ...) x both fits = 22 runs; the best is kept.
//  2. Exact search, for components of <= 16 buffers still above target: branch and
//     bound over plans in "gravity" form (placed in (offset, id) order, each buffer
//     at 0 or on top of a lifetime-overlapping one: any plan can be pushed down into
//     this form without growing), pruned by a per-step bound. If it finishes, the
//     plan is optimal even when LB cannot be reached.
//  3. Local search, otherwise: perturb the best greedy order (move a buffer that
//     touches the peak earlier, swap two, move one), rerun greedy, keep moves that
//     do not make (peak, number of buffers at the peak) worse.
// In-place pairs (Attach): a buffer and the one attached to it are placed as one item
// at a fixed distance; the greedy fit tests each part against each placed part whose
// lifetime meets it, and the per-component target counts a pair's union, not its sum
// (exact search is skipped for components with pairs).
// Ties are broken by buffer id, the PRNG is seeded, and the search budgets count
// work (buffers looked at), not time: the same input gives the same offsets on every
// run and machine. Plan() stays within a few tens of ms for hundreds of buffers.
#include "tinymlc/planner.h"

#include <algorithm>
#include <cstddef>
#include <limits>
#include <numeric>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace tinymlc {
namespace {

constexpr int64_t kInf = std::numeric_limits<int64_t>::max();
// Work budgets, in "one buffer looked at" units.
constexpr int64_t kLocalSearchBudget = 2000000;
constexpr int64_t kExactSearchBudget = 4000000;
constexpr int kExactMaxBuffers = 16;

int64_t RoundUp(int64_t v, int64_t a) { return (v + a - 1) / a * a; }

// One buffer of an item, `rel` bytes above the item's offset.
struct Part {
  int buffer;
  int64_t rel;
  int64_t size;  // aligned
  int first;
  int last;
};

// What the searches place: one buffer, or a buffer with the buffers attached to it
// (Attach(), at fixed distances). size/first/last span all parts.
struct Item {
  int id;        // buffer id (items are kept in id order)
  int64_t size;  // aligned, > 0
  int first;
  int last;
  std::vector<Part> parts;  // empty: the item is its one buffer at rel 0
};

Part WholeItem(const Item& it) { return {it.id, 0, it.size, it.first, it.last}; }

template <typename F>
void ForEachPart(const Item& it, F f) {
  if (it.parts.empty()) {
    f(WholeItem(it));
  } else {
    for (const Part& p : it.parts) f(p);
  }
}

bool Conflict(const Item& a, const Item& b) { return a.first <= b.last && b.first <= a.last; }

enum class Fit { kBest, kFirst };

// splitmix64: fixed, portable sequence (std distributions are not portable).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t s_;
};

// Bytes an item with attached parts covers at `step`: the union of its live parts
// (an in-place pair covers less than the sum of its two buffers).
int64_t CoveredAt(const Item& it, int step) {
  std::vector<std::pair<int64_t, int64_t>> r;
  for (const Part& p : it.parts)
    if (p.first <= step && step <= p.last) r.emplace_back(p.rel, p.rel + p.size);
  std::sort(r.begin(), r.end());
  int64_t covered = 0, end = std::numeric_limits<int64_t>::min();
  for (const auto& [a, b] : r) {
    const int64_t from = std::max(a, end);
    if (b > from) covered += b - from;
    end = std::max(end, b);
  }
  return covered;
}

// Max over steps of the bytes live at that step (sweep over start/end events).
int64_t MaxLoad(const std::vector<Item>& items) {
  std::vector<std::pair<int64_t, int64_t>> ev;  // (2*step or 2*step+1 for ends, delta)
  ev.reserve(items.size() * 2);
  for (const Item& it : items) {
    if (it.parts.empty()) {
      ev.emplace_back(2 * static_cast<int64_t>(it.first), it.size);
      ev.emplace_back(2 * static_cast<int64_t>(it.last) + 1, -it.size);
      continue;
    }
    for (int step = it.first; step <= it.last; ++step) {
      const int64_t c = CoveredAt(it, step);
      ev.emplace_back(2 * static_cast<int64_t>(step), c);
      ev.emplace_back(2 * static_cast<int64_t>(step) + 1, -c);
    }
  }
  std::sort(ev.begin(), ev.end());
  int64_t load = 0, best = 0;
  for (const auto& e : ev) {
    load += e.second;
    best = std::max(best, load);
  }
  return best;
}

// Greedy placement: items are placed in a given order, each into the best (or first)
// gap left by the already placed items whose lifetimes overlap its own.
//
// For each unplaced item the placed neighbours are kept as forbidden offset ranges
// [lo, hi): the item may not start there. A placed byte range [s, e) forbids
// [s - size + 1, e) to a one-buffer item of `size` bytes (so a gap of g >= size bytes
// leaves g - size + 1 allowed offsets, its "slack"); for an item with attached parts,
// each pair of parts whose lifetimes meet forbids [s - rel - size + 1, e - rel).
class Greedy {
 public:
  explicit Greedy(const std::vector<Item>& items)
      : items_(items), adj_(items.size()), off_(items.size(), -1), forbid_(items.size()) {
    const int n = static_cast<int>(items.size());
    for (int i = 0; i < n; ++i)
      for (int j = i + 1; j < n; ++j)
        if (Conflict(items[i], items[j])) {
          adj_[i].push_back(j);
          adj_[j].push_back(i);
        }
  }
  const std::vector<std::vector<int>>& adj() const { return adj_; }

  // Places the items; offsets (indexed like items) in *off; returns the peak.
  int64_t Run(const std::vector<int>& order, Fit fit, std::vector<int64_t>* off, int64_t* work) {
    std::fill(off_.begin(), off_.end(), -1);
    for (auto& f : forbid_) f.clear();
    int64_t peak = 0;
    for (int i : order) {
      int64_t cur = 0;  // lowest offset not forbidden by the ranges seen so far
      int64_t best_off = -1, best_slack = kInf;
      for (const auto& r : forbid_[i]) {
        if (r.first > cur) {
          const int64_t slack = r.first - cur;
          if (slack < best_slack) {
            best_slack = slack;
            best_off = cur;
            if (fit == Fit::kFirst || slack == 1) break;
          }
        }
        cur = std::max(cur, r.second);
      }
      const int64_t o = best_off >= 0 ? best_off : cur;
      off_[i] = o;
      peak = std::max(peak, o + items_[i].size);
      for (int j : adj_[i]) {
        if (off_[j] >= 0) continue;
        auto& fj = forbid_[j];
        ForEachPart(items_[i], [&](const Part& pi) {
          ForEachPart(items_[j], [&](const Part& pj) {
            if (pi.first > pj.last || pj.first > pi.last) return;
            const int64_t s = o + pi.rel, e = s + pi.size;
            const std::pair<int64_t, int64_t> range(s - pj.rel - pj.size + 1, e - pj.rel);
            fj.insert(std::upper_bound(fj.begin(), fj.end(), range), range);
          });
        });
      }
      *work += static_cast<int64_t>(adj_[i].size() + forbid_[i].size()) + 1;
    }
    *off = off_;
    return peak;
  }

 private:
  const std::vector<Item>& items_;
  std::vector<std::vector<int>> adj_;
  std::vector<int64_t> off_;
  std::vector<std::vector<std::pair<int64_t, int64_t>>> forbid_;
};

struct Ordering {
  const char* name;
  std::vector<int> order;
};

// Sort indices by a key tuple (larger first unless the key negates), ties by id.
template <typename Key>
std::vector<int> SortedBy(int n, Key key) {
  std::vector<int> v(n);
  std::iota(v.begin(), v.end(), 0);
  std::stable_sort(v.begin(), v.end(), [&](int a, int b) { return key(a) > key(b); });
  return v;
}

std::vector<Ordering> MakeOrderings(const std::vector<Item>& items) {
  const int n = static_cast<int>(items.size());
  std::vector<int64_t> len(n), conf_n(n, 0), conf_bytes(n, 0), heavy(n, 0);
  for (int i = 0; i < n; ++i) len[i] = static_cast<int64_t>(items[i].last) - items[i].first + 1;
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) {
      if (!Conflict(items[i], items[j])) continue;
      ++conf_n[i];
      ++conf_n[j];
      conf_bytes[i] += items[j].size;
      conf_bytes[j] += items[i].size;
    }
  }
  // heavy[i]: the largest load of any step where item i is live (checked at the
  // first steps inside its lifetime, where loads peak).
  int64_t max_load = 0;
  int peak_step = 0;
  for (int s = 0; s < n; ++s) {
    const int t = items[s].first;
    int64_t load = 0;
    for (const Item& it : items)
      if (it.first <= t && t <= it.last) load += it.size;
    if (load > max_load || (load == max_load && t < peak_step)) {
      max_load = load;
      peak_step = t;
    }
    for (int i = 0; i < n; ++i)
      if (items[i].first <= t && t <= items[i].last) heavy[i] = std::max(heavy[i], load);
  }
  auto sz = [&](int i) { return items[i].size; };
  std::vector<Ordering> o;
  o.push_back({"size-desc", SortedBy(n, [&](int i) { return sz(i); })});
  o.push_back({"size-then-length", SortedBy(n, [&](int i) { return std::make_pair(sz(i), len[i]); })});
  o.push_back({"length-then-size", SortedBy(n, [&](int i) { return std::make_pair(len[i], sz(i)); })});
  o.push_back({"area-desc", SortedBy(n, [&](int i) { return std::make_pair(sz(i) * len[i], sz(i)); })});
  o.push_back({"heaviest-step", SortedBy(n, [&](int i) { return std::make_pair(heavy[i], sz(i)); })});
  o.push_back({"peak-step-first", SortedBy(n, [&](int i) {
                 const bool at_peak = items[i].first <= peak_step && peak_step <= items[i].last;
                 return std::make_pair(at_peak ? 1 : 0, sz(i));
               })});
  o.push_back({"conflict-bytes", SortedBy(n, [&](int i) { return std::make_pair(conf_bytes[i] + sz(i), sz(i)); })});
  o.push_back({"conflict-count", SortedBy(n, [&](int i) { return std::make_pair(conf_n[i], sz(i)); })});
  o.push_back({"first-step", SortedBy(n, [&](int i) {
                 return std::make_pair(-static_cast<int64_t>(items[i].first), sz(i));
               })});
  o.push_back({"last-step-desc", SortedBy(n, [&](int i) {
                 return std::make_pair(static_cast<int64_t>(items[i].last), sz(i));
               })});
  o.push_back({"interval", SortedBy(n, [&](int i) {
                 return std::make_pair(-static_cast<int64_t>(items[i].first), len[i]);
               })});
  return o;
}

struct Solution {
  int64_t peak = kInf;
  std::vector<int64_t> off;
  std::string how;
};

// Branch and bound over plans in "gravity" form (see the comment at the top).
class ExactSearch {
 public:
  ExactSearch(const std::vector<Item>& items, int64_t target, int64_t budget)
      : it_(items), n_(static_cast<int>(items.size())), target_(target), budget_(budget) {
    conf_.assign(n_, 0);
    for (int i = 0; i < n_; ++i)
      for (int j = 0; j < n_; ++j)
        if (i != j && Conflict(it_[i], it_[j])) conf_[i] |= uint64_t{1} << j;
    for (const Item& x : it_) steps_.push_back(x.first);
    std::sort(steps_.begin(), steps_.end());
    steps_.erase(std::unique(steps_.begin(), steps_.end()), steps_.end());
    off_.assign(n_, -1);
    cand_.resize(n_ + 1);
  }

  // Improves *best (strictly) if it can within the budget.
  bool Run(Solution* best) {
    best_ = best;
    improved_ = false;
    Dfs(0, -1, 0, 0, 0);
    return improved_;
  }
  // True if the whole tree was searched: the plan in *best is then optimal.
  bool complete() const { return work_ <= budget_; }

 private:
  bool Done() const { return work_ > budget_ || best_->peak <= target_; }

  void Dfs(int64_t last_off, int last_idx, int64_t peak, uint64_t placed, int depth) {
    if (Done()) return;
    if (depth == n_) {
      if (peak < best_->peak) {
        best_->peak = peak;
        best_->off = off_;
        improved_ = true;
      }
      return;
    }
    // Bound: every unplaced buffer goes at or above last_off.
    int64_t bound = peak;
    for (int t : steps_) {
      int64_t need = last_off;
      for (int i = 0; i < n_; ++i) {
        if (it_[i].first > t || t > it_[i].last) continue;
        if (placed >> i & 1) {
          need += std::max<int64_t>(0, off_[i] + it_[i].size - std::max(off_[i], last_off));
        } else {
          need += it_[i].size;
        }
      }
      bound = std::max(bound, need);
    }
    work_ += n_ * static_cast<int64_t>(steps_.size());
    if (bound >= best_->peak) return;
    // Candidates (offset, buffer): 0 or the end of a placed conflicting buffer.
    std::vector<std::pair<int64_t, int>>& cand = cand_[depth];
    cand.clear();
    for (int b = 0; b < n_; ++b) {
      if (placed >> b & 1) continue;
      const uint64_t cp = conf_[b] & placed;
      auto try_at = [&](int64_t o) {
        if (o < last_off || (o == last_off && b < last_idx)) return;
        if (o + it_[b].size >= best_->peak) return;
        for (int p = 0; p < n_; ++p) {
          if (!(cp >> p & 1)) continue;
          ++work_;
          if (o < off_[p] + it_[p].size && off_[p] < o + it_[b].size) return;
        }
        cand.emplace_back(o, b);
      };
      try_at(0);
      for (int p = 0; p < n_; ++p)
        if (cp >> p & 1) try_at(off_[p] + it_[p].size);
    }
    std::sort(cand.begin(), cand.end());
    cand.erase(std::unique(cand.begin(), cand.end()), cand.end());
    for (size_t k = 0; k < cand.size(); ++k) {
      if (Done()) return;
      const int64_t o = cand[k].first;
      const int b = cand[k].second;
      off_[b] = o;
      Dfs(o, b, std::max(peak, o + it_[b].size), placed | (uint64_t{1} << b), depth + 1);
      off_[b] = -1;
    }
  }

  const std::vector<Item>& it_;
  int n_;
  int64_t target_;
  int64_t budget_;
  int64_t work_ = 0;
  std::vector<uint64_t> conf_;
  std::vector<int> steps_;
  std::vector<int64_t> off_;
  std::vector<std::vector<std::pair<int64_t, int>>> cand_;  // per depth
  Solution* best_ = nullptr;
  bool improved_ = false;
};

// Plans one component; stops early once the peak is <= target.
Solution PlanComponent(const std::vector<Item>& items, int64_t target, int64_t ls_budget,
                       int64_t exact_budget, uint64_t seed) {
  const int n = static_cast<int>(items.size());
  Solution best;
  std::vector<int64_t> off(n);
  Greedy greedy(items);
  int64_t work = 0;
  std::vector<int> best_order;
  Fit best_fit = Fit::kBest;
  for (const Ordering& o : MakeOrderings(items)) {
    for (Fit fit : {Fit::kBest, Fit::kFirst}) {
      const int64_t peak = greedy.Run(o.order, fit, &off, &work);
      if (peak < best.peak) {
        best.peak = peak;
        best.off = off;
        best.how = std::string(o.name) + (fit == Fit::kBest ? "/best-fit" : "/first-fit");
        best_order = o.order;
        best_fit = fit;
      }
      if (best.peak <= target) return best;
    }
  }

  // Exact search for small components; if it finishes, the plan is optimal. (Not with
  // attached parts: its bound and overlap test treat an item as one block.)
  const bool simple = std::all_of(items.begin(), items.end(),
                                  [](const Item& it) { return it.parts.empty(); });
  if (n <= kExactMaxBuffers && simple) {
    ExactSearch ex(items, target, exact_budget);
    if (ex.Run(&best)) best.how += "+exact-search";
    if (ex.complete() || best.peak <= target) return best;
  }

  // Local search over orders. Plans are compared by (peak, number of buffers
  // reaching the peak), so that sideways moves drift towards fewer peak buffers.
  if (n >= 2) {
    Rng rng(seed);
    auto critical = [&](const std::vector<int64_t>& o, int64_t peak) {
      int c = 0;
      for (int i = 0; i < n; ++i) c += o[i] + items[i].size == peak;
      return c;
    };
    std::vector<int> cur = best_order, trial;
    int64_t cur_peak = best.peak;
    int cur_crit = critical(best.off, best.peak);
    std::vector<int64_t> cur_off = best.off;
    std::vector<int> pos_crit;
    bool improved = false;
    work = 0;
    while (work < ls_budget && best.peak > target) {
      work += 4 * static_cast<int64_t>(n);  // copies and bookkeeping below
      trial = cur;
      const int move = rng.Below(3);
      if (move == 0) {
        // Move a buffer that reaches the current peak to an earlier position.
        pos_crit.clear();
        for (int k = 1; k < n; ++k)
          if (cur_off[trial[k]] + items[trial[k]].size == cur_peak) pos_crit.push_back(k);
        if (pos_crit.empty()) continue;
        const int from = pos_crit[rng.Below(static_cast<int>(pos_crit.size()))];
        const int to = rng.Below(from);
        std::rotate(trial.begin() + to, trial.begin() + from, trial.begin() + from + 1);
      } else if (move == 1) {
        const int a = rng.Below(n), b = rng.Below(n);
        if (a == b) continue;
        std::swap(trial[a], trial[b]);
      } else {
        const int a = rng.Below(n), b = rng.Below(n);
        if (a == b) continue;
        if (a < b) {
          std::rotate(trial.begin() + a, trial.begin() + a + 1, trial.begin() + b + 1);
        } else {
          std::rotate(trial.begin() + b, trial.begin() + a, trial.begin() + a + 1);
        }
      }
      const int64_t peak = greedy.Run(trial, best_fit, &off, &work);
      if (peak > cur_peak) continue;
      const int crit = critical(off, peak);
      if (peak == cur_peak && crit > cur_crit) continue;
      cur.swap(trial);
      cur_peak = peak;
      cur_crit = crit;
      cur_off.swap(off);
      if (peak < best.peak) {
        best.peak = peak;
        best.off = cur_off;
        improved = true;
      }
    }
    if (improved) best.how += "+local-search";
  }

  return best;
}

std::string Describe(int id, const MemoryPlanner::Buffer& b) {
  std::ostringstream os;
  os << "buffer " << id;
  if (!b.label.empty()) os << " '" << b.label << "'";
  os << " (bytes [" << b.offset << ", " << b.offset + b.size << "), steps " << b.first << ".."
     << b.last << ")";
  return os.str();
}

char IdChar(int id) {
  static const char kChars[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  return kChars[id % 62];
}

}  // namespace

MemoryPlanner::MemoryPlanner(int64_t alignment) : alignment_(alignment) {
  if (alignment_ < 1) {
    input_error_ = "alignment " + std::to_string(alignment) + " < 1, using 1";
    alignment_ = 1;
  }
}

int MemoryPlanner::AddBuffer(int64_t size, int first_step, int last_step, std::string label) {
  const int id = static_cast<int>(buffers_.size());
  auto error = [&](const std::string& what) {
    if (input_error_.empty()) input_error_ = "buffer " + std::to_string(id) + ": " + what;
  };
  if (size < 0) {
    error("negative size " + std::to_string(size) + " (treated as 0)");
    size = 0;
  }
  if (last_step < first_step) {
    error("last step " + std::to_string(last_step) + " < first step " +
          std::to_string(first_step) + " (swapped)");
    std::swap(first_step, last_step);
  }
  Buffer b;
  b.size = size;
  b.first = first_step;
  b.last = last_step;
  b.label = std::move(label);
  buffers_.push_back(std::move(b));
  // A new buffer invalidates any earlier plan.
  for (Buffer& x : buffers_) x.offset = -1;
  planned_ = false;
  peak_ = 0;
  strategy_.clear();
  return id;
}

int64_t MemoryPlanner::AlignedSize(int id) const {
  if (id < 0 || id >= NumBuffers()) return 0;
  return RoundUp(buffers_[id].size, alignment_);
}

bool MemoryPlanner::Attach(int inner, int outer, int64_t delta) {
  auto error = [&](const std::string& what) {
    if (input_error_.empty()) input_error_ = "attach " + std::to_string(inner) + ": " + what;
    return false;
  };
  if (inner < 0 || inner >= NumBuffers() || outer < 0 || outer >= NumBuffers() || inner == outer)
    return error("bad buffer ids");
  if (delta < 0 || delta % alignment_ != 0) return error("distance not a multiple of the alignment");
  if (buffers_[inner].attached_to >= 0) return error("buffer already attached");
  for (const Buffer& b : buffers_) {
    if (b.attached_to == outer) return error("target has an attached buffer already");
  }
  for (int o = outer; o >= 0; o = buffers_[o].attached_to) {
    if (o == inner) return error("attaching would make a cycle");
  }
  buffers_[inner].attached_to = outer;
  buffers_[inner].attach_delta = delta;
  for (Buffer& x : buffers_) x.offset = -1;
  planned_ = false;
  return true;
}

void MemoryPlanner::Plan() {
  std::vector<Item> items;
  std::vector<int> item_of(NumBuffers(), -1);
  for (int i = 0; i < NumBuffers(); ++i) {
    buffers_[i].offset = 0;
    if (buffers_[i].attached_to >= 0) continue;
    item_of[i] = static_cast<int>(items.size());
    items.push_back({i, AlignedSize(i), buffers_[i].first, buffers_[i].last, {}});
  }
  for (int i = 0; i < NumBuffers(); ++i) {
    const Buffer& b = buffers_[i];
    if (b.attached_to < 0) continue;
    // A chain (a attached to b attached to c): distances add up to the root's.
    int root = i;
    int64_t rel = 0;
    while (buffers_[root].attached_to >= 0) {
      rel += buffers_[root].attach_delta;
      root = buffers_[root].attached_to;
    }
    Item& it = items[item_of[root]];
    if (it.parts.empty()) it.parts.push_back(WholeItem(it));
    it.parts.push_back({i, rel, AlignedSize(i), b.first, b.last});
    it.size = std::max(it.size, rel + AlignedSize(i));
    it.first = std::min(it.first, b.first);
    it.last = std::max(it.last, b.last);
  }
  items.erase(std::remove_if(items.begin(), items.end(), [](const Item& it) { return it.size <= 0; }),
              items.end());
  planned_ = true;
  peak_ = 0;
  strategy_ = items.empty() ? "trivial" : "";
  if (items.empty()) return;

  // Split into components: sweeping by first step, a component ends where no buffer
  // seen so far is live past the next buffer's first step.
  std::vector<int> by_first(items.size());
  std::iota(by_first.begin(), by_first.end(), 0);
  std::stable_sort(by_first.begin(), by_first.end(),
                   [&](int a, int b) { return items[a].first < items[b].first; });
  std::vector<std::vector<Item>> comps;
  int reach = 0;
  for (int k : by_first) {
    if (comps.empty() || items[k].first > reach) {
      comps.emplace_back();
      reach = items[k].last;
    }
    reach = std::max(reach, items[k].last);
    comps.back().push_back(items[k]);
  }
  std::vector<int64_t> comp_lb(comps.size());
  for (size_t c = 0; c < comps.size(); ++c) {
    std::sort(comps[c].begin(), comps[c].end(),
              [](const Item& a, const Item& b) { return a.id < b.id; });
    comp_lb[c] = MaxLoad(comps[c]);
  }
  // Hardest components first: later ones only need to fit under the peak so far.
  std::vector<size_t> corder(comps.size());
  std::iota(corder.begin(), corder.end(), size_t{0});
  std::stable_sort(corder.begin(), corder.end(),
                   [&](size_t a, size_t b) { return comp_lb[a] > comp_lb[b]; });
  const int64_t lb = comp_lb[corder[0]];
  int64_t ls_left = kLocalSearchBudget, ex_left = kExactSearchBudget;
  std::string peak_how;
  for (size_t k = 0; k < corder.size(); ++k) {
    const std::vector<Item>& items_c = comps[corder[k]];
    const int64_t remaining = static_cast<int64_t>(corder.size() - k);
    const int64_t target = std::max(lb, peak_);
    Solution s = PlanComponent(items_c, target, ls_left / remaining, ex_left / remaining,
                               0x7417u + static_cast<uint64_t>(items_c[0].id));
    // Budgets are split evenly; what a component does not need is not tracked back.
    ls_left -= ls_left / remaining;
    ex_left -= ex_left / remaining;
    for (size_t i = 0; i < items_c.size(); ++i) {
      ForEachPart(items_c[i], [&](const Part& p) { buffers_[p.buffer].offset = s.off[i] + p.rel; });
    }
    if (s.peak > peak_ || peak_how.empty()) {
      if (s.peak > peak_) peak_ = s.peak;
      peak_how = s.how;
    }
  }
  strategy_ = peak_how;
  if (comps.size() > 1) strategy_ += " (" + std::to_string(comps.size()) + " independent groups)";
}

int64_t MemoryPlanner::Offset(int id) const {
  if (!planned_ || id < 0 || id >= NumBuffers()) return -1;
  return buffers_[id].offset;
}

int64_t MemoryPlanner::Peak() const { return planned_ ? peak_ : 0; }

int64_t MemoryPlanner::LowerBound() const {
  std::vector<Item> items;
  for (int i = 0; i < NumBuffers(); ++i)
    if (buffers_[i].size > 0) items.push_back({i, AlignedSize(i), buffers_[i].first, buffers_[i].last, {}});
  return MaxLoad(items);
}

void MemoryPlanner::SetOffsetForTesting(int id, int64_t offset) {
  if (id >= 0 && id < NumBuffers()) buffers_[id].offset = offset;
}

std::string MemoryPlanner::CheckOverlaps() const {
  if (!input_error_.empty()) return "invalid input: " + input_error_;
  if (!planned_) return "not planned (call Plan())";
  const int n = NumBuffers();
  for (int i = 0; i < n; ++i) {
    const Buffer& b = buffers_[i];
    if (b.size == 0) continue;
    if (b.offset < 0 || b.offset % alignment_ != 0 || b.offset + AlignedSize(i) > peak_) {
      std::ostringstream os;
      os << Describe(i, b);
      if (b.offset < 0) {
        os << " has a negative offset";
      } else if (b.offset % alignment_ != 0) {
        os << " is not aligned to " << alignment_;
      } else {
        os << " does not fit in the arena of " << peak_ << " bytes";
      }
      return os.str();
    }
  }
  for (int i = 0; i < n; ++i) {
    const Buffer& b = buffers_[i];
    if (b.attached_to >= 0 && b.offset != buffers_[b.attached_to].offset + b.attach_delta) {
      return Describe(i, b) + " is not at its attached distance " +
             std::to_string(b.attach_delta) + " from buffer " + std::to_string(b.attached_to);
    }
  }
  for (int i = 0; i < n; ++i) {
    const Buffer& a = buffers_[i];
    if (a.size == 0) continue;
    for (int j = i + 1; j < n; ++j) {
      const Buffer& b = buffers_[j];
      if (b.size == 0 || a.first > b.last || b.first > a.last) continue;
      if (a.attached_to == j || b.attached_to == i) continue;  // meant to share (in place)
      if (a.offset < b.offset + b.size && b.offset < a.offset + a.size)
        return Describe(i, a) + " and " + Describe(j, b) + " are live together and overlap";
    }
  }
  return "";
}

std::string MemoryPlanner::Dump() const {
  std::ostringstream os;
  const int n = NumBuffers();
  os << "Memory plan: " << n << " buffer" << (n == 1 ? "" : "s") << ", alignment " << alignment_;
  if (planned_) {
    os << ", peak " << peak_ << " bytes, lower bound " << LowerBound() << " bytes, strategy "
       << strategy_ << "\n";
  } else {
    os << ", not planned, lower bound " << LowerBound() << " bytes\n";
  }
  if (n == 0) return os.str();

  // Table.
  size_t lw = 5;
  for (const Buffer& b : buffers_) lw = std::max(lw, b.label.size());
  auto pad = [](const std::string& s, size_t w, bool left) {
    if (s.size() >= w) return s;
    return left ? s + std::string(w - s.size(), ' ') : std::string(w - s.size(), ' ') + s;
  };
  os << pad("id", 4, false) << "  ch  " << pad("label", lw, true) << "  " << pad("size", 10, false)
     << "  " << pad("offset", 10, false) << "  " << pad("end", 10, false) << "  steps\n";
  for (int i = 0; i < n; ++i) {
    const Buffer& b = buffers_[i];
    const bool placed = planned_ && b.size > 0;
    os << pad(std::to_string(i), 4, false) << "  " << (b.size > 0 ? IdChar(i) : ' ') << "   "
       << pad(b.label.empty() ? "-" : b.label, lw, true) << "  "
       << pad(std::to_string(b.size), 10, false) << "  "
       << pad(planned_ ? std::to_string(b.offset) : "-", 10, false) << "  "
       << pad(placed ? std::to_string(b.offset + b.size) : "-", 10, false) << "  " << b.first
       << ".." << b.last << "\n";
  }
  if (!planned_ || peak_ == 0) return os.str();

  // Picture: one row per step, one character per `scale` bytes of the arena; the
  // character names the buffer (the 'ch' column) covering the cell's first byte, or
  // the first one starting inside it; '.' is free, '!' marks two live buffers sharing
  // bytes (a broken plan).
  constexpr int64_t kWidth = 64;
  const int64_t scale = (peak_ + kWidth - 1) / kWidth;
  const int64_t cols = (peak_ + scale - 1) / scale;
  int lo = 0, hi = 0;
  bool any = false;
  for (const Buffer& b : buffers_) {
    if (b.size == 0) continue;
    lo = any ? std::min(lo, b.first) : b.first;
    hi = any ? std::max(hi, b.last) : b.last;
    any = true;
  }
  if (!any) return os.str();
  std::vector<int> rows;
  if (static_cast<int64_t>(hi) - lo <= 1000) {
    for (int s = lo;; ++s) {
      rows.push_back(s);
      if (s == hi) break;
    }
  } else {  // very long timelines: only the steps where some buffer starts
    for (const Buffer& b : buffers_)
      if (b.size > 0) rows.push_back(b.first);
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  }
  os << "Arena per step (" << scale << " byte" << (scale == 1 ? "" : "s")
     << " per character; live bytes at the right):\n";
  std::vector<int> live;
  for (int s : rows) {
    live.clear();
    int64_t bytes = 0;
    for (int i = 0; i < n; ++i) {
      const Buffer& b = buffers_[i];
      if (b.size > 0 && b.first <= s && s <= b.last) {
        live.push_back(i);
        bytes += b.size;
      }
    }
    std::string line(static_cast<size_t>(cols), '.');
    for (int64_t c = 0; c < cols; ++c) {
      const int64_t c0 = c * scale, c1 = c0 + scale;
      int cover = -1, starts = -1;
      int64_t starts_at = kInf;
      bool clash = false;
      for (size_t x = 0; x < live.size() && !clash; ++x) {
        const Buffer& a = buffers_[live[x]];
        const int64_t a1 = a.offset + a.size;
        if (a1 <= c0 || a.offset >= c1) continue;
        if (a.offset <= c0) cover = live[x];
        if (a.offset > c0 && a.offset < starts_at) {
          starts_at = a.offset;
          starts = live[x];
        }
        for (size_t y = x + 1; y < live.size(); ++y) {
          const Buffer& b = buffers_[live[y]];
          const int64_t o0 = std::max({a.offset, b.offset, c0});
          const int64_t o1 = std::min({a1, b.offset + b.size, c1});
          if (o0 < o1) clash = true;
        }
      }
      if (clash) {
        line[c] = '!';
      } else if (cover >= 0) {
        line[c] = IdChar(cover);
      } else if (starts >= 0) {
        line[c] = IdChar(starts);
      }
    }
    std::string step = std::to_string(s);
    os << "step " << pad(step, 4, false) << " |" << line << "| " << bytes << "\n";
  }
  return os.str();
}

}  // namespace tinymlc
