import GembaCore

/// The default rules and their tests, compiled into the binary with the guides, so `gemba
/// propose` and `gemba test` work from any folder.
enum BuiltInRules {
  struct Entry {
    /// The file name: `next-steps.rules`.
    var name: String
    var text: String

    /// The path shown in diagnostics and proposals for a built-in file.
    var path: String { "<built-in>/\(name)" }
  }

  static let rules: [Entry] = [
    Entry(
      name: "next-steps.rules",
      text: String(decoding: PackageResources.next_steps_rules, as: UTF8.self))
  ]

  static let tests: [Entry] = [
    Entry(
      name: "next-steps.test",
      text: String(decoding: PackageResources.next_steps_test, as: UTF8.self)),
    Entry(
      name: "coaching.test",
      text: String(decoding: PackageResources.coaching_test, as: UTF8.self)),
  ]

  /// The coach's flags: read by `gemba replay`, never part of the proposals `gemba propose`
  /// makes by default.
  static let coaching = Entry(
    name: "coaching.rules",
    text: String(decoding: PackageResources.coaching_rules, as: UTF8.self))

  /// The default rubric a coach scores against.
  static let rubric = Entry(
    name: "coaching.rubric",
    text: String(decoding: PackageResources.coaching_rubric, as: UTF8.self))

  /// The built-in rule or test file called `name` (`next-steps.rules`, or `next-steps` for the
  /// rules), or at the path a built-in file is shown under.
  static func named(_ name: String) -> Entry? {
    let bare = name.hasPrefix("<built-in>/") ? String(name.dropFirst(11)) : name
    return (rules + tests + [coaching, rubric]).first {
      $0.name == bare || $0.name == bare + ".rules"
    }
  }
}
