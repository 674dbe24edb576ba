import Foundation
import Testing

/// The built `gemba` running under a pseudo-terminal, so the real line editor reads the keys, as
/// it does for a person.
///
/// The child gets a session of its own (`POSIX_SPAWN_SETSID`) and opens the slave as fd 0 before
/// it runs, so the pty is its controlling terminal and the kernel treats ^C, ^Z and a resize as
/// it would in a terminal window. Keys are written only once libedit has the terminal in raw
/// mode: typed any earlier, they go through the kernel's line discipline (LIBEDIT.md §13).
final class PseudoTerminal {
  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  /// `POSIX_SPAWN_SETSID`: Glibc defines it only under `__USE_GNU`, which Swift does not see.
  static let spawnSetsid: Int16 = 0x80

  /// What Gemba writes before each line it reads (it turns bracketed paste on): a count of these
  /// is a count of prompts, in the program's own output rather than libedit's redraws.
  static let promptMarker = Array("\u{1B}[?2004h".utf8)

  /// How long a wait may take before the test fails; far above what a step needs, so a busy
  /// machine does not fail a test.
  static let timeout: TimeInterval = 15

  let pid: pid_t
  private var master: Int32
  private var bytes: [UInt8] = []
  private var promptsSeen = 0
  private var promptsTaken = 0
  private var nextMarkerScan = 0
  private var exitStatus: Int32?

  private init(pid: pid_t, master: Int32) {
    self.pid = pid
    self.master = master
  }

  deinit {
    if exitStatus == nil {
      kill(pid, SIGKILL)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    if master >= 0 { close(master) }
  }

  /// Starts `gemba arguments` on a new terminal of `rows` × `columns`.
  ///
  /// It runs in this process's folder, so every path it needs goes in `arguments`. The environment is this process's with a private home and state folder under `folder` (so
  /// the history file goes there), `TERM=xterm-256color`, a UTF-8 locale and `NO_COLOR=1`; a nil
  /// value in `environment` removes a variable.
  static func start(
    _ arguments: [String], home folder: URL, environment: [String: String?] = [:],
    rows: UInt16 = 30, columns: UInt16 = 100
  ) throws -> PseudoTerminal {
    var env = ProcessInfo.processInfo.environment
    for name in ["LC_ALL", "LC_CTYPE", "COLUMNS", "LINES", "GEMBA_TRANSCRIPTS", "XDG_DATA_HOME"] {
      env[name] = nil
    }
    env["TERM"] = "xterm-256color"
    env["LANG"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    env["HOME"] = folder.appendingPathComponent("home").path
    env["XDG_STATE_HOME"] = folder.appendingPathComponent("state").path
    for (name, value) in environment { env[name] = value }

    var master: Int32 = -1
    var slave: Int32 = -1
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    guard openpty(&master, &slave, nil, nil, &size) == 0 else {
      throw Failure(description: "openpty failed: \(String(cString: strerror(errno)))")
    }
    // Neither end may leak into another test's child: a leaked master keeps the terminal open.
    _ = fcntl(master, F_SETFD, FD_CLOEXEC)
    _ = fcntl(slave, F_SETFD, FD_CLOEXEC)
    defer { close(slave) }
    var name = [CChar](repeating: 0, count: 256)
    guard ttyname_r(slave, &name, name.count) == 0 else {
      close(master)
      throw Failure(description: "no name for the pty's slave")
    }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Opened after setsid, the slave becomes the controlling terminal.
    posix_spawn_file_actions_addopen(&actions, 0, name, O_RDWR, 0)
    posix_spawn_file_actions_adddup2(&actions, 0, 1)
    posix_spawn_file_actions_adddup2(&actions, 0, 2)
    // Nothing else of this process, such as another test's terminal, goes to the child. Glibc
    // hides the call behind __USE_GNU too, so it is looked up by name.
    if let closeFrom = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
      typealias CloseFrom =
        @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32)
        -> Int32
      _ = unsafeBitCast(closeFrom, to: CloseFrom.self)(&actions, 3)
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // The test runner's threads block and ignore signals the child must see as a person's
    // program would: start it with none blocked and the usual ones at their defaults.
    var none = sigset_t()
    sigemptyset(&none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH] {
      sigaddset(&defaults, number)
    }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(
      &attributes,
      Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF) | spawnSetsid)

    let binary = BinaryRunner.binary.path
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
    guard result == 0 else {
      close(master)
      throw Failure(description: "posix_spawn failed: \(String(cString: strerror(result)))")
    }
    _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
    return PseudoTerminal(pid: pid, master: master)
  }

  // MARK: Output

  /// Where the output stands now; pass it to ``text(from:)`` or ``waitFor(_:from:)``.
  var offset: Int { bytes.count }

  /// What the program wrote from `offset` on, with the terminal's CR LF as LF.
  func text(from offset: Int = 0) -> String {
    String(decoding: bytes[min(offset, bytes.count)...], as: UTF8.self)
      .replacingOccurrences(of: "\r\n", with: "\n")
  }

  /// Reads what is there, waiting up to `milliseconds` for something to arrive.
  private func pump(milliseconds: Int32) {
    var descriptor = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
    guard poll(&descriptor, 1, milliseconds) > 0 else { return }
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = read(master, &buffer, buffer.count)
      guard count > 0 else { break }
      bytes += buffer[..<count]
    }
    countPrompts()
  }

  private func countPrompts() {
    let marker = Self.promptMarker
    guard bytes.count >= marker.count else { return }
    var start = nextMarkerScan
    while start + marker.count <= bytes.count {
      if bytes[start] == marker[0], Array(bytes[start..<start + marker.count]) == marker {
        promptsSeen += 1
      }
      start += 1
    }
    nextMarkerScan = start
  }

  /// Waits, reading output, until `done` holds.
  private func wait(_ what: @autoclosure () -> String, until done: () -> Bool) throws {
    let deadline = Date().addingTimeInterval(Self.timeout)
    while !done() {
      if Date() > deadline {
        throw Failure(description: "timed out waiting for \(what()); output ends:\n\(tail())")
      }
      pump(milliseconds: 2)
      reap()
    }
  }

  /// The end of the output, for a failure message.
  func tail(_ count: Int = 1500) -> String {
    String(text().suffix(count)).replacingOccurrences(of: "\u{1B}", with: "\\e")
  }

  /// Waits until `text` appears in the output after `offset`.
  func waitFor(_ text: String, from offset: Int = 0) throws {
    try wait("'\(text)'", until: { self.text(from: offset).contains(text) })
  }

  // MARK: Typing

  /// Whether libedit has the terminal in raw mode: `tcgetattr` on the master reports the
  /// slave's settings.
  var isInRawMode: Bool {
    var settings = termios()
    guard tcgetattr(master, &settings) == 0 else { return false }
    return settings.c_lflag & tcflag_t(ICANON) == 0
  }

  /// Whether the terminal is back as a shell expects it: lines edited by the kernel, with echo.
  var isCooked: Bool {
    var settings = termios()
    guard tcgetattr(master, &settings) == 0 else { return false }
    let cooked = tcflag_t(ICANON) | tcflag_t(ECHO)
    return settings.c_lflag & cooked == cooked
  }

  /// Waits for a prompt not waited for before, with the terminal in raw mode.
  func waitForPrompt() throws {
    try wait("a new prompt", until: { promptsSeen > promptsTaken })
    try wait("raw mode at the prompt", until: { isInRawMode })
    promptsTaken = promptsSeen
  }

  /// Types `keys` at the prompt that is open now, once the terminal is in raw mode.
  func type(_ keys: String) throws {
    try wait("raw mode before typing", until: { isInRawMode })
    write(keys)
  }

  /// Writes `keys` as they are, whatever mode the terminal is in.
  func write(_ keys: String) {
    var pending = Array(keys.utf8)[...]
    while !pending.isEmpty {
      let written = pending.withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
      if written > 0 {
        pending = pending.dropFirst(written)
      } else {
        // The terminal's input queue is full: let the program read.
        pump(milliseconds: 2)
      }
    }
  }

  /// Waits for the next prompt and types `line` and Enter.
  func answer(_ line: String) throws {
    try waitForPrompt()
    write(line + "\r")
  }

  // MARK: The process

  /// Sets the window size, as a terminal window does when dragged; the kernel sends SIGWINCH to
  /// the foreground process group.
  func resize(rows: UInt16, columns: UInt16) {
    var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
    _ = ioctl(master, UInt(TIOCSWINSZ), &size)
  }

  /// Closes the terminal, as closing its window does: the session leader gets SIGHUP.
  func hangUp() {
    close(master)
    master = -1
  }

  private func reap() {
    guard exitStatus == nil else { return }
    var status: Int32 = 0
    if waitpid(pid, &status, WNOHANG) == pid { exitStatus = status }
  }

  var isRunning: Bool {
    reap()
    return exitStatus == nil
  }

  /// Waits for the program to end; its exit code, or 128 + the signal that ended it.
  @discardableResult
  func waitForExit() throws -> Int32 {
    try wait("the program to end", until: { !isRunning })
    pump(milliseconds: 0)
    let status = exitStatus ?? 0
    return status & 0x7f == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
  }
}
