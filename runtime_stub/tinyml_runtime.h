/*
 * tinyml_runtime.h - the header-only runtime shared by all tinymlc-generated models.
 *
 * A generated model (NAME.c / NAME.h) needs only this header, <stdint.h>, <stddef.h>
 * and <string.h>. No heap, no I/O, no global state beyond each model's own arena.
 * C99; safe to include from C++.
 */
#ifndef TINYML_RUNTIME_H
#define TINYML_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TINYML_RUNTIME_VERSION 1

/* Status codes returned by NAME_invoke() and friends. */
typedef enum {
  TINYML_OK = 0,
  TINYML_ERROR = 1,          /* generic failure */
  TINYML_BAD_ARGUMENT = 2    /* e.g. an index out of range */
} tinyml_status_t;

/* Element types of input/output tensors. */
typedef enum {
  TINYML_FLOAT32 = 0,
  TINYML_INT8 = 1,
  TINYML_INT16 = 2,
  TINYML_INT32 = 3,
  TINYML_UINT8 = 4,
  TINYML_INT64 = 5,
  TINYML_BOOL = 6,
  TINYML_UINT32 = 7,
  TINYML_UINT64 = 8
} tinyml_type_t;

#define TINYML_MAX_RANK 8

/* Description of one model input or output. real = scale * (q - zero_point). */
typedef struct {
  const char *name;                /* tensor name from the .tflite file */
  tinyml_type_t type;
  int32_t rank;
  int32_t dims[TINYML_MAX_RANK];   /* first `rank` entries are valid */
  size_t bytes;                    /* total size in bytes */
  float scale;                     /* 0 if not quantized */
  int32_t zero_point;
  int32_t tensor_index;            /* index in the .tflite subgraph 0 */
} tinyml_tensor_info_t;

#ifdef __cplusplus
}
#endif

#endif /* TINYML_RUNTIME_H */
