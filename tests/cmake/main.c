/* The consumer projects' program: runs the model once with every input at its zero
 * point and prints each output as "case z out <j> <hex>", the format of
 * examples/firmware (whose host build is the reference). Plain printf: on a QEMU board
 * it goes to semihosting through the board support's newlib system calls. */
#include <stdio.h>
#include <string.h>

#include "model.h"

int main(void) {
  size_t i, b;
  for (i = 0; i < MODEL_NUM_INPUTS; ++i) {
    const tinyml_tensor_info_t *info = model_input_info(i);
    int fill = info->type == TINYML_INT8 ? (int)(signed char)info->zero_point : 0;
    memset(model_input(i), fill, info->bytes);
  }
  if (model_invoke() != TINYML_OK) {
    printf("invoke failed\n");
    return 1;
  }
  for (i = 0; i < MODEL_NUM_OUTPUTS; ++i) {
    const unsigned char *out = (const unsigned char *)model_output(i);
    printf("case z out %u ", (unsigned)i);
    for (b = 0; b < model_output_info(i)->bytes; ++b) printf("%02x", out[b]);
    printf("\n");
  }
  return 0;
}
