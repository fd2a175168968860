// Round trip: models written by the builder, read back with the flatc-generated
// reader (and the Verifier), and with the test loader.
#include <gtest/gtest.h>

#include <cstdio>

#include "model_builder.h"
#include "tflite_loader.h"
#include "tflite_subset_generated.h"

namespace tinymlc::testing {
namespace {

// A small conv model exercising constants, per-channel quantization and options.
ModelSpec ConvModel() {
  ModelSpec m;
  const int in = m.AddTensor(Int8Tensor("in", {1, 5, 5, 2}, 0.5f, -3));
  const int w = m.AddTensor(ConstInt8("w", {3, 3, 3, 2}, RandomInt8(54, 7), {0.1f, 0.2f, 0.3f}));
  const int b = m.AddTensor(ConstInt32("b", {3}, {1, -2, 3}, {0.05f, 0.1f, 0.15f}));
  const int out = m.AddTensor(Int8Tensor("out", {1, 3, 3, 3}, 0.25f, 7));
  Conv2DOpts o;
  o.padding = kValid;
  o.stride_w = 2;
  o.stride_h = 2;
  o.dilation_w = 1;
  o.dilation_h = 1;
  o.activation = kActRelu6;
  m.AddOp(op::kConv2D, {in, w, b}, {out}, o);
  const int flat = m.AddTensor(Int8Tensor("flat", {1, 27}, 0.25f, 7));
  m.AddOp(op::kReshape, {out}, {flat}, ReshapeOpts{{1, 27}, true});
  m.inputs = {in};
  m.outputs = {flat};
  return m;
}

TEST(ModelBuilder, SerializedModelVerifiesAndHasTfliteLayout) {
  const std::vector<uint8_t> bytes = ConvModel().Serialize();
  flatbuffers::Verifier verifier(bytes.data(), bytes.size());
  ASSERT_TRUE(tflite::VerifyModelBuffer(verifier));
  ASSERT_TRUE(tflite::ModelBufferHasIdentifier(bytes.data()));
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(bytes.data()) + 4, 4), "TFL3");

  const tflite::Model* model = tflite::GetModel(bytes.data());
  EXPECT_EQ(model->version(), 3u);
  ASSERT_EQ(model->subgraphs()->size(), 1u);
  // Buffer 0 is the empty sentinel; the two constants have their own buffers.
  ASSERT_EQ(model->buffers()->size(), 3u);
  EXPECT_TRUE(model->buffers()->Get(0)->data() == nullptr ||
              model->buffers()->Get(0)->data()->size() == 0);

  const tflite::SubGraph* sg = model->subgraphs()->Get(0);
  ASSERT_EQ(sg->tensors()->size(), 5u);
  const tflite::Tensor* in = sg->tensors()->Get(0);
  EXPECT_EQ(in->name()->str(), "in");
  EXPECT_EQ(in->type(), tflite::TensorType::INT8);
  EXPECT_EQ(in->buffer(), 0u);
  EXPECT_EQ(in->quantization()->scale()->Get(0), 0.5f);
  EXPECT_EQ(in->quantization()->zero_point()->Get(0), -3);

  const tflite::Tensor* w = sg->tensors()->Get(1);
  EXPECT_EQ(w->buffer(), 1u);
  ASSERT_EQ(w->quantization()->scale()->size(), 3u);
  EXPECT_EQ(w->quantization()->scale()->Get(2), 0.3f);
  EXPECT_EQ(w->quantization()->quantized_dimension(), 0);
  const auto* wdata = model->buffers()->Get(1)->data();
  ASSERT_EQ(wdata->size(), 54u);
  EXPECT_EQ(static_cast<int8_t>(wdata->Get(0)), RandomInt8(54, 7)[0]);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(wdata->data()) % 16, 0u) << "constant data 16-aligned";

  const tflite::Tensor* b = sg->tensors()->Get(2);
  EXPECT_EQ(b->type(), tflite::TensorType::INT32);
  EXPECT_EQ(b->buffer(), 2u);

  ASSERT_EQ(model->operator_codes()->size(), 2u);
  EXPECT_EQ(model->operator_codes()->Get(0)->builtin_code(), tflite::BuiltinOperator::CONV_2D);
  EXPECT_EQ(model->operator_codes()->Get(0)->deprecated_builtin_code(), 3);
  EXPECT_EQ(model->operator_codes()->Get(1)->builtin_code(), tflite::BuiltinOperator::RESHAPE);

  ASSERT_EQ(sg->operators()->size(), 2u);
  const tflite::Operator* conv = sg->operators()->Get(0);
  EXPECT_EQ(conv->opcode_index(), 0u);
  EXPECT_EQ(conv->inputs()->size(), 3u);
  const tflite::Conv2DOptions* co = conv->builtin_options_as_Conv2DOptions();
  ASSERT_NE(co, nullptr);
  EXPECT_EQ(co->padding(), tflite::Padding::VALID);
  EXPECT_EQ(co->stride_w(), 2);
  EXPECT_EQ(co->stride_h(), 2);
  EXPECT_EQ(co->fused_activation_function(), tflite::ActivationFunctionType::RELU6);
  const tflite::ReshapeOptions* ro = sg->operators()->Get(1)->builtin_options_as_ReshapeOptions();
  ASSERT_NE(ro, nullptr);
  ASSERT_EQ(ro->new_shape()->size(), 2u);
  EXPECT_EQ(ro->new_shape()->Get(1), 27);

  EXPECT_EQ(sg->inputs()->Get(0), 0);
  EXPECT_EQ(sg->outputs()->Get(0), 4);
}

TEST(ModelBuilder, SerializeIsDeterministic) {
  EXPECT_EQ(ConvModel().Serialize(), ConvModel().Serialize());
}

TEST(ModelBuilder, DefaultPaddingFieldIsAbsentAndMeansSame) {
  ModelSpec m = ConvModel();
  std::get<Conv2DOpts>(m.ops[0].options).padding = kSame;
  const std::vector<uint8_t> bytes = m.Serialize();
  const tflite::Model* model = tflite::GetModel(bytes.data());
  const auto* co =
      model->subgraphs()->Get(0)->operators()->Get(0)->builtin_options_as_Conv2DOptions();
  ASSERT_NE(co, nullptr);
  // flatbuffers does not store default values: the padding field is not in the table.
  EXPECT_FALSE(reinterpret_cast<const flatbuffers::Table*>(co)->CheckField(
      tflite::Conv2DOptions::VT_PADDING));
  EXPECT_EQ(co->padding(), tflite::Padding::SAME);
}

TEST(ModelBuilder, OmitOptionsWritesNoOptionsTable) {
  ModelSpec m = ConvModel();
  m.ops[0].omit_options = true;
  const std::vector<uint8_t> bytes = m.Serialize();
  const tflite::Operator* conv =
      tflite::GetModel(bytes.data())->subgraphs()->Get(0)->operators()->Get(0);
  EXPECT_EQ(conv->builtin_options_type(), tflite::BuiltinOptions::NONE);
  EXPECT_EQ(conv->builtin_options(), nullptr);
}

TEST(ModelBuilder, LargeBuiltinCodeUsesPlaceholderInDeprecatedField) {
  ModelSpec m;
  const int a = m.AddActivation("a", DT::kInt8, {4}, 1.0f, 0);
  const int b = m.AddActivation("b", DT::kInt8, {4}, 1.0f, 0);
  m.AddOp(150 /* GELU */, {a}, {b});
  m.inputs = {a};
  m.outputs = {b};
  const std::vector<uint8_t> bytes = m.Serialize();
  const tflite::OperatorCode* code = tflite::GetModel(bytes.data())->operator_codes()->Get(0);
  EXPECT_EQ(code->deprecated_builtin_code(), 127);
  EXPECT_EQ(code->builtin_code(), tflite::BuiltinOperator::GELU);
}

TEST(ModelBuilder, LoaderReadsBackWhatTheBuilderWrote) {
  const ModelSpec m = ConvModel();
  const std::vector<uint8_t> bytes = m.Serialize();
  ModelSpec back;
  std::string error;
  ASSERT_TRUE(LoadTfliteBuffer(bytes.data(), bytes.size(), &back, &error)) << error;
  ASSERT_EQ(back.tensors.size(), m.tensors.size());
  for (size_t i = 0; i < m.tensors.size(); ++i) {
    EXPECT_EQ(back.tensors[i].name, m.tensors[i].name);
    EXPECT_EQ(back.tensors[i].dtype, m.tensors[i].dtype);
    EXPECT_EQ(back.tensors[i].shape, m.tensors[i].shape);
    EXPECT_EQ(back.tensors[i].scale, m.tensors[i].scale);
    EXPECT_EQ(back.tensors[i].zero_point, m.tensors[i].zero_point);
    EXPECT_EQ(back.tensors[i].data, m.tensors[i].data);
  }
  ASSERT_EQ(back.ops.size(), 2u);
  EXPECT_EQ(back.ops[0].builtin_code, op::kConv2D);
  EXPECT_EQ(back.ops[0].inputs, m.ops[0].inputs);
  const auto& co = std::get<Conv2DOpts>(back.ops[0].options);
  EXPECT_EQ(co.padding, kValid);
  EXPECT_EQ(co.stride_w, 2);
  EXPECT_EQ(co.activation, kActRelu6);
  EXPECT_EQ(std::get<ReshapeOpts>(back.ops[1].options).new_shape, (std::vector<int32_t>{1, 27}));
  EXPECT_EQ(back.inputs, m.inputs);
  EXPECT_EQ(back.outputs, m.outputs);
  // Serializing the loaded spec again gives the same bytes.
  EXPECT_EQ(back.Serialize(), bytes);
}

TEST(ModelBuilder, WriteFileAndValidate) {
  const std::string path = ::testing::TempDir() + "/builder_test.tflite";
  std::string error;
  ASSERT_TRUE(ConvModel().WriteFile(path, &error)) << error;
  ModelSpec back;
  ASSERT_TRUE(LoadTfliteFile(path, &back, &error)) << error;
  EXPECT_EQ(back.tensors.size(), 5u);
  std::remove(path.c_str());

  ModelSpec bad = ConvModel();
  bad.tensors[1].data.pop_back();
  EXPECT_FALSE(bad.WriteFile(path, &error));
  EXPECT_NE(error.find("data bytes"), std::string::npos) << error;
  EXPECT_FALSE(ConvModel().WriteFile("/nonexistent-dir/x.tflite", &error));
}

TEST(ModelBuilder, DataHelpers) {
  EXPECT_EQ(UnpackInt32(PackInt32({1, -2, 70000})), (std::vector<int32_t>{1, -2, 70000}));
  EXPECT_EQ(UnpackFloat(PackFloat({0.5f, -3.0f})), (std::vector<float>{0.5f, -3.0f}));
  EXPECT_EQ(RandomInt8(10, 3), RandomInt8(10, 3));
  EXPECT_NE(RandomInt8(10, 3), RandomInt8(10, 4));
  for (int8_t v : RandomInt8(1000, 5, -3, 3)) {
    EXPECT_GE(v, -3);
    EXPECT_LE(v, 3);
  }
  // Per-channel symmetric weights: each channel's largest magnitude maps to 127.
  const QuantizedWeights q =
      QuantizeWeightsSymmetric({1.0f, -0.5f, 0.25f, 0.1f, -0.2f, 0.0f}, {2, 3}, 0, true);
  ASSERT_EQ(q.scales.size(), 2u);
  EXPECT_FLOAT_EQ(q.scales[0], 1.0f / 127);
  EXPECT_FLOAT_EQ(q.scales[1], 0.2f / 127);
  EXPECT_EQ(q.values, (std::vector<int8_t>{127, -64, 32, 64, -127, 0}));
  EXPECT_EQ(QuantizeBias({1.0f}, 0.5f, {0.25f}), (std::vector<int32_t>{8}));
  const QuantParams p = ChooseQuantParams(-1.0f, 1.0f);
  EXPECT_FLOAT_EQ(p.scale, 2.0f / 255);
  EXPECT_EQ(ChooseQuantParams(0.0f, 6.0f).zero_point, -128);
  EXPECT_EQ(ChooseQuantParams(-6.0f, 0.0f).zero_point, 127);
}

}  // namespace
}  // namespace tinymlc::testing
