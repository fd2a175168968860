/*
 * harness_hooks.h - forced into every translation unit of a golden-runner build
 * (`cc -include harness_hooks.h NAME.c golden_runner.c`) so that the generated
 * model reports each operator's output to golden_runner.c.
 */
#ifndef TINYMLC_E2E_HARNESS_HOOKS_H
#define TINYMLC_E2E_HARNESS_HOOKS_H

#include <stddef.h>

void harness_layer_end(long op_index, const char *op_name, long tensor_index,
                       const void *data, size_t bytes);

#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes)                   \
  harness_layer_end((long)(op_index), (op_name), (long)(tensor_index), (const void *)(data), \
                    (size_t)(bytes))

#endif /* TINYMLC_E2E_HARNESS_HOOKS_H */
