#ifndef GEMBA_LINE_INPUT_H
#define GEMBA_LINE_INPUT_H

// Reading keys for libedit without libedit's signal handlers.
//
// With EL_SIGNAL on, libedit resizes its display buffers inside its SIGWINCH handler: memory is
// freed and allocated in a signal handler, while the program may be in malloc or redrawing from
// those very buffers. A window resized while keys arrive corrupted the heap. Here the handler
// only notes the resize, and the key reader, which libedit calls between edits, applies it.

#include <histedit.h>
#include <wchar.h>

/// Notes window resizes (SIGWINCH) from now on; 0 on success.
int gemba_watch_resize(void);

/// libedit's EL_GETCFN: reads one key from standard input as a wide character, decoding UTF-8
/// (a malformed sequence gives U+FFFD), and applies a resize noted since the last key. Returns 1
/// for a key, 0 at the end of input, -1 on a read error.
int gemba_read_key(EditLine *el, wchar_t *key);

/// Sets gemba_read_key as `el`'s key reader; 0 on success.
int gemba_el_use_key_reader(EditLine *el);

#endif
