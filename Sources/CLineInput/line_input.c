#include "line_input.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t resized = 0;

// A byte read while decoding that begins the next key rather than continuing this one.
static int held_byte = -1;

static void note_resize(int signo) {
  (void)signo;
  resized = 1;
}

int gemba_watch_resize(void) {
  struct sigaction action;
  memset(&action, 0, sizeof action);
  action.sa_handler = note_resize;
  sigemptyset(&action.sa_mask);
  // No SA_RESTART: a read waiting for a key returns EINTR, so the resize is applied at once.
  action.sa_flags = 0;
  return sigaction(SIGWINCH, &action, NULL);
}

/// One byte of standard input: 1 read, 0 at the end, -1 on an error. A resize interrupts only
/// the wait for the first byte of a key (`apply_resize`), so it is drawn as it happens.
static int read_byte(EditLine *el, unsigned char *byte, int apply_resize) {
  for (;;) {
    if (apply_resize && resized) {
      resized = 0;
      el_resize(el);
      el_set(el, EL_REFRESH);
    }
    ssize_t count = read(STDIN_FILENO, byte, 1);
    if (count == 1) return 1;
    if (count == 0) return 0;
    if (errno != EINTR) return -1;
  }
}

int gemba_read_key(EditLine *el, wchar_t *key) {
  unsigned char byte;
  if (held_byte >= 0) {
    byte = (unsigned char)held_byte;
    held_byte = -1;
  } else {
    int status = read_byte(el, &byte, 1);
    if (status <= 0) {
      *key = L'\0';
      return status;
    }
  }
  if (byte < 0x80) {
    *key = (wchar_t)byte;
    return 1;
  }
  int needed;
  unsigned long value;
  unsigned long least;
  if ((byte & 0xE0) == 0xC0) {
    needed = 1;
    value = byte & 0x1F;
    least = 0x80;
  } else if ((byte & 0xF0) == 0xE0) {
    needed = 2;
    value = byte & 0x0F;
    least = 0x800;
  } else if ((byte & 0xF8) == 0xF0) {
    needed = 3;
    value = byte & 0x07;
    least = 0x10000;
  } else {
    *key = (wchar_t)0xFFFD;
    return 1;
  }
  for (int i = 0; i < needed; i++) {
    unsigned char next;
    int status = read_byte(el, &next, 0);
    if (status <= 0) {
      // Cut short by the end of input or an error: what was read stands for one bad character.
      *key = (wchar_t)0xFFFD;
      return 1;
    }
    if ((next & 0xC0) != 0x80) {
      held_byte = next;
      *key = (wchar_t)0xFFFD;
      return 1;
    }
    value = (value << 6) | (next & 0x3F);
  }
  if (value < least || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    *key = (wchar_t)0xFFFD;
    return 1;
  }
  *key = (wchar_t)value;
  return 1;
}

int gemba_el_use_key_reader(EditLine *el) {
  return el_set(el, EL_GETCFN, gemba_read_key);
}
