/// The Check part a follow-up meeting opens with: for each promise still open from earlier
/// meetings, what was expected, what actually happened, what was learned, whether the customer
/// declares it done, and adopt, adapt or abandon (CAPD: check first, METHOD.md §3).
///
/// The part is written as guide text and put before the guide's first section with the
/// customer, so the engine asks it like any other questions: answers are kept, skipped, edited
/// and replayed the same way, and rules read them. It is made again from the transcript header's
/// `followUp` whenever the transcript is read, so the recorded guide stays the guide as written.
public enum FollowUpCheck {
  /// The title of the section.
  public static let sectionTitle = "Last time's promises"

  /// The options of `check_N_status`: whether the customer declares the promise done.
  public enum Status: String, Sendable, CaseIterable, Codable {
    case done
    case notDone = "not_done"
    case changed
    case released

    /// Whether the promise is closed by it: only the customer's declaration closes one.
    public var closes: Bool { self == .done || self == .released }

    public var label: String {
      switch self {
      case .done: return "Done: the customer says it is done as they wanted"
      case .notDone: return "Not done: it did not happen"
      case .changed: return "Changed: it was agreed differently"
      case .released: return "Released: the customer no longer needs it"
      }
    }
  }

  /// The options of `check_N_act`.
  public static let acts: [(value: String, label: String)] = [
    ("adopt", "Adopt: it worked; make it the way we work with them"),
    ("adapt", "Adapt: change the approach and try again"),
    ("abandon", "Abandon: drop it and plan something else"),
  ]

  /// The question ids for promise `slot` (from 1).
  public static func expectedID(_ slot: Int) -> String { "check_\(slot)_expected" }
  public static func happenedID(_ slot: Int) -> String { "check_\(slot)_happened" }
  public static func learnedID(_ slot: Int) -> String { "check_\(slot)_learned" }
  public static func statusID(_ slot: Int) -> String { "check_\(slot)_status" }
  public static func newID(_ slot: Int) -> String { "check_\(slot)_new" }
  public static func actID(_ slot: Int) -> String { "check_\(slot)_act" }
  /// The computed value holding promise `slot`'s due date, when it has one.
  public static func dueName(_ slot: Int) -> String { "check_\(slot)_due" }

  /// The slot `id` belongs to and the question's stem (`status`, `act`…), for a check question.
  public static func slot(of id: String) -> (slot: Int, field: String)? {
    let parts = id.split(separator: "_", maxSplits: 2)
    guard parts.count == 3, parts[0] == "check", let slot = Int(parts[1]), slot > 0 else {
      return nil
    }
    return (slot, String(parts[2]))
  }

  /// The Check part as guide text: one section, a block of questions per promise.
  public static func section(_ followUp: FollowUp) -> String {
    let today = Day(iso: followUp.asOf)
    let minutes = max(2, followUp.promises.count * 2)
    var out = "# \(sectionTitle) (customer, \(minutes) min)\n"
    out +=
      "intro: Check first (CAPD): what was promised last time, what actually happened and what "
      + "it taught you both. Adopt, adapt or abandon before planning anything new.\n"
    for (offset, promise) in followUp.promises.enumerated() {
      let slot = offset + 1
      let text = literal(promise.text)
      if let due = promise.dueDay { out += "set \(dueName(slot)) = \(due)\n" }
      var when = promise.due.map { "by \($0)" } ?? "with no date"
      if let today, let due = promise.dueDay, due < today {
        let days = today.ordinal - due.ordinal
        when += ", \(days) day\(days == 1 ? "" : "s") overdue"
      }
      let answer =
        promise.answer == .yesIf
        ? "; yes if \(literal(promise.conditions ?? ""))" : ""
      out +=
        "? \(expectedID(slot)): On \(promise.made) \(promise.ownerPhrase) promised \"\(text)\" "
        + "(\(when)\(answer)). What did you expect it to show?\n"
      out +=
        "  hint: Expected against actual is where the learning is (Toyota Kata). Read back the "
        + "promise in their words before asking what happened.\n"
      out += "  tags: expectation\n"
      out += "? \(happenedID(slot)): What actually happened with \"\(text)\"?\n"
      out += "  probe: When was that, and who was there?\n"
      out += "  probe: What got in the way, or what made it work?\n"
      out += "  tags: learning\n"
      out += "? \(learnedID(slot)): What did you both learn from it?\n"
      out += "  tags: learning\n"
      out += "? \(statusID(slot)) (choice): Is it done, as far as the customer is concerned?\n"
      for status in Status.allCases { out += "  - \(status.rawValue): \(status.label)\n" }
      out +=
        "  hint: A promise closes only when the customer declares it done (Flores). Ask them; "
        + "do not decide it for them.\n"
      out +=
        "? \(newID(slot)): What was agreed instead, in the customer's words? Who does what, by "
        + "when?\n"
      out += "  if: \(statusID(slot)) is changed\n"
      out += "  tags: next-step, promise\n"
      out += "? \(actID(slot)) (choice): Adopt, adapt or abandon what was tried?\n"
      for act in acts { out += "  - \(act.value): \(act.label)\n" }
      out += "  tags: learning\n"
    }
    return out
  }

  /// `source` with the Check part put before its first section with the customer (or at the
  /// end, when it has none).
  public static func insert(_ followUp: FollowUp, into source: String, path: String) -> String {
    guard !followUp.promises.isEmpty else { return source }
    let parsed = GuideParser.parse(path: path, text: source).guide
    let section = "\n" + self.section(followUp) + "\n"
    guard
      let first = parsed.sections.first(where: { $0.part == .customer }),
      first.range.start.path == path
    else {
      return source + (source.hasSuffix("\n") ? "" : "\n") + section
    }
    var lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    let at = min(max(first.range.start.line - 1, 0), lines.count)
    lines.insert(Substring(section), at: at)
    return lines.joined(separator: "\n")
  }

  /// The guide an interview ran on: the guide `source` at `path`, with the Check part of
  /// `followUp` when there is one.
  public static func guide(source: String, path: String, followUp: FollowUp?) -> Guide {
    guard let followUp, !followUp.promises.isEmpty else {
      return GuideParser.parse(path: path, text: source).guide
    }
    return GuideParser.parse(path: path, text: insert(followUp, into: source, path: path)).guide
  }

  /// Text as it can stand inside a guide line: one line, braces doubled so nothing is
  /// interpolated.
  static func literal(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "\n", "\r", "\t": out.append(" ")
      case "{": out += "{{"
      case "}": out += "}}"
      default: out.append(character)
      }
    }
    return out.trimmingSpaces()
  }
}
