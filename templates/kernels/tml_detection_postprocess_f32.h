/*
 * tml_detection_postprocess_f32.h - TFLite_Detection_PostProcess, TFLM's custom operator
 * for SSD detectors (kernels/detection_postprocess.cc), float32:
 *   1. decode: each box's center-size encoding (y, x, h, w) against its anchor, in double
 *      as TFLM: center = e / scale * anchor size + anchor center, half size =
 *      0.5 * exp(e / scale) * anchor size, then the corners (ymin, xmin, ymax, xmax);
 *   2. non-maximum suppression, fast (each anchor's best class score; the best
 *      max_classes_per_detection classes of each kept anchor) or regular (per class,
 *      then the best max_detections over all classes).
 * Sorting follows TFLM: scores above the threshold in a stable descending merge sort
 * (insertion sort below 20 elements), top-k selections ordered by score then index.
 * A decoded box with ymin >= ymax or xmin >= xmax fails the invoke (returns -1), as TFLM.
 * The fast variant writes only the detections it finds; the rest of its outputs are zero.
 */
#ifndef TML_DETECTION_POSTPROCESS_F32_H
#define TML_DETECTION_POSTPROCESS_F32_H

#include <math.h>
#include <string.h>

#include "tml_float_common.h"

typedef struct {
  int32_t num_boxes;                   /* box encodings [1, num_boxes, box_stride] */
  int32_t box_stride;                  /* >= 4: y, x, h, w first */
  int32_t num_classes;                 /* option num_classes */
  int32_t num_classes_with_background; /* class predictions [1, num_boxes, this] */
  int32_t max_detections, max_classes_per_detection, detections_per_class;
  int32_t use_regular_nms;
  int32_t output_entries; /* detections the classes/scores outputs hold (boxes: 4 floats each) */
  float score_threshold, iou_threshold;
  float y_scale, x_scale, h_scale, w_scale;
} tml_detection_postprocess_params_t;

/* Scratch: see tml_detection_postprocess_scratch_bytes(); 4-byte aligned. */
TML_KERNEL int32_t tml_detection_postprocess_scratch_bytes(const tml_detection_postprocess_params_t *p);
TML_KERNEL int tml_detection_postprocess_f32(const tml_detection_postprocess_params_t *p,
                                             const float *boxes, const float *scores,
                                             const float *anchors, float *out_boxes,
                                             float *out_classes, float *out_scores,
                                             float *out_num, void *scratch);

#ifndef TML_DECLARATIONS_ONLY

/* TFLM's DecreasingPartialArgSort order: i before j when
 * std::tie(v[i], j) > std::tie(v[j], i) (higher score first, then lower index). */
static int tml_dp_before(const float *v, int32_t i, int32_t j) {
  return v[j] < v[i] || (!(v[i] < v[j]) && i < j);
}

/* The first k of idx[0, n) in that order (TFLM only reads those k). */
static void tml_dp_top_k(const float *v, int32_t n, int32_t k, int32_t *idx) {
  int32_t r, j;
  for (r = 0; r < n; ++r) idx[r] = r;
  for (r = 0; r < k; ++r) {
    int32_t best = r;
    for (j = r + 1; j < n; ++j) {
      if (tml_dp_before(v, idx[j], idx[best])) best = j;
    }
    if (best != r) {
      const int32_t t = idx[r];
      idx[r] = idx[best];
      idx[best] = t;
    }
  }
}

/* TFLM's InsertionSort: each element moved to std::upper_bound of the sorted prefix
 * under v[a] > v[b]. */
static void tml_dp_insertion_sort(int32_t *a, int32_t n, const float *v) {
  int32_t i, k;
  for (i = 0; i < n; ++i) {
    const int32_t val = a[i];
    int32_t first = 0, len = i;
    while (len > 0) {
      const int32_t half = len >> 1, mid = first + half;
      if (v[val] > v[a[mid]]) {
        len = half;
      } else {
        first = mid + 1;
        len = len - half - 1;
      }
    }
    for (k = i; k > first; --k) a[k] = a[k - 1];
    a[first] = val;
  }
}

/* TFLM's MergeSort / TopDownMerge (stable, descending). */
static void tml_dp_merge_sort(int32_t *a, int32_t *scratch, int32_t n, const float *v) {
  int32_t half, left, right, i;
  if (n < 20) {
    tml_dp_insertion_sort(a, n, v);
    return;
  }
  half = n / 2;
  tml_dp_merge_sort(a, scratch, half, v);
  tml_dp_merge_sort(a + half, scratch, n - half, v);
  left = 0;
  right = half;
  for (i = 0; i < n; ++i) {
    if (left >= half || (right < n && v[a[right]] > v[a[left]])) {
      scratch[i] = a[right++];
    } else {
      scratch[i] = a[left++];
    }
  }
  memcpy(a, scratch, (size_t)n * sizeof(int32_t));
}

/* TFLM's ComputeIntersectionOverUnion on decoded boxes (ymin, xmin, ymax, xmax). */
static float tml_dp_iou(const float *boxes, int32_t i, int32_t j) {
  const float *bi = boxes + 4 * i, *bj = boxes + 4 * j;
  const float area_i = (bi[2] - bi[0]) * (bi[3] - bi[1]);
  const float area_j = (bj[2] - bj[0]) * (bj[3] - bj[1]);
  float ymin, xmin, ymax, xmax, h, w, inter;
  if (area_i <= 0 || area_j <= 0) return 0.0f;
  ymin = bi[0] < bj[0] ? bj[0] : bi[0];
  xmin = bi[1] < bj[1] ? bj[1] : bi[1];
  ymax = bj[2] < bi[2] ? bj[2] : bi[2];
  xmax = bj[3] < bi[3] ? bj[3] : bi[3];
  h = ymax - ymin;
  w = xmax - xmin;
  if (h < 0.0f) h = 0.0f;
  if (w < 0.0f) w = 0.0f;
  inter = h * w;
  return inter / (area_i + area_j - inter);
}

/* The scratch, in 4-byte words: decoded boxes, then the per-call arrays. */
typedef struct {
  float *decoded;      /* 4 * num_boxes */
  float *class_scores; /* num_boxes (a class's scores, or each anchor's best) */
  float *keep_scores;  /* num_boxes */
  int32_t *keep_idx;   /* num_boxes (also the merge sort's scratch) */
  int32_t *sorted;     /* num_boxes + max_detections */
  int32_t *selected;   /* num_boxes */
  int32_t *active;     /* num_boxes */
  int32_t *after_idx;  /* regular: num_boxes + max_detections */
  float *after_scores; /* regular: num_boxes + max_detections */
  float *sorted_vals;  /* regular: max_detections */
  int32_t *class_idx;  /* fast: num_boxes * num_classes */
} tml_dp_scratch_t;

static int32_t tml_dp_layout(const tml_detection_postprocess_params_t *p, void *base,
                             tml_dp_scratch_t *s) {
  const int32_t nb = p->num_boxes, md = p->max_detections;
  int32_t *w = (int32_t *)base;
  int32_t at = 0;
#define TML_DP_TAKE(field, type, n) \
  do {                              \
    if (s) s->field = (type *)(void *)(w + at); \
    at += (n);                      \
  } while (0)
  TML_DP_TAKE(decoded, float, 4 * nb);
  TML_DP_TAKE(class_scores, float, nb);
  TML_DP_TAKE(keep_scores, float, nb);
  TML_DP_TAKE(keep_idx, int32_t, nb);
  TML_DP_TAKE(sorted, int32_t, nb + md);
  TML_DP_TAKE(selected, int32_t, nb);
  TML_DP_TAKE(active, int32_t, nb);
  if (p->use_regular_nms) {
    TML_DP_TAKE(after_idx, int32_t, nb + md);
    TML_DP_TAKE(after_scores, float, nb + md);
    TML_DP_TAKE(sorted_vals, float, md);
  } else {
    TML_DP_TAKE(class_idx, int32_t, nb * p->num_classes);
  }
#undef TML_DP_TAKE
  return at;
}

TML_KERNEL int32_t tml_detection_postprocess_scratch_bytes(const tml_detection_postprocess_params_t *p) {
  return 4 * tml_dp_layout(p, NULL, NULL);
}

/* TFLM's NonMaxSuppressionSingleClassHelper: the selected boxes' indices, best first.
 * Returns -1 when a decoded box is empty or inverted. */
static int tml_dp_nms(const tml_detection_postprocess_params_t *p, const tml_dp_scratch_t *s,
                      const float *scores, int32_t max_det, int32_t *selected_size) {
  const int32_t nb = p->num_boxes;
  int32_t i, j, kept = 0, counter = 0, out_size, active_count;
  for (i = 0; i < nb; ++i) {
    const float *b = s->decoded + 4 * i;
    if (b[0] >= b[2] || b[1] >= b[3]) return -1;
  }
  for (i = 0; i < nb; ++i) {
    if (scores[i] >= p->score_threshold) {
      s->keep_scores[kept] = scores[i];
      s->keep_idx[kept] = i;
      ++kept;
    }
  }
  for (i = 0; i < kept; ++i) s->sorted[i] = i;
  tml_dp_merge_sort(s->sorted, s->keep_idx, kept, s->keep_scores);
  for (i = 0; i < nb; ++i) {
    if (scores[i] >= p->score_threshold) s->keep_idx[counter++] = i;
  }
  out_size = kept < max_det ? kept : max_det;
  *selected_size = 0;
  active_count = kept;
  for (i = 0; i < kept; ++i) s->active[i] = 1;
  for (i = 0; i < kept; ++i) {
    if (active_count == 0 || *selected_size >= out_size) break;
    if (!s->active[i]) continue;
    s->selected[(*selected_size)++] = s->keep_idx[s->sorted[i]];
    s->active[i] = 0;
    --active_count;
    for (j = i + 1; j < kept; ++j) {
      if (s->active[j] &&
          tml_dp_iou(s->decoded, s->keep_idx[s->sorted[i]], s->keep_idx[s->sorted[j]]) > p->iou_threshold) {
        s->active[j] = 0;
        --active_count;
      }
    }
  }
  return 0;
}

TML_KERNEL int tml_detection_postprocess_f32(const tml_detection_postprocess_params_t *p,
                                             const float *boxes, const float *scores,
                                             const float *anchors, float *out_boxes,
                                             float *out_classes, float *out_scores,
                                             float *out_num, void *scratch) {
  const int32_t nb = p->num_boxes, ncwb = p->num_classes_with_background, nc = p->num_classes;
  const int32_t label_offset = ncwb - nc, md = p->max_detections;
  tml_dp_scratch_t s;
  int32_t i, row, col, selected_size = 0;
  (void)tml_dp_layout(p, scratch, &s);

  for (i = 0; i < nb; ++i) {
    const float *e = boxes + (size_t)i * (size_t)p->box_stride;
    const float *a = anchors + 4 * i; /* y, x, h, w */
    float *d = s.decoded + 4 * i;
    const float yc = (float)((double)e[0] / (double)p->y_scale * (double)a[2] + (double)a[0]);
    const float xc = (float)((double)e[1] / (double)p->x_scale * (double)a[3] + (double)a[1]);
    const float hh = (float)(0.5 * exp((double)e[2] / (double)p->h_scale) * (double)a[2]);
    const float hw = (float)(0.5 * exp((double)e[3] / (double)p->w_scale) * (double)a[3]);
    d[0] = yc - hh;
    d[1] = xc - hw;
    d[2] = yc + hh;
    d[3] = xc + hw;
  }

  if (p->use_regular_nms) {
    int32_t size_sorted = 0;
    for (col = 0; col < nc; ++col) {
      int32_t out_index = size_sorted, k;
      for (row = 0; row < nb; ++row) s.class_scores[row] = scores[row * ncwb + col + label_offset];
      if (tml_dp_nms(p, &s, s.class_scores, p->detections_per_class, &selected_size) != 0) return -1;
      for (i = 0; i < selected_size; ++i) {
        const int32_t si = s.selected[i];
        s.after_idx[out_index] = si * ncwb + col + label_offset;
        s.after_scores[out_index] = s.class_scores[si];
        ++out_index;
      }
      k = out_index < md ? out_index : md;
      tml_dp_top_k(s.after_scores, out_index, k, s.sorted);
      for (row = 0; row < k; ++row) {
        const int32_t t = s.sorted[row];
        s.sorted[row] = s.after_idx[t];
        s.sorted_vals[row] = s.after_scores[t];
      }
      for (row = 0; row < k; ++row) {
        s.after_idx[row] = s.sorted[row];
        s.after_scores[row] = s.sorted_vals[row];
      }
      size_sorted = k;
    }
    for (i = 0; i < md; ++i) {
      if (i < size_sorted) {
        const int32_t anchor = s.after_idx[i] / ncwb;
        const int32_t cls = s.after_idx[i] - anchor * ncwb - label_offset;
        memcpy(out_boxes + 4 * i, s.decoded + 4 * anchor, 4 * sizeof(float));
        out_classes[i] = (float)cls;
        out_scores[i] = s.after_scores[i];
      } else {
        out_boxes[4 * i] = out_boxes[4 * i + 1] = out_boxes[4 * i + 2] = out_boxes[4 * i + 3] = 0.0f;
        out_classes[i] = 0.0f;
        out_scores[i] = 0.0f;
      }
    }
    out_num[0] = (float)size_sorted;
  } else {
    const int32_t k = p->max_classes_per_detection < nc ? p->max_classes_per_detection : nc;
    int32_t out_index = 0;
    memset(out_boxes, 0, (size_t)p->output_entries * 4 * sizeof(float));
    memset(out_classes, 0, (size_t)p->output_entries * sizeof(float));
    memset(out_scores, 0, (size_t)p->output_entries * sizeof(float));
    for (row = 0; row < nb; ++row) {
      const float *bs = scores + row * ncwb + label_offset;
      int32_t *ci = s.class_idx + row * nc;
      tml_dp_top_k(bs, nc, k, ci);
      s.class_scores[row] = bs[ci[0]];
    }
    if (tml_dp_nms(p, &s, s.class_scores, md, &selected_size) != 0) return -1;
    for (i = 0; i < selected_size; ++i) {
      const int32_t si = s.selected[i];
      const float *bs = scores + si * ncwb + label_offset;
      const int32_t *ci = s.class_idx + si * nc;
      for (col = 0; col < k; ++col) {
        /* TFLM's offset: out_index counts every written entry (k > 1 leaves gaps). */
        const int32_t at = k * out_index + col;
        memcpy(out_boxes + 4 * at, s.decoded + 4 * si, 4 * sizeof(float));
        out_classes[at] = (float)ci[col];
        out_scores[at] = bs[ci[col]];
        ++out_index;
      }
    }
    out_num[0] = (float)out_index;
  }
  return 0;
}

#endif /* TML_DECLARATIONS_ONLY */

#endif /* TML_DETECTION_POSTPROCESS_F32_H */
