/*
 * profile_kws.c - kws_ref_model compiled with --profile (as `kws`), timed by a clock the
 * application gives: the Cortex-M SysTick timer, counting down from 2^24 - 1 on the
 * processor clock and unwrapped here into a 32-bit count. QEMU's DWT does not count, but
 * its SysTick runs on virtual time, which `-icount shift=0` ties to the instructions
 * executed (one per nanosecond; the mps2-an386 processor clock is 25 MHz, so one tick per
 * 40 instructions). On a real board the same clock counts cycles (or use
 * kws_profile_enable_dwt()). Runs every golden case bit-exact with profiling on, checks
 * that every layer with multiply-accumulates has ticks and that the rows add up to no more than the whole invoke,
 * and prints the table of the last case. Exit status: the number of failures.
 */
#include <stdint.h>

#include "golden.h"
#include "kws.h"

extern const golden_case_t kws_golden[];
extern const size_t kws_golden_count;

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

static uint32_t systick_last;
static uint32_t systick_total;

static void systick_start(void) {
  SYST_RVR = 0x00FFFFFFu;
  SYST_CVR = 0u;
  SYST_CSR = 0x5u; /* ENABLE, CLKSOURCE = processor clock, no interrupt */
  systick_last = SYST_CVR & 0x00FFFFFFu;
  systick_total = 0u;
}

/* Ticks since systick_start(); called at least once per 2^24 ticks (every layer). */
static uint32_t systick_clock(void) {
  const uint32_t now = SYST_CVR & 0x00FFFFFFu;
  systick_total += (systick_last - now) & 0x00FFFFFFu; /* the counter counts down */
  systick_last = now;
  return systick_total;
}

int main(void) {
  const model_api_t m = {"kws", kws_invoke, kws_input, kws_output, kws_input_info,
                         kws_output_info};
  const tinyml_layer_time_t *table = NULL;
  size_t count = 0, i, k;
  uint32_t sum = 0, before, whole;
  int errors = 0, rows_ok = 1;
  systick_start();
  kws_set_profile_clock(systick_clock);
  for (k = 0; k + 1 < kws_golden_count; ++k) errors += run_golden_case(&m, kws_golden, k);
  before = systick_clock();
  errors += run_golden_case(&m, kws_golden, kws_golden_count - 1);
  whole = systick_clock() - before;
  errors += check(kws_profile(&table, &count) == TINYML_OK, "profile after an invoke");
  for (i = 0; i < count; ++i) {
    /* A layer with multiply-accumulates takes at least 40 instructions (one tick); a
     * RESHAPE may take less. */
    const char c = table[i].op_name[0];
    if ((c == 'C' || c == 'D' || c == 'F') && table[i].ticks == 0u) rows_ok = 0;
    sum += table[i].ticks;
  }
  errors += check(count > 0u && rows_ok, "every CONV/DEPTHWISE/FULLY_CONNECTED row has ticks");
  errors += check(sum <= whole, "the rows add up to no more than the whole case");
  kws_profile_print(put);
  put("whole case (input copy and check included): ");
  put_uint((unsigned long)whole);
  put(" ticks\nprofile_kws done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors;
}
