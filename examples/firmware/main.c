/*
 * main.c - runs one tinymlc-generated model on a bare-metal Cortex-M (QEMU mps2-an386,
 * mps2-an500, mps3-an547) and prints every output as hex on the semihosting console:
 *
 *   tinymlc-firmware model=<name> inputs=<n> outputs=<m> arena=<bytes> cases=<k>
 *   case <k> out <j> <hex bytes>
 *   ...
 *   tinymlc-firmware done errors=<e>
 *
 * The inputs are the golden cases compiled in by gen_model_data.cmake; without golden
 * data, two made-up cases: "z" (every input at its zero point) and "r" (pseudo-random
 * bytes from a fixed seed; floats in [-1, 1)). Exit status: 0 all invokes returned
 * TINYML_OK, 1 an invoke failed, 2 the golden inputs do not fit the model.
 *
 * The first invoke is wrapped in the markers DBG #1 / DBG #2 (architectural NOPs) that
 * ../shared/tools/qemu-insn counts instructions between.
 *
 * Built for the host with board_host.c instead of the board support, the same program
 * prints the same lines: the tests compare both for models without golden data.
 */
#include <stdint.h>
#include <string.h>

#include "firmware.h"
#include "tinymlc_board.h"

#if defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
#define BENCH_BEGIN() __asm__ volatile("dbg #1" ::: "memory")
#define BENCH_END() __asm__ volatile("dbg #2" ::: "memory")
#else
#define BENCH_BEGIN() ((void)0)
#define BENCH_END() ((void)0)
#endif

static void put(const char *text) { tinymlc_board_puts(text); }

/* Decimal text of value in buf (at least 24 chars); returns where it starts. */
static const char *uint_text(unsigned long value, char *buf) {
  int pos = 23;
  buf[pos] = '\0';
  do {
    buf[--pos] = (char)('0' + value % 10u);
    value /= 10u;
  } while (value != 0u && pos > 0);
  return buf + pos;
}

static void put_uint(unsigned long value) {
  char buf[24];
  put(uint_text(value, buf));
}

/* One output tensor as "case <label> out <j> <hex>\n", written in chunks. */
static void put_output(const char *label, size_t j, const uint8_t *data, size_t bytes) {
  static const char digits[] = "0123456789abcdef";
  char line[129];
  size_t i, n = 0;
  put("case ");
  put(label);
  put(" out ");
  put_uint((unsigned long)j);
  put(" ");
  for (i = 0; i < bytes; ++i) {
    line[n++] = digits[data[i] >> 4];
    line[n++] = digits[data[i] & 0xFu];
    if (n == sizeof(line) - 1) {
      tinymlc_board_write(line, n);
      n = 0;
    }
  }
  line[n++] = '\n';
  tinymlc_board_write(line, n);
}

static size_t element_bytes(tinyml_type_t type) {
  switch (type) {
    case TINYML_INT8:
    case TINYML_UINT8:
    case TINYML_BOOL:
      return 1;
    case TINYML_INT16:
      return 2;
    case TINYML_INT64:
    case TINYML_UINT64:
      return 8;
    default:
      return 4;
  }
}

static uint32_t rng_state = 12345u;
static uint32_t rng_next(void) {
  rng_state = rng_state * 1664525u + 1013904223u; /* Numerical Recipes LCG */
  return rng_state >> 8;
}

/* Made-up input: zero points (random = 0) or pseudo-random values (random = 1). */
static void fill_input(const tinyml_tensor_info_t *info, void *buf, int random) {
  size_t i, n = info->bytes / element_bytes(info->type);
  uint8_t *bytes = (uint8_t *)buf;
  if (info->type == TINYML_FLOAT32) {
    for (i = 0; i < n; ++i) {
      float v = random ? (float)(int32_t)(rng_next() & 0xFFFFu) / 32768.0f - 1.0f : 0.0f;
      memcpy(bytes + 4 * i, &v, sizeof(v));
    }
  } else if (!random) {
    /* Zero point in every element, little-endian. */
    for (i = 0; i < n; ++i) {
      size_t b, size = element_bytes(info->type);
      uint64_t zp = (uint64_t)(int64_t)info->zero_point;
      for (b = 0; b < size; ++b) bytes[i * size + b] = (uint8_t)(zp >> (8 * b));
    }
  } else {
    for (i = 0; i < info->bytes; ++i) bytes[i] = (uint8_t)rng_next();
  }
}

static int invoke_and_print(const char *label, int first) {
  tinyml_status_t status;
  size_t j;
  if (first) BENCH_BEGIN();
  status = fw_model.invoke();
  if (first) BENCH_END();
  if (status != TINYML_OK) {
    put("case ");
    put(label);
    put(" invoke failed: status ");
    put_uint((unsigned long)status);
    put("\n");
    return 1;
  }
  for (j = 0; j < fw_model.num_outputs; ++j) {
    put_output(label, j, (const uint8_t *)fw_model.output(j), fw_model.output_info(j)->bytes);
  }
  return 0;
}

int main(void) {
  size_t c, i;
  int errors = 0;
  put("tinymlc-firmware model=");
  put(fw_model.name);
  put(" inputs=");
  put_uint((unsigned long)fw_model.num_inputs);
  put(" outputs=");
  put_uint((unsigned long)fw_model.num_outputs);
  put(" arena=");
  put_uint((unsigned long)fw_model.arena_bytes);
  put(" cases=");
  put_uint((unsigned long)(fw_num_cases ? fw_num_cases : 2u));
  put("\n");

  if (fw_num_cases == 0) {
    static const char *const labels[2] = {"z", "r"};
    for (c = 0; c < 2; ++c) {
      for (i = 0; i < fw_model.num_inputs; ++i) {
        fill_input(fw_model.input_info(i), fw_model.input(i), (int)c);
      }
      errors += invoke_and_print(labels[c], c == 0);
    }
  }
  for (c = 0; c < fw_num_cases; ++c) {
    const fw_case_t *k = &fw_cases[c];
    char buf[24];
    const char *label = uint_text((unsigned long)k->index, buf);
    if (k->num_inputs != fw_model.num_inputs) {
      put("golden case has the wrong number of inputs\n");
      return 2;
    }
    for (i = 0; i < k->num_inputs; ++i) {
      if (k->inputs[i].bytes != fw_model.input_info(i)->bytes) {
        put("golden input has the wrong size\n");
        return 2;
      }
      memcpy(fw_model.input(i), k->inputs[i].data, k->inputs[i].bytes);
    }
    errors += invoke_and_print(label, c == 0);
  }
  put("tinymlc-firmware done errors=");
  put_uint((unsigned long)errors);
  put("\n");
  return errors == 0 ? 0 : 1;
}
