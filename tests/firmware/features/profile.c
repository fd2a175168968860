/*
 * profile.c - micro_speech_quantized compiled with --profile (as `speech`). QEMU's DWT
 * does not count, so the clock is a fake one that advances 1000 ticks a call: every row
 * of the profile must read 1000. Runs the golden cases bit-exact with the profiling on,
 * checks the table and prints it with speech_profile_print(); then enables the DWT
 * clock (which must succeed on the M4) and runs again. Exit status: the number of
 * failures.
 */
#include <stdint.h>
#include <string.h>

#include "golden.h"
#include "speech.h"

extern const golden_case_t speech_golden[];
extern const size_t speech_golden_count;

static uint32_t fake_now = 0xFFFFF000u; /* wraps around during the run */
static uint32_t fake_clock(void) {
  fake_now += 1000u;
  return fake_now;
}

int main(void) {
  const model_api_t m = {"speech", speech_invoke, speech_input, speech_output,
                         speech_input_info, speech_output_info};
  const tinyml_layer_time_t *table = NULL;
  size_t count = 0, i;
  int errors = 0, rows_ok = 1;
  errors += check(speech_profile(&table, &count) == TINYML_ERROR, "no profile before an invoke");
  errors += check(speech_profile(NULL, &count) == TINYML_BAD_ARGUMENT, "NULL table refused");
  errors += run_golden_case(&m, speech_golden, 0); /* no clock yet: nothing timed */
  errors += check(speech_profile(&table, &count) == TINYML_ERROR, "no profile without a clock");
  speech_set_profile_clock(fake_clock);
  for (i = 0; i < speech_golden_count; ++i) errors += run_golden_case(&m, speech_golden, i);
  errors += check(speech_profile(&table, &count) == TINYML_OK, "profile after an invoke");
  errors += check(count > 0u && count <= SPEECH_NUM_OPERATORS, "one row per operator with code");
  for (i = 0; i < count; ++i) {
    if (table[i].ticks != 1000u || table[i].op_name == NULL || table[i].op_name[0] == '\0' ||
        (i > 0 && table[i].op_index <= table[i - 1].op_index)) {
      rows_ok = 0;
    }
  }
  errors += check(rows_ok, "every row: 1000 ticks, a name, increasing op index");
  speech_profile_print(put);
  /* The DWT counter: enabling it must work on the M4 (QEMU accepts the writes but its
   * counter stays at 0, so the ticks are not checked). */
  errors += check(speech_profile_enable_dwt() == TINYML_OK, "DWT cycle counter enabled");
  errors += run_golden_case(&m, speech_golden, 1);
  errors += check(speech_profile(&table, &count) == TINYML_OK, "profile with the DWT clock");
  put("profile done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors;
}
