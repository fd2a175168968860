/*
 * placement.c - kws_ref_model compiled with --weights-section .model_weights
 * --arena-section .model_arena --align 32 --weights-file --float-io, linked with
 * placement.ld (weights at 0x00200000, arena at 0x20300000). Runs every golden case
 * bit-exact, checks that the inputs and outputs are inside .model_arena, then runs the
 * golden inputs again through the float helpers (dequantized, then quantized back by
 * kws_set_input_float) and compares kws_get_output_float with the dequantized golden
 * output. Exit status: the number of failures.
 */
#include <stdint.h>
#include <string.h>

#include "golden.h"
#include "kws.h"

extern const golden_case_t kws_golden[];
extern const size_t kws_golden_count;
extern uint8_t __model_arena_start__[];
extern uint8_t __model_arena_end__[];

static int in_arena(const void *p) {
  const uint8_t *b = (const uint8_t *)p;
  return b >= __model_arena_start__ && b < __model_arena_end__;
}

static int float_case(const golden_case_t *c) {
  static float values[512];
  const tinyml_tensor_info_t *in = kws_input_info(0);
  const tinyml_tensor_info_t *out = kws_output_info(0);
  const int8_t *q = (const int8_t *)c->inputs[0].data;
  const int8_t *golden_out = (const int8_t *)c->outputs[0].data;
  size_t i;
  if (in->bytes > 512u || out->bytes > 512u) return 1;
  for (i = 0; i < in->bytes; ++i) values[i] = in->scale * (float)((int32_t)q[i] - in->zero_point);
  if (kws_set_input_float(0, values) != TINYML_OK) return 1;
  if (memcmp(kws_input(0), q, in->bytes) != 0) return 1;
  if (kws_invoke() != TINYML_OK) return 1;
  if (kws_get_output_float(0, values) != TINYML_OK) return 1;
  for (i = 0; i < out->bytes; ++i) {
    const float expected = out->scale * (float)((int32_t)golden_out[i] - out->zero_point);
    if (memcmp(&values[i], &expected, sizeof(float)) != 0) return 1;
  }
  return 0;
}

int main(void) {
  const model_api_t m = {"kws", kws_invoke, kws_input, kws_output, kws_input_info,
                         kws_output_info};
  float one = 1.0f;
  int errors = 0;
  size_t k;
  put("placement: arena ");
  put_uint((unsigned long)(uintptr_t)__model_arena_start__);
  put(" size ");
  put_uint((unsigned long)KWS_ARENA_SIZE);
  put("\n");
  for (k = 0; k < kws_golden_count; ++k) errors += run_golden_case(&m, kws_golden, k);
  errors += check(in_arena(kws_input(0)) && in_arena(kws_output(0)),
                  "input and output are in .model_arena");
  errors += check(((uintptr_t)__model_arena_start__ & 31u) == 0u, "arena aligned to 32");
  for (k = 0; k < kws_golden_count; ++k) {
    errors += check(float_case(&kws_golden[k]) == 0, "float I/O round trip of a golden case");
  }
  errors += check(kws_set_input_float(1, &one) == TINYML_BAD_ARGUMENT, "float input index 1 refused");
  errors += check(kws_get_output_float(0, NULL) == TINYML_BAD_ARGUMENT, "NULL values refused");
  put("placement done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors;
}
