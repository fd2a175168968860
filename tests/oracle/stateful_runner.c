/* stateful_runner.c: runs a tinymlc model (compiled with --name m) over consecutive
 * invokes, for tests/oracle/stateful_test.py.
 *
 *   stateful_runner IN.bin OUT.bin INVOKES RESET_AT
 *
 * IN.bin holds INVOKES frames, each frame the bytes of every input in order. Before
 * invoke RESET_AT (0-based; -1: never) the runner calls m_reset(). OUT.bin receives the
 * bytes of every output after every invoke, in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "m.h"

int main(int argc, char **argv) {
  FILE *in, *out;
  int invokes, reset_at, k;
  size_t i;
  if (argc != 5) {
    fprintf(stderr, "usage: %s IN.bin OUT.bin INVOKES RESET_AT\n", argv[0]);
    return 2;
  }
  invokes = atoi(argv[3]);
  reset_at = atoi(argv[4]);
  in = fopen(argv[1], "rb");
  out = fopen(argv[2], "wb");
  if (!in || !out) {
    fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  for (k = 0; k < invokes; ++k) {
    if (k == reset_at) m_reset();
    for (i = 0; i < M_NUM_INPUTS; ++i) {
      const tinyml_tensor_info_t *info = m_input_info(i);
      if (fread(m_input(i), 1, info->bytes, in) != info->bytes) {
        fprintf(stderr, "invoke %d: input %u: short read\n", k, (unsigned)i);
        return 2;
      }
    }
    if (m_invoke() != TINYML_OK) {
      fprintf(stderr, "invoke %d failed\n", k);
      return 1;
    }
    for (i = 0; i < M_NUM_OUTPUTS; ++i) {
      const tinyml_tensor_info_t *info = m_output_info(i);
      fwrite(m_output(i), 1, info->bytes, out);
    }
  }
  fclose(in);
  return fclose(out) == 0 ? 0 : 1;
}
