/*
 * tinymlc_board.h - minimal bare-metal support for running tinymlc models on QEMU's
 * Cortex-M boards (mps2-an386, mps2-an500, mps3-an547): console output and exit
 * through Arm semihosting.
 *
 * The board support (startup.c, semihost.c, syscalls.c and one linker script per
 * board) is added to an executable by tinymlc_target_board() (cmake/TinymlcBoard.cmake).
 * startup.c calls main() and passes its return value to tinymlc_board_exit(), so a
 * firmware is an ordinary `int main(void)`. syscalls.c routes newlib's stdio to the
 * semihosting console, so printf() works too (it is linked only if used).
 *
 * A host build can implement these three functions with stdio (see
 * examples/firmware/board_host.c) to run the same program on the development machine.
 */
#ifndef TINYMLC_BOARD_H
#define TINYMLC_BOARD_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes n bytes to the debug console (semihosting: the terminal QEMU runs in). */
void tinymlc_board_write(const char *text, size_t n);

/* Writes a NUL-terminated string to the debug console. */
void tinymlc_board_puts(const char *text);

/* Ends the program; under QEMU with -semihosting-config enable=on,target=native the
 * emulator exits with `status` (0..255). Never returns. */
void tinymlc_board_exit(int status)
#if defined(__GNUC__)
    __attribute__((noreturn))
#endif
    ;

#ifdef __cplusplus
}
#endif

#endif /* TINYMLC_BOARD_H */
