#ifndef GEMBA_CLIBEDIT_SHIM_H
#define GEMBA_CLIBEDIT_SHIM_H

// libedit's el_set, el_get and history are C-variadic, which Swift cannot call. Each use Gemba
// makes is wrapped here in a static inline function with a fixed signature.

#include <histedit.h>
#include <locale.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include <sys/ioctl.h>

typedef char *(*gemba_prompt_fn)(EditLine *);
typedef unsigned char (*gemba_key_fn)(EditLine *, int);

static inline EditLine *gemba_el_init(const char *program) {
  return el_init(program, stdin, stdout, stderr);
}

static inline int gemba_el_set_prompt_esc(EditLine *el, gemba_prompt_fn fn, char marker) {
  return el_set(el, EL_PROMPT_ESC, fn, marker);
}

static inline int gemba_el_set_editor(EditLine *el, const char *mode) {
  return el_set(el, EL_EDITOR, mode);
}

static inline int gemba_el_set_clientdata(EditLine *el, void *data) {
  return el_set(el, EL_CLIENTDATA, data);
}

static inline void *gemba_el_get_clientdata(EditLine *el) {
  void *data = NULL;
  el_get(el, EL_CLIENTDATA, &data);
  return data;
}

static inline int gemba_el_set_signal(EditLine *el, int on) {
  return el_set(el, EL_SIGNAL, on);
}

/// Puts the terminal in libedit's editing mode (`raw` 1) or back as it found it (0).
static inline int gemba_el_prep_term(EditLine *el, int raw) {
  return el_set(el, EL_PREP_TERM, raw);
}

static inline int gemba_el_addfn(EditLine *el, const char *name, const char *help, gemba_key_fn fn) {
  return el_set(el, EL_ADDFN, name, help, fn);
}

static inline int gemba_el_bind(EditLine *el, const char *key, const char *fn) {
  return el_set(el, EL_BIND, key, fn, NULL);
}

static inline int gemba_el_settty(EditLine *el, const char *a, const char *b) {
  return el_set(el, EL_SETTY, a, b, NULL);
}

static inline int gemba_el_set_hist(EditLine *el, History *h) {
  return el_set(el, EL_HIST, history, h);
}

static inline int gemba_history_setsize(History *h, int size) {
  HistEvent ev;
  return history(h, &ev, H_SETSIZE, size);
}

static inline int gemba_history_enter(History *h, const char *line) {
  HistEvent ev;
  return history(h, &ev, H_ENTER, line);
}

static inline int gemba_history_setunique(History *h, int on) {
  HistEvent ev;
  return history(h, &ev, H_SETUNIQUE, on);
}

static inline int gemba_history_load(History *h, const char *path) {
  HistEvent ev;
  return history(h, &ev, H_LOAD, path);
}

static inline int gemba_history_save(History *h, const char *path) {
  HistEvent ev;
  return history(h, &ev, H_SAVE, path);
}

static inline int gemba_history_clear(History *h) {
  HistEvent ev;
  return history(h, &ev, H_CLEAR);
}

static inline FILE *gemba_stdin(void) { return stdin; }
static inline FILE *gemba_stdout(void) { return stdout; }
static inline FILE *gemba_stderr(void) { return stderr; }

static inline int gemba_terminal_columns(int fd) {
  struct winsize ws;
  if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
  return 0;
}

#endif
