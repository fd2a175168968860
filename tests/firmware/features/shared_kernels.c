/*
 * shared_kernels.c - kws_ref_model (`kws`) and vww_96_int8 (`vww`), both --arena external,
 * in one buffer the application owns, run alternately: every golden case of each,
 * bit-exact, with the other model running in between. Linked twice by the feature build:
 * fw_shared_kernels with both models compiled together (`tinymlc compile kws.tflite
 * vww.tflite`: the kernels once, in tinyml_kernels.c) and fw_two_models_alone with each
 * compiled on its own; firmware_features_shared_kernels compares their flash.
 * Exit status: the number of failures.
 */
#include <stdint.h>

#include "golden.h"
#include "kws.h"
#include "vww.h"

extern const golden_case_t kws_golden[];
extern const size_t kws_golden_count;
extern const golden_case_t vww_golden[];
extern const size_t vww_golden_count;

#define SHARED_BYTES (KWS_ARENA_SIZE > VWW_ARENA_SIZE ? KWS_ARENA_SIZE : VWW_ARENA_SIZE)
static uint8_t shared_arena[SHARED_BYTES] __attribute__((aligned(16)));

int main(void) {
  const model_api_t kws = {"kws", kws_invoke, kws_input, kws_output, kws_input_info,
                           kws_output_info};
  const model_api_t vww = {"vww", vww_invoke, vww_input, vww_output, vww_input_info,
                           vww_output_info};
  int errors = 0;
  size_t k;
  put("shared kernels: one arena of ");
  put_uint((unsigned long)SHARED_BYTES);
  put(" bytes for kws (");
  put_uint((unsigned long)KWS_ARENA_SIZE);
  put(") and vww (");
  put_uint((unsigned long)VWW_ARENA_SIZE);
  put(")\n");
  errors += check(kws_set_arena(shared_arena, sizeof shared_arena) == TINYML_OK, "kws takes the arena");
  errors += check(vww_set_arena(shared_arena, sizeof shared_arena) == TINYML_OK, "vww takes it too");
  for (k = 0; k < kws_golden_count || k < vww_golden_count; ++k) {
    errors += run_golden_case(&kws, kws_golden, k % kws_golden_count);
    errors += run_golden_case(&vww, vww_golden, k % vww_golden_count);
  }
  put("shared_kernels done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors;
}
