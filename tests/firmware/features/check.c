/* check.c - the checks the feature firmwares share (golden.h). */
#include <string.h>

#include "golden.h"
#include "tinymlc_board.h"

void put(const char *text) { tinymlc_board_puts(text); }

void put_uint(unsigned long value) {
  char buf[24];
  int pos = 23;
  buf[pos] = '\0';
  do {
    buf[--pos] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u && pos > 0);
  put(buf + pos);
}

int check(int ok, const char *what) {
  put("check ");
  put(what);
  put(ok ? ": ok\n" : ": FAILED\n");
  return ok ? 0 : 1;
}

int run_golden_case(const model_api_t *m, const golden_case_t *cases, size_t k) {
  const golden_case_t *c = &cases[k];
  tinyml_status_t status;
  size_t i;
  put(m->name);
  put(" case ");
  put_uint((unsigned long)k);
  for (i = 0; i < c->num_inputs; ++i) {
    const tinyml_tensor_info_t *info = m->input_info(i);
    void *dst = m->input(i);
    if (info == NULL || dst == NULL || info->bytes != c->inputs[i].bytes) {
      put(": input does not fit\n");
      return 1;
    }
    memcpy(dst, c->inputs[i].data, c->inputs[i].bytes);
  }
  status = m->invoke();
  if (status != TINYML_OK) {
    put(": invoke failed\n");
    return 1;
  }
  for (i = 0; i < c->num_outputs; ++i) {
    const tinyml_tensor_info_t *info = m->output_info(i);
    const void *out = m->output(i);
    if (info == NULL || out == NULL || info->bytes != c->outputs[i].bytes ||
        memcmp(out, c->outputs[i].data, c->outputs[i].bytes) != 0) {
      put(": output ");
      put_uint((unsigned long)i);
      put(" differs from TFLM\n");
      return 1;
    }
  }
  put(": ok (bit-exact)\n");
  return 0;
}
