/*
 * syscalls.c - the few newlib system calls that stdio and exit() need, routed to the
 * semihosting console (tinymlc_board.h). With --gc-sections they cost nothing unless the
 * program calls printf() or friends. The heap for newlib's malloc (used by stdio) lies
 * between the end of .bss and the bottom of the stack (linker symbols).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "tinymlc_board.h"

extern char __heap_start__[];
extern char __heap_end__[];

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _lseek(int fd, int offset, int whence);
void *_sbrk(ptrdiff_t incr);
void _exit(int status);
int _kill(int pid, int sig);
int _getpid(void);

int _write(int fd, const char *buf, int len) {
  (void)fd;
  if (len > 0) tinymlc_board_write(buf, (size_t)len);
  return len;
}

int _read(int fd, char *buf, int len) {
  (void)fd;
  (void)buf;
  (void)len;
  return 0; /* end of file: no console input */
}

int _close(int fd) {
  (void)fd;
  return -1;
}

int _fstat(int fd, struct stat *st) {
  (void)fd;
  st->st_mode = S_IFCHR;
  return 0;
}

int _isatty(int fd) {
  (void)fd;
  return 1;
}

int _lseek(int fd, int offset, int whence) {
  (void)fd;
  (void)offset;
  (void)whence;
  return 0;
}

void *_sbrk(ptrdiff_t incr) {
  static char *brk = __heap_start__;
  char *prev = brk;
  if (incr > __heap_end__ - brk || incr < __heap_start__ - brk) {
    errno = ENOMEM;
    return (void *)-1;
  }
  brk += incr;
  return prev;
}

void _exit(int status) { tinymlc_board_exit(status); }

int _kill(int pid, int sig) {
  (void)pid;
  (void)sig;
  errno = EINVAL;
  return -1;
}

int _getpid(void) { return 1; }
