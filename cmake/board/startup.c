/*
 * startup.c - vector table and reset handler for Armv7-M / Armv8-M cores (Cortex-M3, M4,
 * M7, M33, M55) on QEMU's MPS2/MPS3 boards. No CMSIS, no newlib start files.
 *
 * Reset: enable the FPU (and MVE) if the code is built for one, copy .data from its load
 * address, zero .bss, run main(), and hand its return value to tinymlc_board_exit().
 * Any fault prints the fault status registers and the faulting PC on the semihosting
 * console, then exits with status 3.
 *
 * Linker symbols come from cortexm.ld.
 */
#include <stdint.h>

#include "tinymlc_board.h"

extern uint32_t __data_load__[], __data_start__[], __data_end__[];
extern uint32_t __bss_start__[], __bss_end__[];
extern uint32_t __stack_top__[];

int main(void);
void tinymlc_reset_handler(void);
void tinymlc_fault_handler(void);
void tinymlc_fault_report(const uint32_t *frame, uint32_t exc_return);

#define REG32(addr) (*(volatile uint32_t *)(addr))
#define SCB_CPACR 0xE000ED88u /* coprocessor access control */
#define SCB_CFSR 0xE000ED28u  /* configurable fault status */
#define SCB_HFSR 0xE000ED2Cu  /* hard fault status */
#define SCB_MMFAR 0xE000ED34u /* memory management fault address */
#define SCB_BFAR 0xE000ED38u  /* bus fault address */

typedef void (*tinymlc_vector_t)(void);

/* Entries 0..15 of the Armv7-M/Armv8-M vector table; no device interrupts are used. */
__attribute__((section(".vectors"), used)) const tinymlc_vector_t tinymlc_vectors[16] = {
    (tinymlc_vector_t)(uintptr_t)__stack_top__, /* initial main stack pointer */
    tinymlc_reset_handler,                      /* Reset */
    tinymlc_fault_handler,                      /* NMI */
    tinymlc_fault_handler,                      /* HardFault */
    tinymlc_fault_handler,                      /* MemManage */
    tinymlc_fault_handler,                      /* BusFault */
    tinymlc_fault_handler,                      /* UsageFault */
    tinymlc_fault_handler,                      /* SecureFault (Armv8-M) */
    0, 0, 0,                                    /* reserved */
    tinymlc_fault_handler,                      /* SVCall */
    tinymlc_fault_handler,                      /* DebugMonitor */
    0,                                          /* reserved */
    tinymlc_fault_handler,                      /* PendSV */
    tinymlc_fault_handler,                      /* SysTick */
};

void tinymlc_reset_handler(void) {
  uint32_t *src;
  uint32_t *dst;
#if defined(__ARM_FP) || defined(__ARM_FEATURE_MVE)
  /* CP10 and CP11 full access, before any floating-point or MVE instruction. */
  REG32(SCB_CPACR) |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
  for (src = __data_load__, dst = __data_start__; dst < __data_end__;) *dst++ = *src++;
  for (dst = __bss_start__; dst < __bss_end__;) *dst++ = 0;
  tinymlc_board_exit(main());
}

/* Finds the exception stack frame (MSP or PSP, from EXC_RETURN bit 2) and reports. Plain
 * Thumb-1 instructions so that it assembles for every M-profile architecture. */
__attribute__((naked)) void tinymlc_fault_handler(void) {
  __asm__ volatile(
      "movs r0, #4\n\t"
      "mov r1, lr\n\t"
      "tst r0, r1\n\t"
      "beq 1f\n\t"
      "mrs r0, psp\n\t"
      "b 2f\n"
      "1:\n\t"
      "mrs r0, msp\n"
      "2:\n\t"
      "ldr r2, =tinymlc_fault_report\n\t"
      "bx r2\n\t"
      ".ltorg\n");
}

static void put_hex(const char *label, uint32_t value) {
  static const char digits[] = "0123456789abcdef";
  char text[9];
  int i;
  for (i = 7; i >= 0; --i, value >>= 4) text[i] = digits[value & 0xFu];
  text[8] = '\0';
  tinymlc_board_puts(label);
  tinymlc_board_puts(text);
}

void tinymlc_fault_report(const uint32_t *frame, uint32_t exc_return) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  (void)exc_return;
  put_hex("\n*** fault: exception ", ipsr & 0x1FFu);
  put_hex(" CFSR=", REG32(SCB_CFSR));
  put_hex(" HFSR=", REG32(SCB_HFSR));
  put_hex(" MMFAR=", REG32(SCB_MMFAR));
  put_hex(" BFAR=", REG32(SCB_BFAR));
  put_hex(" PC=", frame[6]);
  put_hex(" LR=", frame[5]);
  tinymlc_board_puts("\n");
  tinymlc_board_exit(3);
}
