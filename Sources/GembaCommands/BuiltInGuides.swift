import GembaCore

/// The default guides, compiled into the binary so `gemba` works from any folder.
enum BuiltInGuides {
  struct Entry {
    var name: String
    var text: String

    /// The path shown in diagnostics and transcripts for a built-in guide.
    var path: String { "<built-in>/\(name).guide" }
  }

  static let all: [Entry] = [
    Entry(
      name: "customer-purpose",
      text: String(decoding: PackageResources.customer_purpose_guide, as: UTF8.self)),
    Entry(
      name: "jtbd-switch", text: String(decoding: PackageResources.jtbd_switch_guide, as: UTF8.self)
    ),
  ]

  /// The guide a plain `gemba` runs.
  static var defaultGuide: Entry { all[0] }

  /// The built-in guide called `name` (with or without `.guide`).
  static func named(_ name: String) -> Entry? {
    let bare = name.hasSuffix(".guide") ? String(name.dropLast(6)) : name
    return all.first { $0.name == bare }
  }
}
