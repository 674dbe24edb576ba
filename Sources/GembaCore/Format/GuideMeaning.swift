/// What a guide means, as text that leaves out where anything was written: two guides that
/// differ only in layout have the same meaning.
///
/// It walks the parsed guide by reflection, so a field added to the guide's model later is
/// compared too without anyone remembering to add it here. Source places (`SourceRange`,
/// `SourceLocation`) and the source files themselves are left out.
public enum GuideMeaning {
  /// The meaning of `guide`, one line per value.
  public static func describe(_ guide: Guide) -> String {
    var out = ""
    describe(guide.header, into: &out, indent: "")
    describe(guide.sections, into: &out, indent: "")
    return out
  }

  /// The meaning of a rule file, by the same rules: its source and every place left out.
  public static func describe(rules: RuleFile) -> String {
    var out = ""
    describe(rules, into: &out, indent: "")
    return out
  }

  private static func describe(_ value: Any, into out: inout String, indent: String) {
    if value is SourceRange || value is SourceLocation || value is SourceFile { return }
    let mirror = Mirror(reflecting: value)
    if mirror.children.isEmpty {
      out += indent + String(reflecting: value) + "\n"
      return
    }
    out += indent + "\(mirror.subjectType)\n"
    let inner = indent + "  "
    if mirror.displayStyle == .dictionary || mirror.displayStyle == .set {
      // Hashed collections iterate in no fixed order; their entries are compared sorted.
      let parts = mirror.children.map { child -> String in
        var text = ""
        describe(child.value, into: &text, indent: inner)
        return text
      }
      out += parts.sorted().joined()
      return
    }
    for child in mirror.children {
      if child.value is SourceRange || child.value is SourceLocation || child.value is SourceFile {
        continue
      }
      if let label = child.label { out += inner + label + ":\n" }
      describe(child.value, into: &out, indent: inner)
    }
  }
}
