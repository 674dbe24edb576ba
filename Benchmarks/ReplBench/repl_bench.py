#!/usr/bin/env python3
"""Times the live REPL on a real pseudo-terminal, beside a Swift hello-world.

Each program is started the way a terminal starts one: in a session of its own, with the slave
side of a new pty as its controlling terminal and as fds 0, 1 and 2 (posix_spawn with setsid).
Times are taken on this side of the pty, from before the spawn or the write to the moment the
awaited text has been read from the master, so they include everything a person waits for.

- start-up: spawn until the first prompt has been drawn (gemba), or until "hello" (hello-world);
- Enter to the next question: from writing an answer and Enter to the next question's prompt
  being drawn, after the answer was stored and fsynced and the question printed. Keys are only
  written once the terminal is in raw mode again (LIBEDIT.md §13); that wait is not timed.

Run it through Benchmarks/run-repl.sh, which builds what it needs.
"""

import argparse
import fcntl
import json
import os
import platform
import select
import signal
import statistics
import struct
import sys
import tempfile
import termios
import time

# What gemba writes before each line it reads (it turns bracketed paste on), then libedit draws
# the prompt, which ends in "› ".
PROMPT_MARKER = b"\x1b[?2004h"
PROMPT_END = "› ".encode()
TIMEOUT = 30.0


class Terminal:
    """A program running on a new pty of 30 rows by 100 columns."""

    def __init__(self, argv, env):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        name = os.ttyname(slave)
        os.set_inheritable(self.master, False)
        os.set_inheritable(slave, False)
        self.started = time.perf_counter()
        self.pid = os.posix_spawn(
            argv[0],
            argv,
            env,
            file_actions=[
                (os.POSIX_SPAWN_OPEN, 0, name, os.O_RDWR, 0),
                (os.POSIX_SPAWN_DUP2, 0, 1),
                (os.POSIX_SPAWN_DUP2, 0, 2),
            ],
            setsid=True,
            setsigdef=(signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGPIPE),
        )
        os.close(slave)
        os.set_blocking(self.master, False)
        self.output = bytearray()
        self.prompts_taken = 0

    def pump(self, timeout):
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return
        try:
            while True:
                chunk = os.read(self.master, 65536)
                if not chunk:
                    return
                self.output += chunk
        except (BlockingIOError, OSError):
            return

    def wait_until(self, done, what):
        deadline = time.perf_counter() + TIMEOUT
        while not done():
            if time.perf_counter() > deadline:
                tail = bytes(self.output[-600:]).decode("utf-8", "replace")
                raise SystemExit(f"repl-bench: timed out waiting for {what}; output ends:\n{tail}")
            self.pump(0.05)
        return time.perf_counter()

    def prompt_drawn(self):
        """Whether a prompt not counted before has been drawn; counts it when it has."""
        count = self.output.count(PROMPT_MARKER)
        if count <= self.prompts_taken:
            return False
        last = self.output.rfind(PROMPT_MARKER)
        if self.output.find(PROMPT_END, last) < 0:
            return False
        self.prompts_taken = count
        return True

    def raw(self):
        return not termios.tcgetattr(self.master)[3] & termios.ICANON

    def write(self, data):
        view = memoryview(data)
        while view:
            try:
                view = view[os.write(self.master, view):]
            except BlockingIOError:
                self.pump(0.001)

    def stop(self):
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(self.pid, 0)
        os.close(self.master)


def environment(work):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("LC_ALL", "LC_CTYPE", "COLUMNS", "LINES", "GEMBA_TRANSCRIPTS")
    }
    env.update(
        TERM="xterm-256color",
        LANG="C.UTF-8",
        NO_COLOR="1",
        HOME=os.path.join(work, "home"),
        XDG_STATE_HOME=os.path.join(work, "state"),
    )
    return env


def time_hello(hello, env):
    terminal = Terminal([hello], env)
    end = terminal.wait_until(lambda: b"hello" in terminal.output, "hello")
    terminal.stop()
    return end - terminal.started


def gemba_run(gemba, guide, transcripts):
    argv = [gemba, "run"]
    if guide:
        argv.append(guide)
    return argv + ["--interviewer", "Bench", "--transcripts", transcripts]


def time_first_prompt(gemba, guide, env, transcripts):
    terminal = Terminal(gemba_run(gemba, guide, transcripts), env)
    end = terminal.wait_until(terminal.prompt_drawn, "the first prompt")
    terminal.stop()
    return end - terminal.started


def time_answers(gemba, guide, answers, env, transcripts):
    """Milliseconds from Enter to the next prompt, for each answer that brings one."""
    terminal = Terminal(gemba_run(gemba, guide, transcripts), env)
    terminal.wait_until(terminal.prompt_drawn, "the first prompt")
    samples = []
    for line, timed in answers:
        terminal.wait_until(terminal.raw, "raw mode")
        began = time.perf_counter()
        terminal.write(line.encode() + b"\r")
        end = terminal.wait_until(terminal.prompt_drawn, f"the prompt after {line!r}")
        if timed:
            samples.append((end - began) * 1000)
    terminal.stop()
    return samples


def percentile(values, share):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def summary(values):
    return {
        "n": len(values),
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "p99": percentile(values, 0.99),
    }


def default_guide_answers(path):
    """The golden piped interview of the default guide, all but its last line (which ends the
    interview, so no question follows); commands are sent but not timed."""
    with open(path, encoding="utf-8") as file:
        lines = [line.rstrip("\n") for line in file if line.strip()]
    return [(line, not line.startswith(":")) for line in lines[:-1]]


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for line in file:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gemba", required=True)
    parser.add_argument("--hello", required=True)
    parser.add_argument("--big-guide", required=True, help="the generated 10,000-question guide")
    parser.add_argument("--answers", required=True, help="a piped interview of the default guide")
    parser.add_argument("--runs", type=int, default=15, help="start-ups of each program")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--big-answers", type=int, default=400)
    parser.add_argument("--default-rounds", type=int, default=8)
    parser.add_argument("--work", help="a folder for transcripts and home (default: a new one)")
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()

    work = options.work or tempfile.mkdtemp(prefix="gemba-repl-bench-")
    env = environment(work)
    transcripts = os.path.join(work, "transcripts")

    starts = {"hello": [], "default": [], "big": []}
    for run in range(options.warmups + options.runs):
        # Interleaved, so a slow moment of the machine falls on all three alike.
        hello = time_hello(options.hello, env)
        default = time_first_prompt(options.gemba, None, env, transcripts)
        big = time_first_prompt(options.gemba, options.big_guide, env, transcripts)
        if run >= options.warmups:
            starts["hello"].append(hello * 1000)
            starts["default"].append(default * 1000)
            starts["big"].append(big * 1000)

    default_answers = default_guide_answers(options.answers)
    enter_default = []
    for _ in range(options.default_rounds):
        enter_default += time_answers(options.gemba, None, default_answers, env, transcripts)
    big_answers = [("1", True)] * options.big_answers
    enter_big = time_answers(options.gemba, options.big_guide, big_answers, env, transcripts)

    results = {
        "date": time.strftime("%Y-%m-%d"),
        "nproc": os.cpu_count(),
        "cpu": cpu_model(),
        "start_ms": {name: summary(values) for name, values in starts.items()},
        "enter_to_next_ms": {"default": summary(enter_default), "big": summary(enter_big)},
    }
    if options.json:
        print(json.dumps(results, indent=2))
        return

    start = results["start_ms"]
    enter = results["enter_to_next_ms"]
    ratio = start["default"]["median"] / start["hello"]["median"]
    print(f"{results['date']}, {results['nproc']} cores, {results['cpu']}")
    print()
    print(f"time to the first prompt, ms ({options.runs} runs)  median    min    max")
    rows = [
        ("Swift hello-world (Foundation)", start["hello"]),
        ("gemba, default guide", start["default"]),
        ("gemba, 10,000-question guide", start["big"]),
    ]
    for name, row in rows:
        print(f"  {name:<40} {row['median']:6.1f} {row['min']:6.1f} {row['max']:6.1f}")
    print()
    print("Enter to the next question, ms             n     p50    p95    p99    max")
    for name, row in [("default guide", enter["default"]), ("10,000-question guide", enter["big"])]:
        print(
            f"  {name:<36} {row['n']:5d} {row['p50']:6.2f} {row['p95']:6.2f} "
            f"{row['p99']:6.2f} {row['max']:6.2f}"
        )
    print()
    checks = [
        (f"default guide start within 3x hello-world (x{ratio:.2f})", ratio <= 3),
        ("10,000-question guide start under 150 ms", start["big"]["median"] < 150),
        ("Enter to next p99 under 10 ms, default guide", enter["default"]["p99"] < 10),
        ("Enter to next p99 under 10 ms, 10,000-question guide", enter["big"]["p99"] < 10),
    ]
    for name, met in checks:
        print(f"  {'met ' if met else 'MISSED'} {name}")
    sys.exit(0 if all(met for _, met in checks) else 1)


if __name__ == "__main__":
    main()
