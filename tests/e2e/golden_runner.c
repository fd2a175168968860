/*
 * golden_runner.c - host harness for one tinymlc-generated model.
 *
 * Build (one runner serves every model; MODEL_NAME is the --name given to tinymlc):
 *   cc -std=c99 -O2 -Wall -Wextra -Wpedantic -Werror -I GENDIR -I tests/e2e \
 *      -include harness_hooks.h -DMODEL_NAME=sine -DMODEL_NAME_UPPER=SINE \
 *      '-DMODEL_HEADER="sine.h"' GENDIR/sine.c golden_runner.c -o runner -lm
 * Run:
 *   runner OUTDIR IN0.bin [IN1.bin ...]
 *
 * Reads each input file into NAME_input(i) (its size must equal
 * NAME_input_info(i)->bytes), calls NAME_invoke() once, and writes
 *   OUTDIR/out<j>.bin      every graph output,
 *   OUTDIR/t<idx>.bin      every tensor reported by TINYML_LAYER_END, right after its
 *                          operator ran (idx = tensor index in subgraph 0),
 *   OUTDIR/runner.txt      the arena size, the input/output infos and one line per
 *                          reported layer, in execution order (read by e2e_test.cc).
 * Exit status: 0 on success, 1 on bad usage or I/O error, 3 if the model misbehaves.
 * With -DRUNNER_EXTERNAL_ARENA (a model compiled with --arena external) the runner gives
 * the model its arena through NAME_set_arena() first.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

#define RUNNER_CAT2(a, b) a##b
#define RUNNER_CAT(a, b) RUNNER_CAT2(a, b)
#define MODEL_FN(suffix) RUNNER_CAT(MODEL_NAME, suffix)
#define MODEL_MACRO(suffix) RUNNER_CAT(MODEL_NAME_UPPER, suffix)

static const char *g_outdir = ".";
static FILE *g_report = NULL;
static int g_hook_failed = 0;

static int write_file(const char *path, const void *data, size_t bytes) {
  FILE *f = fopen(path, "wb");
  size_t written;
  if (f == NULL) {
    fprintf(stderr, "golden_runner: cannot create %s\n", path);
    return 0;
  }
  written = bytes > 0 ? fwrite(data, 1, bytes, f) : 0;
  if (fclose(f) != 0 || written != bytes) {
    fprintf(stderr, "golden_runner: cannot write %s\n", path);
    return 0;
  }
  return 1;
}

/* Reads exactly `bytes` bytes from `path` into `dst`; the file must have that size. */
static int read_exact(const char *path, void *dst, size_t bytes) {
  FILE *f = fopen(path, "rb");
  size_t got;
  int extra;
  if (f == NULL) {
    fprintf(stderr, "golden_runner: cannot open %s\n", path);
    return 0;
  }
  got = bytes > 0 ? fread(dst, 1, bytes, f) : 0;
  extra = fgetc(f);
  fclose(f);
  if (got != bytes || extra != EOF) {
    fprintf(stderr, "golden_runner: %s has %s bytes than the model input (%lu)\n", path,
            got != bytes ? "fewer" : "more", (unsigned long)bytes);
    return 0;
  }
  return 1;
}

void harness_layer_end(long op_index, const char *op_name, long tensor_index,
                       const void *data, size_t bytes) {
  char path[4096];
  fprintf(g_report, "layer %ld %s %ld %lu\n", op_index, op_name != NULL ? op_name : "?",
          tensor_index, (unsigned long)bytes);
  if (tensor_index < 0 || (data == NULL && bytes > 0)) {
    fprintf(stderr, "golden_runner: operator %ld reported tensor %ld with data %p\n", op_index,
            tensor_index, data);
    g_hook_failed = 1;
    return;
  }
  sprintf(path, "%.4000s/t%ld.bin", g_outdir, tensor_index);
  if (!write_file(path, data, bytes)) g_hook_failed = 1;
}

static void report_info(const char *kind, size_t index, const tinyml_tensor_info_t *info) {
  int32_t d;
  fprintf(g_report,
          "%s %lu tensor_index %ld type %d bytes %lu zero_point %ld scale %.9g rank %ld dims", kind,
          (unsigned long)index, (long)info->tensor_index, (int)info->type,
          (unsigned long)info->bytes, (long)info->zero_point, (double)info->scale,
          (long)info->rank);
  for (d = 0; d < info->rank && d < TINYML_MAX_RANK; ++d) {
    fprintf(g_report, " %ld", (long)info->dims[d]);
  }
  fprintf(g_report, "\n");
}

int main(int argc, char **argv) {
  char path[4096];
  size_t i;
  tinyml_status_t status;
  const size_t num_inputs = MODEL_MACRO(_NUM_INPUTS);
  const size_t num_outputs = MODEL_MACRO(_NUM_OUTPUTS);

  if (argc < 2 || (size_t)(argc - 2) != num_inputs) {
    fprintf(stderr, "usage: %s OUTDIR IN0.bin ... (this model has %lu inputs)\n", argv[0],
            (unsigned long)num_inputs);
    return 1;
  }
  g_outdir = argv[1];
  sprintf(path, "%.4000s/runner.txt", g_outdir);
  g_report = fopen(path, "w");
  if (g_report == NULL) {
    fprintf(stderr, "golden_runner: cannot create %s\n", path);
    return 1;
  }
  fprintf(g_report, "arena_size %lu\nnum_inputs %lu\nnum_outputs %lu\n",
          (unsigned long)MODEL_MACRO(_ARENA_SIZE), (unsigned long)num_inputs,
          (unsigned long)num_outputs);

#ifdef RUNNER_EXTERNAL_ARENA
  /* A model compiled with --arena external: its memory comes from here, filled with
   * garbage (the model must not need it zeroed) and aligned to NAME_ARENA_ALIGN only. */
  {
    const size_t align = MODEL_MACRO(_ARENA_ALIGN), size = MODEL_MACRO(_ARENA_SIZE);
    unsigned char *mem = (unsigned char *)malloc(size + 2 * align);
    unsigned char *arena;
    if (mem == NULL) return 1;
    arena = mem + (align - (size_t)((unsigned long)mem % align)) % align;
    memset(arena, 0xA5, size);
    if (MODEL_FN(_invoke)() != TINYML_ERROR || MODEL_FN(_input)(0) != NULL) {
      fprintf(stderr, "golden_runner: the model ran without an arena\n");
      return 3;
    }
    if (MODEL_FN(_set_arena)(arena, size) != TINYML_OK) {
      fprintf(stderr, "golden_runner: NAME_set_arena refused %lu bytes\n", (unsigned long)size);
      return 3;
    }
  }
#endif
  if (MODEL_FN(_input)(num_inputs) != NULL || MODEL_FN(_input_info)(num_inputs) != NULL ||
      MODEL_FN(_output)(num_outputs) != NULL || MODEL_FN(_output_info)(num_outputs) != NULL) {
    fprintf(stderr, "golden_runner: an out-of-range index did not give NULL\n");
    return 3;
  }
#ifdef RUNNER_EXTERNAL_INPUT
  /* A model compiled with --input external: it refuses to run before it has an input
   * buffer, then reads the input from this one (NAME_input(0) returns it). */
  {
    const tinyml_tensor_info_t *info = MODEL_FN(_input_info)(0);
    void *buf = info == NULL ? NULL : malloc(info->bytes + 16);
    if (buf == NULL || MODEL_FN(_input)(0) != NULL || MODEL_FN(_invoke)() != TINYML_ERROR) {
      fprintf(stderr, "golden_runner: the model ran without an input buffer\n");
      return 3;
    }
    if (MODEL_FN(_set_input_buffer)(buf) != TINYML_OK || MODEL_FN(_input)(0) != buf) {
      fprintf(stderr, "golden_runner: NAME_set_input_buffer refused the buffer\n");
      return 3;
    }
  }
#endif
  for (i = 0; i < num_inputs; ++i) {
    const tinyml_tensor_info_t *info = MODEL_FN(_input_info)(i);
    void *dst = MODEL_FN(_input)(i);
    if (info == NULL || dst == NULL) {
      fprintf(stderr, "golden_runner: input %lu has no buffer or info\n", (unsigned long)i);
      return 3;
    }
    report_info("input", i, info);
    if (!read_exact(argv[2 + i], dst, info->bytes)) return 1;
  }
  for (i = 0; i < num_outputs; ++i) {
    const tinyml_tensor_info_t *info = MODEL_FN(_output_info)(i);
    if (info == NULL || MODEL_FN(_output)(i) == NULL) {
      fprintf(stderr, "golden_runner: output %lu has no buffer or info\n", (unsigned long)i);
      return 3;
    }
    report_info("output", i, info);
  }
  fflush(g_report);

  status = MODEL_FN(_invoke)();
  fprintf(g_report, "invoke_status %d\n", (int)status);
  if (status != TINYML_OK) {
    fprintf(stderr, "golden_runner: invoke returned %d\n", (int)status);
    fclose(g_report);
    return 3;
  }
  for (i = 0; i < num_outputs; ++i) {
    const tinyml_tensor_info_t *info = MODEL_FN(_output_info)(i);
    sprintf(path, "%.4000s/out%lu.bin", g_outdir, (unsigned long)i);
    if (!write_file(path, MODEL_FN(_output)(i), info->bytes)) return 1;
  }
  if (fclose(g_report) != 0) return 1;
  return g_hook_failed ? 1 : 0;
}
