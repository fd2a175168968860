/*
 * layer_marks.h - layer hooks for instruction counting (benchmarks/bench_m4.sh): each
 * operator of the generated model executes `dbg #3` before and `dbg #4` after its code.
 * DBG is an architectural NOP on Cortex-M; ../shared/tools/qemu-insn reports the
 * instruction count at each one ("mark 3 N", "mark 4 N"), in execution order.
 *
 * Force-included into the generated model's C file when the firmware is configured with
 * -DTINYMLC_FW_LAYER_MARKS=ON. Elsewhere (host builds) the hooks stay empty.
 */
#ifndef TINYMLC_LAYER_MARKS_H
#define TINYMLC_LAYER_MARKS_H

#if defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
#define TINYML_LAYER_BEGIN(op_index, op_name) __asm__ volatile("dbg #3" ::: "memory")
#define TINYML_LAYER_END(op_index, op_name, tensor_index, data, bytes) \
  __asm__ volatile("dbg #4" ::: "memory")
#endif

#endif /* TINYMLC_LAYER_MARKS_H */
