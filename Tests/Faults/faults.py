#!/usr/bin/env python3
"""Fault injection against the built gemba binary (docs/reliability.md).

    Tests/Faults/faults.py GEMBA_BINARY

Kills piped interviews with SIGKILL at random moments (KILLS trials, default 200) and checks
that every acknowledged answer is on disk and every interview resumes to its end; fills the disk
(a file-size limit with SIGXFSZ ignored, and a small tmpfs); makes the folder read-only (a
read-only bind mount, and a user without write permission); removes the folder mid-interview;
opens one transcript from two processes; feeds broken transcripts to every command that reads
them; types hostile input at the prompt, piped and under a pseudo-terminal. Prints one line per
case and the figures, ends with "N passed, N failed", and exits 1 when anything failed.

Cases that need root (mounts, dropping privileges) say so and count as failed when they cannot
run, so a quiet run never hides a missing case. SEED repeats a run's random choices.
"""

import json
import os
import pty
import random
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

GEMBA = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else ".build/debug/gemba")
KILLS = int(os.environ.get("KILLS", "200"))
SEED = int(os.environ.get("SEED", str(int(time.time()))))
ROOT = tempfile.mkdtemp(prefix="gemba-faults-")
RANDOM = random.Random(SEED)
RESULTS = []
FIGURES = {}

# What finishes an interview whatever is open: skips, :end twice (required questions may be open),
# and empty lines for the promises asked about at the end.
FINISH = b":skip\n" * 80 + b":end\n:end\n" + b"\n" * 4

SMALL_GUIDE = "title: T\n# A\n? a: A?\n? b: B?\n? c: C?\n? d: D?\n? e: E?\n? f: F?\n"


def env(**extra):
    """The environment every gemba here runs in: its own home, no colour, a UTF-8 locale."""
    home = os.path.join(ROOT, "home")
    os.makedirs(home, exist_ok=True)
    result = dict(os.environ)
    result.update(HOME=home, XDG_CONFIG_HOME=home + "/.config", XDG_DATA_HOME=home + "/.data",
                  XDG_STATE_HOME=home + "/.state", NO_COLOR="1", LANG="C.UTF-8", TMPDIR=ROOT,
                  GEMBA_CONFIG=home + "/no-settings.toml")
    result.pop("GEMBA_TRANSCRIPTS", None)
    result.update(extra)
    return result


def first_line(data):
    """The first line that says something, for a result's detail."""
    text = data.decode(errors="replace") if isinstance(data, bytes) else data
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0][:200] if lines else "(nothing)"


def record(section, case, ok, detail=""):
    RESULTS.append((section, case, ok, detail))
    mark = "ok  " if ok else "FAIL"
    print(f"{mark} {section}: {case}" + (f" — {detail}" if detail else ""), flush=True)


def crashed(status, stderr):
    """A crash is a signal, a Swift runtime trap or a sanitizer report, never a clean exit."""
    text = stderr if isinstance(stderr, str) else stderr.decode("utf-8", "replace")
    markers = ("Fatal error", "Segmentation fault", "Illegal instruction", "Sanitizer",
               "Stack dump", "Assertion failed")
    return status < 0 or status >= 128 or any(marker in text for marker in markers)


def run(args, stdin=b"", cwd=None, timeout=300, environment=None, preexec=None):
    """Runs gemba to its end; returns (status, stdout, stderr) as bytes."""
    process = subprocess.run([GEMBA] + args, input=stdin, cwd=cwd, capture_output=True,
                             timeout=timeout, env=environment or env(), preexec_fn=preexec)
    return process.returncode, process.stdout, process.stderr


def transcripts_in(folder):
    found = []
    for base, _, names in os.walk(folder):
        found += [os.path.join(base, n) for n in names
                  if n.endswith(".jsonl") and not n.endswith(".coach.jsonl")]
    return sorted(found)


def read_events(path):
    """Every whole JSON line of a transcript; a torn last line is left out, as Gemba reads it."""
    events = []
    with open(path, "rb") as handle:
        data = handle.read()
    for line in data.split(b"\n")[:-1]:
        try:
            events.append(json.loads(line))
        except ValueError:
            events.append(None)
    return events


def raws(path):
    return [e.get("raw") for e in read_events(path) if e and e.get("type") in ("answer", "edit")]


class Interview:
    """A piped `gemba run`, its output collected as it comes."""

    def __init__(self, args, cwd=None, environment=None, wrapper=None):
        command = (wrapper or []) + [GEMBA] + args
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, cwd=cwd,
                                        env=environment or env())
        self.out = bytearray()
        self.err = bytearray()
        self.lock = threading.Lock()
        self.readers = [threading.Thread(target=self.pump, args=(self.process.stdout, self.out)),
                        threading.Thread(target=self.pump, args=(self.process.stderr, self.err))]
        for reader in self.readers:
            reader.daemon = True
            reader.start()

    def pump(self, stream, into):
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                return
            with self.lock:
                into += chunk

    def questions(self):
        """Question lines printed so far: they start with the section in brackets."""
        with self.lock:
            return sum(1 for line in bytes(self.out).split(b"\n") if line.startswith(b"["))

    def send(self, data):
        try:
            self.process.stdin.write(data)
            self.process.stdin.flush()
        except (BrokenPipeError, ValueError):
            pass

    def wait_for_questions(self, count, seconds=10):
        deadline = time.time() + seconds
        while self.questions() < count and time.time() < deadline:
            if self.process.poll() is not None:
                break
            time.sleep(0.001)
        return self.questions() >= count

    def finish(self, timeout=120):
        try:
            self.process.stdin.close()
        except BrokenPipeError:
            pass
        status = self.process.wait(timeout=timeout)
        for reader in self.readers:
            reader.join()
        return status, bytes(self.out), bytes(self.err)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        return self.finish()


# MARK: kill -9


def kill_trials():
    """SIGKILL at random moments; an answer is acknowledged once the next question is printed."""
    folder = os.path.join(ROOT, "kills")
    lost = failed_resumes = no_transcript = acknowledged_total = 0
    for trial in range(KILLS):
        transcripts = os.path.join(folder, str(trial))
        interview = Interview(["run", "--transcripts", transcripts, "--customer", f"Kill {trial}"])
        planned = RANDOM.randint(0, 25)
        patient = RANDOM.random() < 0.5
        interview.wait_for_questions(1)
        for index in range(planned):
            interview.send(f"answer {trial}-{index}\n".encode())
            if patient:
                interview.wait_for_questions(index + 2)
            else:
                time.sleep(RANDOM.uniform(0, 0.004))
        # The kill: right after a write, or a little later, so it lands before, during or
        # after the fsync of the answer in flight.
        interview.send(f"answer {trial}-{planned}\n".encode())
        time.sleep(RANDOM.choice([0, 0, RANDOM.uniform(0, 0.003), RANDOM.uniform(0, 0.03)]))
        _, out, _ = interview.kill()
        shown = sum(1 for line in out.split(b"\n") if line.startswith(b"["))
        acknowledged = max(0, min(shown - 1, planned + 1))
        acknowledged_total += acknowledged
        found = transcripts_in(transcripts)
        if not found:
            if acknowledged > 0:
                lost += acknowledged
                record("kill -9", f"trial {trial}", False, f"no transcript, {acknowledged} acked")
            no_transcript += 1
            continue
        path = found[0]
        saved = set(raws(path))
        missing = [i for i in range(acknowledged) if f"answer {trial}-{i}" not in saved]
        lost += len(missing)
        status, _, err = run(["resume", path], stdin=FINISH)
        ended = any(e and e.get("type") == "end" for e in read_events(path))
        still = set(raws(path))
        kept = all(f"answer {trial}-{i}" in still for i in range(acknowledged))
        if status != 0 or not ended or not kept or crashed(status, err):
            failed_resumes += 1
            record("kill -9", f"trial {trial} resume", False,
                   f"status {status}: {err.decode(errors='replace')[-300:]}")
        if missing:
            record("kill -9", f"trial {trial}", False, f"acknowledged answers lost: {missing}")
    FIGURES["kill trials"] = KILLS
    FIGURES["acknowledged answers"] = acknowledged_total
    FIGURES["acknowledged answers lost"] = lost
    FIGURES["failed resumes"] = failed_resumes
    FIGURES["killed before the transcript existed"] = no_transcript
    record("kill -9", f"{KILLS} trials, {acknowledged_total} acknowledged answers", lost == 0
           and failed_resumes == 0, f"lost {lost}, failed resumes {failed_resumes}")


# MARK: Disk trouble


def write_guide(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "g.guide"), "w") as handle:
        handle.write(SMALL_GUIDE)


def answers(count, tag, length=300):
    return [f"{tag} {i} " + "x" * length for i in range(count)]


def rescued_texts():
    texts = ""
    for name in os.listdir(ROOT):
        if name.startswith("gemba-unsaved-"):
            with open(os.path.join(ROOT, name), errors="replace") as handle:
                texts += handle.read()
    return texts


def file_size_limit():
    folder = os.path.join(ROOT, "ulimit")
    write_guide(folder)
    given = answers(6, "limit", 300000)
    # `trap '' XFSZ` ignores the signal, and an ignored signal stays ignored across exec: the
    # write fails with EFBIG as on a full disk instead of killing the process. 1 MB, so that a
    # ThreadSanitizer build can start under it too.
    wrapper = ["bash", "-c", 'trap "" XFSZ; ulimit -f 1024; exec "$0" "$@"']
    interview = Interview(["run", "g.guide", "--transcripts", "t"], cwd=folder, wrapper=wrapper)
    interview.send("".join(a + "\n" for a in given).encode())
    status, out, err = interview.finish()
    text = err.decode(errors="replace")
    found = transcripts_in(os.path.join(folder, "t"))
    on_disk = open(found[0], errors="replace").read() if found else ""
    dropped = [a[:12] for a in given if a not in on_disk and a not in text
               and a not in rescued_texts()]
    said = "the file has reached the largest size allowed" in text
    record("disk full", "file-size limit (ulimit -f 1024, SIGXFSZ ignored)",
           not crashed(status, err) and said and not dropped and b"[A] f: F?" in out,
           f"exit {status}; told: {said}; dropped: {dropped}")


def small_tmpfs():
    folder = os.path.join(ROOT, "tmpfs")
    write_guide(folder)
    mount = os.path.join(folder, "t")
    os.makedirs(mount)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount]).returncode:
        record("disk full", "small tmpfs", False, "cannot mount a tmpfs here (needs root)")
        return
    try:
        interview = Interview(["run", "g.guide", "--transcripts", "t"], cwd=folder)
        interview.send(b"first\nsecond\n")
        interview.wait_for_questions(3)
        filler = os.path.join(mount, "filler")
        descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            while os.write(descriptor, b"\0" * 4096) > 0:
                pass
        except OSError:
            pass
        os.close(descriptor)
        # Longer than a page each, so they cannot fit in what is left of the file's last page.
        interview.send(b"third " + b"3" * 6000 + b"\nfourth " + b"4" * 6000 + b"\n")
        interview.wait_for_questions(5)
        time.sleep(0.2)
        os.remove(filler)
        interview.send(b"fifth\nsixth\n")
        status, out, err = interview.finish()
        text = err.decode(errors="replace")
        path = transcripts_in(mount)
        saved = raws(path[0]) if path else []
        every = ["first", "second", "third " + "3" * 6000, "fourth " + "4" * 6000, "fifth", "sixth"]
        ended = bool(path) and any(e and e.get("type") == "end" for e in read_events(path[0]))
        record("disk full", "256 KB tmpfs filled mid-interview, then freed",
               not crashed(status, err) and "no space left on the disk" in text
               and all(a in saved for a in every) and ended,
               f"exit {status}; saved {len(saved)}/6 answers after the space came back; "
               f"told: {'no space left on the disk' in text}")
    finally:
        subprocess.run(["umount", "-l", mount])


def read_only_mount():
    folder = os.path.join(ROOT, "readonly")
    write_guide(folder)
    target = os.path.join(folder, "t")
    os.makedirs(target)
    ok = subprocess.run(["mount", "--bind", target, target]).returncode == 0 and \
        subprocess.run(["mount", "-o", "remount,bind,ro", target]).returncode == 0
    if not ok:
        record("read-only", "read-only bind mount", False, "cannot bind-mount here (needs root)")
        return
    try:
        status, out, err = run(["run", "g.guide", "--transcripts", "t"], stdin=b"one\ntwo\n",
                               cwd=folder)
        text = err.decode(errors="replace")
        record("read-only", "read-only bind mount at the start",
               not crashed(status, err) and status != 0 and "t" in text and text.strip() != "",
               f"exit {status}: {text.strip().splitlines()[-1] if text.strip() else '(silent)'}")
    finally:
        subprocess.run(["umount", "-l", target])


def read_only_user():
    folder = os.path.join(ROOT, "nobody")
    write_guide(folder)
    os.makedirs(os.path.join(folder, "t"))
    os.chmod(folder, 0o755)
    os.chmod(os.path.join(folder, "t"), 0o755)
    home = os.path.join(ROOT, "nobody-home")
    os.makedirs(home, exist_ok=True)
    os.chmod(home, 0o777)
    for parent in [ROOT]:
        os.chmod(parent, 0o755)
    wrapper = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        record("read-only", "folder not writable by the user", False, "needs root and setpriv")
        return
    process = subprocess.run(wrapper + [GEMBA, "run", "g.guide", "--transcripts", "t"],
                             input=b"one\ntwo\n", cwd=folder, capture_output=True, timeout=120,
                             env=env(HOME=home, XDG_CONFIG_HOME=home, XDG_DATA_HOME=home,
                                     XDG_STATE_HOME=home, TMPDIR=home))
    text = process.stderr.decode(errors="replace")
    record("read-only", "folder not writable by the user (setpriv to nobody)",
           not crashed(process.returncode, text) and process.returncode != 0 and text.strip() != "",
           f"exit {process.returncode}: "
           f"{text.strip().splitlines()[-1] if text.strip() else '(silent)'}")


def removed_folder():
    for trial in range(5):
        folder = os.path.join(ROOT, f"removed-{trial}")
        write_guide(folder)
        interview = Interview(["run", "g.guide", "--transcripts", "t"], cwd=folder)
        before = RANDOM.randint(1, 4)
        given = [f"r{trial}-{i}" for i in range(6)]
        for answer in given[:before]:
            interview.send(f"{answer}\n".encode())
        interview.wait_for_questions(before + 1)
        shutil.rmtree(os.path.join(folder, "t"))
        for answer in given[before:]:
            interview.send(f"{answer}\n".encode())
        status, _, err = interview.finish()
        found = transcripts_in(os.path.join(folder, "t"))
        saved = raws(found[-1]) if found else []
        ended = bool(found) and any(e and e.get("type") == "end" for e in read_events(found[-1]))
        text = err.decode(errors="replace")
        record("removed folder", f"removed after {before} answers",
               not crashed(status, err) and all(a in saved for a in given) and ended
               and "written again" in text,
               f"exit {status}; {len([a for a in given if a in saved])}/6 answers in "
               f"{os.path.basename(found[-1]) if found else 'no file'}")


def partial_write():
    """A line cut short by a crash mid-write: resume removes it and carries on."""
    folder = os.path.join(ROOT, "partial")
    write_guide(folder)
    run(["run", "g.guide", "--transcripts", "t"], stdin=b"one\ntwo\n", cwd=folder)
    path = transcripts_in(os.path.join(folder, "t"))[0]
    with open(path, "ab") as handle:
        handle.write(b'{"ms":99,"q":"c","raw":"thr')
    status, _, err = run(["resume", path], stdin=b"three\n" + FINISH,
                         cwd=folder)
    text = err.decode(errors="replace")
    events = read_events(path)
    record("partial write", "a torn last line, then resume",
           not crashed(status, err) and status == 0 and None not in events
           and raws(path)[:3] == ["one", "two", "three"] and "cut short" in text,
           f"exit {status}; {text.strip().splitlines()[0] if text.strip() else ''}")


def two_writers():
    folder = os.path.join(ROOT, "two")
    write_guide(folder)
    first = Interview(["run", "g.guide", "--transcripts", "t"], cwd=folder)
    first.send(b"one\n")
    first.wait_for_questions(2)
    path = transcripts_in(os.path.join(folder, "t"))[0]
    status, _, err = run(["resume", path], stdin=b"intruder\n" + FINISH, cwd=folder)
    text = err.decode(errors="replace")
    first.send(b"two\nthree\n")
    first_status, _, first_err = first.finish()
    saved = raws(path)
    record("two processes", "resume while the interview runs",
           not crashed(status, err) and status != 0 and "intruder" not in saved
           and saved[:3] == ["one", "two", "three"] and first_status == 0,
           f"second: exit {status}, '{text.strip().splitlines()[-1] if text.strip() else ''}'")


# MARK: Broken transcripts


def make_transcripts():
    """A finished and an unfinished transcript of a guide file, and broken copies of them."""
    folder = os.path.join(ROOT, "broken")
    write_guide(folder)
    source = os.path.join(folder, "source")
    run(["run", "g.guide", "--transcripts", source, "--customer", "Broken Co"],
        stdin=b"alpha\nbeta\ngamma\n", cwd=folder)
    run(["run", "g.guide", "--transcripts", source, "--customer", "Broken Co"],
        stdin=b"one\ntwo\nthree\nfour\nfive\nsix\n" + FINISH, cwd=folder)
    paths = transcripts_in(source)
    paused = next(p for p in paths if not any(e and e.get("type") == "end"
                                              for e in read_events(p)))
    with open(paused, "rb") as handle:
        good = handle.read()
    lines = good.split(b"\n")[:-1]
    header = json.loads(lines[0])
    cases = {
        "torn last line": good + b'{"ms":120,"q":"d","raw":"del',
        "garbage line in the middle": b"\n".join(lines[:3] + [b"this is \xff not json"]
                                                 + lines[3:]) + b"\n",
        "unknown format version": json.dumps(dict(header, version=99)).encode() + b"\n"
        + b"\n".join(lines[1:]) + b"\n",
        "empty file": b"",
        "binary garbage": bytes(RANDOM.randrange(256) for _ in range(4096)),
        "header only": lines[0] + b"\n",
        "not a transcript (JSON of another kind)": b'{"hello":"world"}\n',
        "guide copy with errors": json.dumps(dict(header, guide=dict(
            header["guide"], source="title: T\n? broken (((\n", path="gone.guide"))).encode()
        + b"\n" + b"\n".join(lines[1:]) + b"\n",
    }
    # 50 MB: a long interview of notes and edits, every line a valid event.
    big = bytearray(good)
    filler = "y" * 1000
    number = 0
    while len(big) < 50 * 1024 * 1024:
        number += 1
        kind = "edit" if number % 2 else "note"
        event = {"ms": 1000 + number, "t": "2026-11-26T14:00:00.000Z", "type": kind, "q": "a"}
        if kind == "edit":
            event.update(raw=f"edit {number} {filler}", understood=True,
                         value=f"edit {number} {filler}")
        else:
            event.update(note=number, text=f"note {number} {filler}")
        big += json.dumps(event, separators=(",", ":")).encode() + b"\n"
    cases["50 MB transcript"] = bytes(big)
    written = {}
    for number, (name, data) in enumerate(cases.items()):
        case_folder = os.path.join(folder, f"case-{number}")
        os.makedirs(case_folder)
        path = os.path.join(case_folder, f"2026-11-26T1400Z_broken-co_{number:04d}.jsonl")
        with open(path, "wb") as handle:
            handle.write(data)
        os.chmod(path, 0o600)
        written[name] = path
    # The guide changed since: a question renamed, one removed, one added.
    changed = os.path.join(folder, "case-changed")
    os.makedirs(changed)
    path = os.path.join(changed, os.path.basename(paused))
    shutil.copy(paused, path)
    written["guide changed since"] = path
    return folder, written


def broken_transcripts():
    folder, cases = make_transcripts()
    with open(os.path.join(folder, "g.guide"), "w") as handle:
        handle.write(SMALL_GUIDE.replace("? b: B?", "? bee: Bee?\n  was: b")
                     .replace("? e: E?\n", "") + "? g: G?\n")
    listing = run(["--help"])[1].decode()
    extra = [name for name in ("report", "stats") if f"\n  {name} " in listing]
    for name, path in cases.items():
        transcripts = os.path.dirname(path)
        commands = {
            "list": (["list", "--transcripts", transcripts], b""),
            "replay": (["replay", path], b"n\nn\n:flags\n:actions\n:quit\n"),
            "resume": (["resume", path], b"late answer\n" + FINISH),
            "propose": (["propose", path], b""),
            "brief": (["brief", "Broken Co", "--transcripts", transcripts], b""),
            "history": (["history", "Broken Co", "--transcripts", transcripts], b""),
        }
        if "report" in extra:
            commands["report"] = (["report", path], b"")
            commands["report csv"] = (["report", path, "--format", "csv"], b"")
        if "stats" in extra:
            commands["stats"] = (["stats", transcripts], b"")
        for command, (args, stdin) in commands.items():
            started = time.time()
            try:
                status, out, err = run(args, stdin=stdin, cwd=folder)
            except subprocess.TimeoutExpired:
                record("broken transcripts", f"{command} on {name}", False, "no answer in 300 s")
                continue
            seconds = time.time() - started
            text = err.decode(errors="replace").strip()
            # Working, or saying what is wrong, naming the file or the customer.
            said = status == 0 or (text != "" and (os.path.basename(path) in text
                                                   or "Broken Co" in text or "broken" in text))
            first = first_line(text) if text else first_line(out)
            record("broken transcripts", f"{command} on {name}", not crashed(status, err) and said,
                   f"exit {status} in {seconds:.1f}s; {first}")


# MARK: Hostile input

HOSTILE = [
    ("a 1 MB paste", b"p" * (1024 * 1024) + b"\n"),
    ("invalid UTF-8", b"caf\xe9 \xff\xfe \xc3( end\n"),
    ("NUL bytes", b"nul\x00in\x00the middle\n"),
    ("escape sequences", b"\x1b]0;owned\x07\x1b[2J\x1b[31mred\xc2\x9b6n\x1bP+q\x1b\\ end\n"),
    ("an unknown command", b":notacommand\n"),
    ("an answer starting with ':'", b"::colon first\n"),
]


def hostile_piped():
    folder = os.path.join(ROOT, "hostile")
    write_guide(folder)
    for name, data in HOSTILE + [("5,000 pasted lines", b"".join(
            f"line {i}\n".encode() for i in range(5000)))]:
        transcripts = os.path.join(folder, str(len(os.listdir(folder))))
        status, out, err = run(["run", "g.guide", "--transcripts", transcripts],
                               stdin=data + b"after\n", cwd=folder)
        found = transcripts_in(transcripts)
        events = read_events(found[0]) if found else []
        kept = [e.get("raw") for e in events if e and e.get("type") in ("answer", "edit")]
        whole = bool(found) and None not in events
        leaked = b"\x1b]0;owned" in out or b"\x1b[2J" in out or b"\xc2\x9b" in out
        first = data.split(b"\n")[0]
        expected = first.decode("utf-8", "replace")
        if name == "an unknown command":
            stored = kept == ["after"] and b"unknown command ':notacommand'" in out
        elif name == "an answer starting with ':'":
            stored = ":colon first" in kept
        elif name == "5,000 pasted lines":
            stored = kept[:6] == [f"line {i}" for i in range(6)]
        else:
            stored = expected in kept
        record("hostile input (piped)", name,
               not crashed(status, err) and whole and stored and not leaked,
               f"exit {status}; stored as given: {stored}; escapes on screen: {leaked}")


def hostile_pty():
    folder = os.path.join(ROOT, "hostile-pty")
    write_guide(folder)
    for name, data in HOSTILE:
        transcripts = os.path.join(folder, str(len(os.listdir(folder))))
        pid, master = pty.fork()
        if pid == 0:
            os.chdir(folder)
            environment = env(TERM="xterm-256color", COLUMNS="100", LINES="30")
            os.execve(GEMBA, [GEMBA, "run", "g.guide", "--transcripts", transcripts,
                              "--interviewer", "Dana"], environment)
        screen = bytearray()

        def pump(seconds):
            deadline = time.time() + seconds
            while time.time() < deadline:
                ready, _, _ = select.select([master], [], [], 0.02)
                if ready:
                    try:
                        chunk = os.read(master, 65536)
                    except OSError:
                        return
                    if not chunk:
                        return
                    screen.extend(chunk)

        pump(1.5)
        # Typed in pieces, as a terminal delivers a paste, reading the screen in between.
        for start in range(0, len(data), 4096):
            os.write(master, data[start:start + 4096])
            pump(0.005)
        pump(1.0)
        for line in (b"after\r", b":end\r", b":end\r"):
            os.write(master, line)
            pump(0.5)
        pump(2.0)
        try:
            finished, code = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            finished, code = pid, 0
        if not finished:
            os.kill(pid, signal.SIGTERM)
            pump(1.0)
            finished, code = os.waitpid(pid, 0)
        os.close(master)
        status = os.waitstatus_to_exitcode(code)
        found = transcripts_in(transcripts)
        events = read_events(found[0]) if found else []
        kept = [e.get("raw") for e in events if e and e.get("type") in ("answer", "edit")]
        leaked = b"\x1b]0;owned" in screen or b"\x1b[2J" in screen or b"\xc2\x9b" in screen
        ended = any(e and e.get("type") == "end" for e in events)
        # The line editor keeps a line as typed, less what cannot be typed: the first answer
        # must hold the line's printable text (escape sequences are editing keys to libedit).
        printable = "".join(c for c in data.decode("utf-8", "replace").strip()
                            if c.isprintable())
        if name == "an unknown command":
            stored = kept == ["after"] and b"unknown command ':notacommand'" in screen
        else:
            stored = bool(kept) and kept[-1] == "after" and len(kept) == 2 and (
                name != "a 1 MB paste" or kept[0] == printable)
        record("hostile input (pty)", name,
               status == 0 and bool(found) and None not in events and ended and not leaked
               and stored,
               f"exit {status}; answers kept: {[k[:24] for k in kept]}; escapes on screen: {leaked}")


def main():
    if not os.access(GEMBA, os.X_OK):
        sys.exit(f"faults: {GEMBA} is not built; run 'make build'")
    print(f"faults: {GEMBA}, seed {SEED}, {KILLS} kills, in {ROOT}", flush=True)
    started = time.time()
    chosen = os.environ.get("STEPS", "").split(",")
    for step in (kill_trials, file_size_limit, small_tmpfs, read_only_mount, read_only_user,
                 removed_folder, partial_write, two_writers, broken_transcripts, hostile_piped,
                 hostile_pty):
        if chosen != [""] and step.__name__ not in chosen:
            continue
        try:
            step()
        except Exception as error:  # a broken harness is a failure, never a pass
            record(step.__name__, "harness", False, f"{type(error).__name__}: {error}")
    passed = sum(1 for r in RESULTS if r[2])
    failed = len(RESULTS) - passed
    print("\nfigures:")
    for key, value in FIGURES.items():
        print(f"  {key}: {value}")
    print(f"  seconds: {time.time() - started:.0f}")
    if failed == 0:
        shutil.rmtree(ROOT, ignore_errors=True)
    else:
        print(f"faults: kept {ROOT} for a look at what failed")
    print(f"{passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
