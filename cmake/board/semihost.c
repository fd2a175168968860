/*
 * semihost.c - console and exit through Arm semihosting (`bkpt 0xab` on M-profile).
 * See "Semihosting for AArch32 and AArch64" (Arm IHI 0040): operation number in r0,
 * pointer to the parameter block in r1, result in r0.
 */
#include "tinymlc_board.h"

#include <stdint.h>

enum {
  SYS_WRITE0 = 0x04,        /* r1: NUL-terminated string */
  SYS_EXIT = 0x18,          /* r1: reason code (A32/T32: no status) */
  SYS_EXIT_EXTENDED = 0x20, /* r1: {reason, subcode}: the subcode is the exit status */
  ADP_STOPPED_APPLICATION_EXIT = 0x20026
};

static uintptr_t semihost_call(uintptr_t op, const void *arg) {
  register uintptr_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

void tinymlc_board_write(const char *text, size_t n) {
  /* SYS_WRITE0 needs a NUL-terminated string: send the text in chunks. */
  char chunk[128];
  while (n > 0) {
    size_t len = n < sizeof(chunk) - 1 ? n : sizeof(chunk) - 1;
    size_t i;
    for (i = 0; i < len; ++i) chunk[i] = text[i];
    chunk[len] = '\0';
    semihost_call(SYS_WRITE0, chunk);
    text += len;
    n -= len;
  }
}

void tinymlc_board_puts(const char *text) {
  size_t n = 0;
  while (text[n] != '\0') ++n;
  tinymlc_board_write(text, n);
}

void tinymlc_board_exit(int status) {
  const uintptr_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)(status & 0xff)};
  semihost_call(SYS_EXIT_EXTENDED, block);
  /* A host without SYS_EXIT_EXTENDED: plain SYS_EXIT can only tell success from failure. */
  semihost_call(SYS_EXIT, (const void *)(uintptr_t)(status == 0 ? ADP_STOPPED_APPLICATION_EXIT : 0x20023));
  for (;;) {
  }
}
