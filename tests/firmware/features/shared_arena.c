/*
 * shared_arena.c - two models compiled with --arena external (kws_ref_model as `kws`,
 * micro_speech_quantized as `speech`) take their memory from one buffer the application
 * owns, and run alternately: every golden case of each, bit-exact, with the other model
 * running in between. Before that: the errors of kws_set_arena() (NULL, too small,
 * misaligned) and invoke without an arena. Exit status: the number of failures.
 */
#include <stdint.h>
#include <string.h>

#include "golden.h"
#include "kws.h"
#include "speech.h"

extern const golden_case_t kws_golden[];
extern const size_t kws_golden_count;
extern const golden_case_t speech_golden[];
extern const size_t speech_golden_count;

#define SHARED_BYTES (KWS_ARENA_SIZE > SPEECH_ARENA_SIZE ? KWS_ARENA_SIZE : SPEECH_ARENA_SIZE)
static uint8_t shared_arena[SHARED_BYTES + 16] __attribute__((aligned(16)));

int main(void) {
  const model_api_t kws = {"kws", kws_invoke, kws_input, kws_output, kws_input_info,
                           kws_output_info};
  const model_api_t speech = {"speech", speech_invoke, speech_input, speech_output,
                              speech_input_info, speech_output_info};
  int errors = 0;
  size_t k;
  put("shared arena: ");
  put_uint((unsigned long)SHARED_BYTES);
  put(" bytes for kws (");
  put_uint((unsigned long)KWS_ARENA_SIZE);
  put(") and speech (");
  put_uint((unsigned long)SPEECH_ARENA_SIZE);
  put(")\n");

  errors += check(kws_invoke() == TINYML_ERROR, "invoke before set_arena fails");
  errors += check(kws_input(0) == NULL && kws_output(0) == NULL, "no input/output before set_arena");
  errors += check(kws_set_arena(NULL, SHARED_BYTES) == TINYML_BAD_ARGUMENT, "NULL refused");
  errors += check(kws_set_arena(shared_arena, KWS_ARENA_SIZE - 1) == TINYML_BAD_ARGUMENT,
                  "one byte too small refused");
  errors += check(kws_set_arena(shared_arena + 4, KWS_ARENA_SIZE) == TINYML_BAD_ARGUMENT,
                  "misaligned refused");
  errors += check(kws_set_arena(shared_arena, KWS_ARENA_SIZE) == TINYML_OK, "exact size accepted");
  errors += check(kws_set_arena(shared_arena + 8, KWS_ARENA_SIZE) == TINYML_BAD_ARGUMENT,
                  "misaligned refused after a good one");
  errors += check(kws_invoke() == TINYML_ERROR, "invoke after a refused set_arena fails");

  /* Leftovers of nothing: the models must not need a zeroed arena. */
  memset(shared_arena, 0xA5, sizeof(shared_arena));
  errors += check(kws_set_arena(shared_arena, SHARED_BYTES) == TINYML_OK, "kws takes the arena");
  errors += check(speech_set_arena(shared_arena, SHARED_BYTES) == TINYML_OK, "speech takes it too");
  errors += check((uint8_t *)kws_input(0) >= shared_arena &&
                  (uint8_t *)kws_input(0) < shared_arena + KWS_ARENA_SIZE,
                  "kws input inside the shared arena");
  for (k = 0; k < kws_golden_count || k < speech_golden_count; ++k) {
    errors += run_golden_case(&kws, kws_golden, k % kws_golden_count);
    errors += run_golden_case(&speech, speech_golden, k % speech_golden_count);
  }
  put("shared_arena done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors;
}
