/*
 * golden.h - TFLM golden cases compiled into the feature firmwares (gen_golden.cmake),
 * and the checks the firmwares share (check.c).
 */
#ifndef FEATURES_GOLDEN_H
#define FEATURES_GOLDEN_H

#include <stddef.h>
#include <stdint.h>

#include "tinyml_runtime.h"

typedef struct {
  const uint8_t *data;
  size_t bytes;
} golden_blob_t;

typedef struct {
  const golden_blob_t *inputs;
  size_t num_inputs;
  const golden_blob_t *outputs;
  size_t num_outputs;
} golden_case_t;

/* The entry points of one generated model. */
typedef struct {
  const char *name;
  tinyml_status_t (*invoke)(void);
  void *(*input)(size_t index);
  void *(*output)(size_t index);
  const tinyml_tensor_info_t *(*input_info)(size_t index);
  const tinyml_tensor_info_t *(*output_info)(size_t index);
} model_api_t;

/* Runs golden case `k` of `cases` on the model: copies the inputs, invokes, compares every
 * output byte for byte. Prints "<name> case <k>: ok" or what differs; returns 0 if ok. */
int run_golden_case(const model_api_t *m, const golden_case_t *cases, size_t k);

/* Prints "check <what>: ok" or "... FAILED"; returns 0 if `ok`. */
int check(int ok, const char *what);

void put(const char *text);
void put_uint(unsigned long value);

#endif /* FEATURES_GOLDEN_H */
