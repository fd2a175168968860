/* board_host.c - tinymlc_board.h on a development machine (stdio), so that the firmware
 * program also runs on the host and prints the same lines. */
#include <stdio.h>
#include <stdlib.h>

#include "tinymlc_board.h"

void tinymlc_board_write(const char *text, size_t n) { fwrite(text, 1, n, stdout); }

void tinymlc_board_puts(const char *text) { fputs(text, stdout); }

void tinymlc_board_exit(int status) {
  fflush(stdout);
  exit(status);
}
