// tml_detection_postprocess_f32 on hand-computed boxes: zero encodings decode to the
// anchors themselves (center +- half the anchor's size); fast NMS keeps the best box of an
// overlapping pair (IoU 0.68 > 0.5) and the disjoint one; equal scores keep index order;
// an inverted box fails. The oracle test (op_models.py) checks the kernel against TFLM.
#include <gtest/gtest.h>

#include <vector>

#include "tml_kernels_decls.h"

namespace {

tml_detection_postprocess_params_t Params(int32_t boxes, int32_t max_det) {
  tml_detection_postprocess_params_t p = {};
  p.num_boxes = boxes;
  p.box_stride = 4;
  p.num_classes = 1;
  p.num_classes_with_background = 1;
  p.max_detections = max_det;
  p.max_classes_per_detection = 1;
  p.detections_per_class = 100;
  p.output_entries = max_det;
  p.score_threshold = 0.0f;
  p.iou_threshold = 0.5f;
  p.y_scale = p.x_scale = 10.0f;
  p.h_scale = p.w_scale = 5.0f;
  return p;
}

struct Outputs {
  std::vector<float> boxes, classes, scores, num;
  int status;
};

Outputs Invoke(const tml_detection_postprocess_params_t& p, const std::vector<float>& anchors,
           const std::vector<float>& scores) {
  std::vector<float> enc(static_cast<size_t>(p.num_boxes) * 4, 0.0f);
  std::vector<uint8_t> scratch(static_cast<size_t>(tml_detection_postprocess_scratch_bytes(&p)) + 4);
  Outputs r;
  r.boxes.assign(static_cast<size_t>(p.output_entries) * 4, -1.0f);
  r.classes.assign(static_cast<size_t>(p.output_entries), -1.0f);
  r.scores.assign(static_cast<size_t>(p.output_entries), -1.0f);
  r.num.assign(1, -1.0f);
  r.status = tml_detection_postprocess_f32(&p, enc.data(), scores.data(), anchors.data(), r.boxes.data(),
                                           r.classes.data(), r.scores.data(), r.num.data(),
                                           scratch.data());
  return r;
}

// Anchors (y, x, h, w): 0 and 1 overlap (IoU 0.0324 / 0.0476 = 0.68), 2 is apart.
const std::vector<float> kAnchors = {0.5f, 0.5f, 0.2f, 0.2f, 0.52f, 0.52f, 0.2f, 0.2f, 0.2f, 0.2f, 0.1f, 0.1f};

TEST(DetectionPostProcess, FastNmsKeepsTheBestOfAnOverlappingPair) {
  const Outputs r = Invoke(Params(3, 3), kAnchors, {0.6f, 0.9f, 0.3f});
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.num[0], 2.0f);
  // box 1 (0.52 +- 0.1), then box 2 (0.2 +- 0.05), then zeros
  EXPECT_NEAR(r.boxes[0], 0.42f, 1e-6);
  EXPECT_NEAR(r.boxes[3], 0.62f, 1e-6);
  EXPECT_NEAR(r.boxes[4], 0.15f, 1e-6);
  EXPECT_NEAR(r.boxes[7], 0.25f, 1e-6);
  EXPECT_EQ(r.boxes[8], 0.0f);
  EXPECT_EQ(r.scores[0], 0.9f);
  EXPECT_EQ(r.scores[1], 0.3f);
  EXPECT_EQ(r.scores[2], 0.0f);
  EXPECT_EQ(r.classes[0], 0.0f);
}

TEST(DetectionPostProcess, EqualScoresKeepIndexOrderAndThresholdDrops) {
  // boxes 0 and 2 tie; box 1 below the threshold
  const Outputs r = Invoke(Params(3, 3), kAnchors, {0.5f, -0.1f, 0.5f});
  ASSERT_EQ(r.status, 0);
  EXPECT_EQ(r.num[0], 2.0f);
  EXPECT_NEAR(r.boxes[0], 0.4f, 1e-6);   // box 0 first
  EXPECT_NEAR(r.boxes[4], 0.15f, 1e-6);  // then box 2
}

TEST(DetectionPostProcess, InvertedBoxFails) {
  std::vector<float> anchors = kAnchors;
  anchors[2] = -0.2f;  // negative height: ymin > ymax
  EXPECT_EQ(Invoke(Params(3, 3), anchors, {0.6f, 0.9f, 0.3f}).status, -1);
}

}  // namespace
