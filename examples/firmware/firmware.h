/*
 * firmware.h - what the generated per-model data file (gen_model_data.cmake) gives the
 * firmware's main.c: the model's entry points and the input cases to run.
 */
#ifndef TINYMLC_FIRMWARE_H
#define TINYMLC_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

#include "tinyml_runtime.h"

typedef struct {
  const char *name;
  size_t num_inputs;
  size_t num_outputs;
  size_t arena_bytes;
  tinyml_status_t (*invoke)(void);
  void *(*input)(size_t index);
  void *(*output)(size_t index);
  const tinyml_tensor_info_t *(*input_info)(size_t index);
  const tinyml_tensor_info_t *(*output_info)(size_t index);
} fw_model_t;

typedef struct {
  const uint8_t *data;
  size_t bytes;
} fw_tensor_t;

/* One golden case: the raw bytes of every model input (case<index>/in<i>.bin). */
typedef struct {
  int index;
  const fw_tensor_t *inputs;
  size_t num_inputs;
} fw_case_t;

extern const fw_model_t fw_model;
/* Golden cases; without golden data fw_num_cases is 0 and main.c makes up inputs. */
extern const fw_case_t *const fw_cases;
extern const size_t fw_num_cases;

#endif /* TINYMLC_FIRMWARE_H */
