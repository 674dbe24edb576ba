/// Draws the flow of a guide as a picture: Graphviz DOT for `dot -Tsvg`, or a Mermaid flowchart
/// that GitHub shows inside a Markdown file.
///
/// Sections are boxes coloured by their part, questions are nodes labelled with their id and
/// answer kind, computed values are hexagons, and decisions (a section's `if:`, a conditional
/// `->` line) are diamonds. Edges carry their condition or option value; jumps are bold,
/// passing over is dashed, and whatever can never be reached is drawn dashed and red.
///
///     let analysis = FlowAnalyzer.analyze(guide)
///     let dot = GraphRenderer.render(guide, analysis: analysis, as: .dot)
///
/// Every label comes from the guide's text and is escaped for the format, so no title, id or
/// condition can break the output.
public enum GraphRenderer {
  /// The picture languages the renderer writes.
  public enum Format: String, Sendable, CaseIterable {
    /// Graphviz DOT, for `dot -Tsvg` and `dot -Tpng`.
    case dot
    /// A Mermaid `flowchart TD`, for a ```mermaid block in Markdown.
    case mermaid
  }

  /// The picture of `guide`'s flow in `format`; `analysis` says what can be reached.
  public static func render(
    _ guide: Guide, analysis: FlowAnalyzer.Result, as format: Format
  ) -> String {
    let picture = FlowPicture(guide, analysis: analysis)
    switch format {
    case .dot: return DotWriter.write(picture)
    case .mermaid: return MermaidWriter.write(picture)
    }
  }
}

// MARK: The picture, independent of the format

/// What both formats draw: visible nodes, the sections around them and the edges between them.
/// The flow graph's internal steps (section entries without a condition, the entry and asked
/// halves of a question, unconditional `->` lines) are folded away here.
private struct FlowPicture {
  enum Shape {
    case start
    case end
    case question
    case computed
    case decision
  }

  struct Node {
    var id: String
    var shape: Shape
    var lines: [String]
    var reachable: Bool
    /// The index of the section that holds the node.
    var section: Int?
  }

  enum EdgeStyle {
    /// The next step in the written order.
    case plain
    /// A jump: an option's, a question's or a `->` line's.
    case jump
    /// Passing over a question or a section whose `if:` is false.
    case passOver
  }

  struct Edge: Hashable {
    var from: String
    var to: String
    var label: [String]
    var style: EdgeStyle
    /// Whether the edge can be taken on some path from the start.
    var live: Bool
  }

  struct Cluster {
    var part: Part
    var title: String
    var reachable: Bool
    var nodes: [Int]
  }

  static let startID = "flow_start"
  static let endID = "flow_end"

  var title: String
  var nodes: [Node] = []
  var edges: [Edge] = []
  var clusters: [Cluster] = []
  /// Nodes that belong to no section, in drawing order: start, then end.
  var outside: [Int] = []

  init(_ guide: Guide, analysis: FlowAnalyzer.Result) {
    title = guide.header.title ?? ""
    var builder = Builder(guide: guide, analysis: analysis)
    builder.build()
    nodes = builder.nodes
    edges = builder.edges
    var members = Array(repeating: [Int](), count: guide.sections.count)
    for (index, node) in nodes.enumerated() {
      if let s = node.section { members[s].append(index) } else { outside.append(index) }
    }
    clusters = guide.sections.enumerated().map { s, section in
      var title = "\(section.part.rawValue): \(section.title)"
      if let minutes = section.budgetMinutes { title += " (\(minutes) min)" }
      return Cluster(
        part: section.part, title: title,
        reachable: analysis.reachable[analysis.graph.sectionEntries[s]], nodes: members[s])
    }
  }

  /// Turns the flow graph's nodes and edges into visible ones.
  private struct Builder {
    let guide: Guide
    let graph: FlowGraph
    let reachable: [Bool]
    let constants: [SourceRange: Bool]
    var nodes: [Node] = []
    var edges: [Edge] = []
    /// Flow nodes drawn as nothing: edges into them go on to the one node they lead to.
    var transparent: [Bool]
    /// The visible id of each flow node that is drawn.
    var visibleID: [Int: String] = [:]
    var usedIDs: Set<String> = [FlowPicture.startID, FlowPicture.endID]

    init(guide: Guide, analysis: FlowAnalyzer.Result) {
      self.guide = guide
      self.graph = analysis.graph
      self.reachable = analysis.reachable
      self.constants = analysis.constants
      self.transparent = Array(repeating: false, count: analysis.graph.nodes.count)
    }

    mutating func build() {
      findTransparentNodes()
      addNodes()
      addEdges()
    }

    private mutating func findTransparentNodes() {
      for (n, node) in graph.nodes.enumerated() {
        switch node {
        case .sectionEntry, .jump:
          if graph.edges[n].count == 1, case .always = graph.edges[n][0].condition {
            transparent[n] = true
          }
        default:
          break
        }
      }
      // A ring of jumps with nothing in between would fold into nothing: keep one of them.
      for n in graph.nodes.indices where transparent[n] {
        var seen = Set<Int>()
        var current = n
        while transparent[current] {
          guard seen.insert(current).inserted else {
            transparent[current] = false
            break
          }
          current = graph.edges[current][0].target
        }
      }
    }

    private mutating func addNodes() {
      nodes.append(
        Node(id: FlowPicture.startID, shape: .start, lines: ["start"], reachable: true))
      for (n, node) in graph.nodes.enumerated() where !transparent[n] {
        switch node {
        case .sectionEntry(let s):
          let section = guide.sections[s]
          let lines = section.condition == nil ? [section.title] : ["if"]
          add(n, base: "section\(s + 1)_if", .decision, lines, section: s)
        case .questionEntry(let s, let i):
          guard case .question(let question) = guide.sections[s].items[i] else { continue }
          var lines = [question.id, kindText(question)]
          if let condition = question.condition {
            lines += wrap("if " + ExpressionPrinter.print(condition))
          }
          let id = add(n, base: "q_" + question.id, .question, lines, section: s)
          visibleID[n + 1] = id
          // Asked is what counts: a question whose `if:` is always false is never asked.
          if let last = nodes.indices.last { nodes[last].reachable = reachable[n + 1] }
        case .questionAsked:
          continue
        case .computed(let s, let i):
          guard case .computed(let value) = guide.sections[s].items[i] else { continue }
          let lines = ["set \(value.name) ="] + wrap(ExpressionPrinter.print(value.expression))
          add(n, base: "set_" + value.name, .computed, lines, section: s)
        case .jump(let s, _):
          add(n, base: "section\(s + 1)_jump", .decision, ["jump"], section: s)
        case .end:
          visibleID[n] = FlowPicture.endID
          nodes.append(
            Node(id: FlowPicture.endID, shape: .end, lines: ["end"], reachable: reachable[n]))
        }
      }
    }

    @discardableResult
    private mutating func add(
      _ n: Int, base: String, _ shape: Shape, _ lines: [String], section: Int
    ) -> String {
      let id = uniqueID(base)
      visibleID[n] = id
      nodes.append(
        Node(id: id, shape: shape, lines: lines, reachable: reachable[n], section: section))
      return id
    }

    /// An identifier both formats accept as it is: ASCII letters, digits and underscores.
    private mutating func uniqueID(_ base: String) -> String {
      var safe = String(
        base.unicodeScalars.map { scalar -> Character in
          scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))
            ? Character(scalar) : "_"
        })
      if safe.isEmpty { safe = "node" }
      var id = safe
      var counter = 2
      while !usedIDs.insert(id).inserted {
        id = "\(safe)_\(counter)"
        counter += 1
      }
      return id
    }

    private mutating func addEdges() {
      let first = resolve(graph.start)
      edges.append(
        Edge(
          from: FlowPicture.startID, to: first.id, label: [],
          style: first.throughJump ? .jump : .plain, live: true))
      for (n, node) in graph.nodes.enumerated() where !transparent[n] {
        guard let from = visibleID[n] else { continue }
        for edge in graph.edges[n] {
          if case .questionEntry = node, edge.target == n + 1 { continue }
          let to = resolve(edge.target)
          var label: [String] = []
          var style = EdgeStyle.plain
          switch edge.reason {
          case .next, .asked:
            break
          case .passedOver:
            style = .passOver
          case .option(let value):
            label = [value]
            style = .jump
          case .jump:
            style = .jump
          }
          switch edge.condition {
          case .always:
            break
          case .whenTrue(let condition):
            label = wrap(ExpressionPrinter.print(condition))
          case .whenFalse(let condition):
            label = wrap(ExpressionPrinter.print(negation(of: condition)))
          }
          if to.throughJump { style = .jump }
          edges.append(
            Edge(
              from: from, to: to.id, label: label, style: style,
              live: reachable[n] && !isPruned(edge)))
        }
      }
      removeRedundantEdges()
    }

    /// A question passed over goes where it goes once answered: one edge says it all, and the
    /// question's own label shows its `if:`.
    private mutating func removeRedundantEdges() {
      var plain: [[String]: Int] = [:]
      for (index, edge) in edges.enumerated() where edge.style == .plain && edge.label.isEmpty {
        plain[[edge.from, edge.to]] = plain[[edge.from, edge.to]] ?? index
      }
      var redundant = Set<Int>()
      for (index, edge) in edges.enumerated() where edge.style == .passOver {
        guard let kept = plain[[edge.from, edge.to]] else { continue }
        // Passed over or answered, the flow goes on there: the edge is live if either is.
        edges[kept].live = edges[kept].live || edge.live
        redundant.insert(index)
      }
      var seen = Set<Edge>()
      edges = edges.enumerated().compactMap { index, edge in
        redundant.contains(index) || !seen.insert(edge).inserted ? nil : edge
      }
    }

    private func isPruned(_ edge: FlowGraph.Edge) -> Bool {
      switch edge.condition {
      case .always: false
      case .whenTrue(let condition): constants[condition.range] == false
      case .whenFalse(let condition): constants[condition.range] == true
      }
    }

    /// The visible node a flow node stands for, following folded-away steps.
    private func resolve(_ node: Int) -> (id: String, throughJump: Bool) {
      var current = node
      var throughJump = false
      while transparent[current] {
        let edge = graph.edges[current][0]
        if case .jump = edge.reason { throughJump = true }
        current = edge.target
      }
      return (visibleID[current] ?? FlowPicture.endID, throughJump)
    }

    /// The condition that holds when `condition` does not, in the words an author would use:
    /// `purpose is not answered` rather than `not (purpose is answered)`. Only the `is` tests
    /// are turned round: a comparison of a missing answer is false both ways.
    private func negation(of condition: Expression) -> Expression {
      switch condition.kind {
      case .not(let operand):
        return operand
      case .state(let a, let test, let negated):
        return Expression(.state(a, test, negated: !negated), condition.range)
      case .isValue(let a, let b, let negated):
        return Expression(.isValue(a, b, negated: !negated), condition.range)
      case .isOneOf(let a, let b, let negated):
        return Expression(.isOneOf(a, b, negated: !negated), condition.range)
      default:
        return Expression(.not(condition), condition.range)
      }
    }

    private func kindText(_ question: Question) -> String {
      var text: String
      switch question.kind {
      case .scale(let bounds):
        text = question.isAssessment ? bounds.description : "scale \(bounds.description)"
      case .number(let bounds, let unit):
        text = "number"
        if bounds.low != nil || bounds.high != nil { text += " \(bounds.description)" }
        if let unit { text += " \(unit)" }
      default:
        text = question.kind.name
        if question.isAssessment && question.kind == .text { text = "" }
      }
      if question.isAssessment { text = text.isEmpty ? "assess" : "assess \(text)" }
      if question.isRequired { text += ", required" }
      return text
    }
  }
}

/// Breaks text into lines of about `width` characters at spaces, so long conditions do not
/// stretch the picture.
private func wrap(_ text: String, width: Int = 30) -> [String] {
  var lines: [String] = []
  var line = ""
  for word in text.split(separator: " ", omittingEmptySubsequences: false) {
    if !line.isEmpty && line.count + 1 + word.count > width {
      lines.append(line)
      line = String(word)
    } else {
      line += line.isEmpty ? String(word) : " " + word
    }
  }
  lines.append(line)
  return lines
}

/// The colours of the picture, shared by both formats.
private enum Palette {
  static func fill(_ part: Part) -> String {
    switch part {
    case .before: "#e3edfb"
    case .customer: "#e5f4e3"
    case .after: "#fbeedd"
    }
  }

  static func border(_ part: Part) -> String {
    switch part {
    case .before: "#7d9ccf"
    case .customer: "#79ad73"
    case .after: "#d59a4a"
    }
  }

  static func text(_ part: Part) -> String {
    switch part {
    case .before: "#1e3a66"
    case .customer: "#24521f"
    case .after: "#6b4210"
    }
  }

  static let ink = "#333333"
  static let edge = "#555555"
  static let jump = "#1f5fbf"
  static let passOver = "#888888"
  static let unreachable = "#c62828"
  static let computedFill = "#fff7d6"
  static let computedBorder = "#b08d1a"

  /// What the legend explains, by part.
  static func meaning(_ part: Part) -> String {
    switch part {
    case .before: "before: the salesperson alone"
    case .customer: "customer: with the customer"
    case .after: "after: the debrief"
    }
  }
}

// MARK: Graphviz

private enum DotWriter {
  static func write(_ picture: FlowPicture) -> String {
    var out = "digraph flow {\n"
    out += "  graph [label=\(quote([picture.title])), labelloc=t, fontsize=18, "
    out += "fontname=\"Helvetica\", rankdir=TB, newrank=true, nodesep=0.3, ranksep=0.32];\n"
    out += "  node [fontname=\"Helvetica\", fontsize=11, shape=box, style=\"rounded,filled\", "
    out += "fillcolor=\"#ffffff\", color=\"\(Palette.ink)\", fontcolor=\"\(Palette.ink)\", "
    out += "margin=\"0.14,0.05\"];\n"
    out += "  edge [fontname=\"Helvetica\", fontsize=9, color=\"\(Palette.edge)\", "
    out += "fontcolor=\"\(Palette.edge)\", arrowsize=0.7];\n\n"
    for index in picture.outside where picture.nodes[index].shape == .start {
      out += "  " + node(picture.nodes[index]) + "\n"
    }
    var previous: String?
    var order: [String] = []
    let targets = Set(picture.edges.map(\.to))
    for (s, cluster) in picture.clusters.enumerated() {
      // The title is a node rather than the cluster's label: Graphviz routes edges around
      // nodes but straight through labels, which made titles hard to read.
      let title = "section\(s + 1)_title"
      out += "\n  subgraph cluster_section\(s + 1) {\n"
      out += "    label=\"\";\n"
      var style = "rounded,filled"
      var border = Palette.border(cluster.part)
      if !cluster.reachable {
        style += ",dashed"
        border = Palette.unreachable
      }
      out += "    style=\"\(style)\"; fillcolor=\"\(Palette.fill(cluster.part))\"; "
      out += "color=\"\(border)\";\n"
      out += "    \(title) [label=\(quote([cluster.title])), shape=plaintext, style=\"\", "
      out += "fontsize=12, fontcolor=\"\(Palette.text(cluster.part))\", height=0.2, margin=0];\n"
      for index in cluster.nodes {
        out += "    " + node(picture.nodes[index]) + "\n"
      }
      out += "  }\n"
      // Invisible edges keep each title above its section and below the one before.
      if let previous { order.append("\(previous) -> \(title)") }
      // Nodes nothing leads to (never reached) would float above the title without one.
      for (offset, index) in cluster.nodes.enumerated()
      where offset == 0 || !targets.contains(picture.nodes[index].id) {
        order.append("\(title) -> \(picture.nodes[index].id)")
      }
      previous = cluster.nodes.last.map { picture.nodes[$0].id } ?? title
    }
    out += "\n"
    for index in picture.outside where picture.nodes[index].shape != .start {
      out += "  " + node(picture.nodes[index]) + "\n"
    }
    out += "\n"
    for edge in picture.edges {
      out += "  " + self.edge(edge) + "\n"
    }
    if !order.isEmpty { out += "\n" }
    for line in order { out += "  \(line) [style=invis];\n" }
    out += legend()
    out += "}\n"
    return out
  }

  private static func node(_ node: FlowPicture.Node) -> String {
    var attributes = ["label=\(quote(node.lines))"]
    var style = ["rounded", "filled"]
    switch node.shape {
    case .start, .end:
      attributes += [
        node.shape == .start ? "shape=circle" : "shape=doublecircle", "fixedsize=true",
        "width=0.55", "fontsize=10", "fillcolor=\"\(Palette.ink)\"", "fontcolor=\"#ffffff\"",
      ]
      style = ["filled"]
    case .question:
      break
    case .computed:
      attributes += [
        "shape=hexagon", "fillcolor=\"\(Palette.computedFill)\"",
        "color=\"\(Palette.computedBorder)\"",
      ]
      style = ["filled"]
    case .decision:
      attributes += ["shape=diamond", "fontsize=9", "height=0.4", "margin=\"0.02,0.02\""]
      style = ["filled"]
    }
    if !node.reachable {
      style.append("dashed")
      attributes += [
        "color=\"\(Palette.unreachable)\"", "fontcolor=\"\(Palette.unreachable)\"", "penwidth=1.6",
      ]
    }
    if style != ["rounded", "filled"] {
      attributes.append("style=\"\(style.joined(separator: ","))\"")
    }
    return "\(node.id) [\(attributes.joined(separator: ", "))];"
  }

  private static func edge(_ edge: FlowPicture.Edge) -> String {
    var attributes: [String] = []
    if !edge.label.isEmpty { attributes.append("label=\(quote(edge.label))") }
    switch edge.style {
    case .plain:
      break
    case .jump:
      attributes += [
        "style=bold", "color=\"\(Palette.jump)\"", "fontcolor=\"\(Palette.jump)\"",
      ]
    case .passOver:
      attributes += [
        "style=dashed", "color=\"\(Palette.passOver)\"", "fontcolor=\"\(Palette.passOver)\"",
      ]
    }
    if !edge.live {
      attributes = attributes.filter { !$0.hasPrefix("style") && !$0.hasPrefix("color") }
      attributes += ["style=dashed", "color=\"\(Palette.unreachable)\""]
    }
    let list = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
    return "\(edge.from) -> \(edge.to)\(list);"
  }

  private static func legend() -> String {
    var out = "\n  subgraph cluster_legend {\n"
    out += "    label=\"Legend\"; style=\"rounded\"; color=\"#bbbbbb\"; "
    out += "fontcolor=\"\(Palette.ink)\"; fontsize=12; labeljust=l;\n"
    out += "    node [fontsize=9];\n"
    var parts: [String] = []
    for part in Part.allCases {
      parts.append("legend_\(part.rawValue)")
      out += "    legend_\(part.rawValue) [label=\(quote([Palette.meaning(part)])), "
      out += "fillcolor=\"\(Palette.fill(part))\", color=\"\(Palette.border(part))\", "
      out += "fontcolor=\"\(Palette.text(part))\"];\n"
    }
    out += "    legend_unreachable [label=\"dashed red:\\ncan never be reached\", "
    out += "style=\"rounded,filled,dashed\", color=\"\(Palette.unreachable)\", "
    out += "fontcolor=\"\(Palette.unreachable)\", penwidth=1.6];\n"
    out += "    legend_question [label=\"question id\\nanswer kind\"];\n"
    out += "    legend_computed [label=\"set value =\\nexpression\", shape=hexagon, "
    out += "style=filled, fillcolor=\"\(Palette.computedFill)\", "
    out += "color=\"\(Palette.computedBorder)\"];\n"
    out += "    legend_decision [label=\"if / jump\", shape=diamond, style=filled, fontsize=8, "
    out += "margin=\"0.02,0.02\"];\n"
    out += "    node [label=\"\", shape=point, width=0.06];\n"
    out += "    legend_jump_from; legend_jump_to; legend_pass_from; legend_pass_to;\n"
    out += "    legend_jump_from -> legend_jump_to [label=\" jump \", style=bold, "
    out += "color=\"\(Palette.jump)\", fontcolor=\"\(Palette.jump)\"];\n"
    out += "    legend_pass_from -> legend_pass_to [label=\" passed over \", style=dashed, "
    out += "color=\"\(Palette.passOver)\", fontcolor=\"\(Palette.passOver)\"];\n"
    let rows = [
      parts,
      ["legend_question", "legend_computed", "legend_decision", "legend_unreachable"],
      ["legend_jump_from", "legend_jump_to", "legend_pass_from", "legend_pass_to"],
    ]
    // Rows in a fixed order, narrow enough not to widen the picture: rank=same keeps each row
    // flat, invisible edges order the nodes in a row and stack the rows.
    for row in rows {
      out += "    { rank=same; \(row.joined(separator: "; ")); }\n"
    }
    for row in rows.dropLast() {
      out += "    \(row.joined(separator: " -> ")) [style=invis];\n"
    }
    out += "    legend_jump_to -> legend_pass_from [style=invis];\n"
    out += "    legend_before -> legend_question -> legend_jump_from [style=invis];\n"
    out += "  }\n"
    return out
  }

  /// A DOT string: backslashes and quotes escaped, `&` written as an entity because Graphviz
  /// reads entities in plain labels, and lines joined with DOT's centred line break.
  private static func quote(_ lines: [String]) -> String {
    let escaped = lines.map { line in
      var out = ""
      for character in TerminalSafe.neutralize(line) {
        switch character {
        case "\\": out += "\\\\"
        case "\"": out += "\\\""
        case "&": out += "&amp;"
        default: out.append(character)
        }
      }
      return out
    }
    return "\"" + escaped.joined(separator: "\\n") + "\""
  }
}

// MARK: Mermaid

private enum MermaidWriter {
  static func write(_ picture: FlowPicture) -> String {
    var out = "flowchart TD\n"
    out += "  classDef question fill:#ffffff,stroke:\(Palette.ink),color:\(Palette.ink)\n"
    out += "  classDef computed fill:\(Palette.computedFill),stroke:\(Palette.computedBorder),"
    out += "color:\(Palette.ink)\n"
    out += "  classDef decision fill:#ffffff,stroke:\(Palette.ink),color:\(Palette.ink)\n"
    out += "  classDef terminal fill:\(Palette.ink),stroke:\(Palette.ink),color:#ffffff\n"
    out += "  classDef unreachable stroke:\(Palette.unreachable),stroke-width:2px,"
    out += "stroke-dasharray:5 3,color:\(Palette.unreachable)\n"
    var classes: [(name: String, ids: [String])] = [
      ("question", []), ("computed", []), ("decision", []), ("terminal", []), ("unreachable", []),
    ]
    func declare(_ node: FlowPicture.Node, indent: String) -> String {
      let name: String
      switch node.shape {
      case .start, .end: name = "terminal"
      case .question: name = "question"
      case .computed: name = "computed"
      case .decision: name = "decision"
      }
      if let index = classes.firstIndex(where: { $0.name == name }) {
        classes[index].ids.append(node.id)
      }
      if !node.reachable, let index = classes.firstIndex(where: { $0.name == "unreachable" }) {
        classes[index].ids.append(node.id)
      }
      return indent + self.node(node) + "\n"
    }
    for index in picture.outside where picture.nodes[index].shape == .start {
      out += declare(picture.nodes[index], indent: "  ")
    }
    var styles: [String] = []
    for (s, cluster) in picture.clusters.enumerated() {
      let id = "section\(s + 1)"
      out += "  subgraph \(id) [\(quote([cluster.title]))]\n"
      for index in cluster.nodes {
        out += declare(picture.nodes[index], indent: "    ")
      }
      out += "  end\n"
      var style = "fill:\(Palette.fill(cluster.part)),color:\(Palette.text(cluster.part)),"
      if cluster.reachable {
        style += "stroke:\(Palette.border(cluster.part))"
      } else {
        style += "stroke:\(Palette.unreachable),stroke-dasharray:5 3"
      }
      styles.append("  style \(id) \(style)\n")
    }
    for index in picture.outside where picture.nodes[index].shape != .start {
      out += declare(picture.nodes[index], indent: "  ")
    }
    out += legend(&styles)
    var jumps: [Int] = []
    var passOvers: [Int] = []
    var dead: [Int] = []
    for (index, edge) in picture.edges.enumerated() {
      let arrow: String
      switch edge.style {
      case .plain:
        arrow = "-->"
      case .jump:
        arrow = "==>"
        if edge.live { jumps.append(index) }
      case .passOver:
        arrow = "-.->"
        if edge.live { passOvers.append(index) }
      }
      if !edge.live { dead.append(index) }
      let label = edge.label.isEmpty ? "" : "|\(quote(edge.label))|"
      out += "  \(edge.from) \(arrow)\(label) \(edge.to)\n"
    }
    // Invisible links stack the legend in two rows, so it does not widen the picture; they
    // come after the flow's edges so that linkStyle's numbers stay those of the flow.
    out += "  legend_before ~~~ legend_question\n"
    out += "  legend_customer ~~~ legend_computed\n"
    out += "  legend_after ~~~ legend_decision\n"
    out += "  legend_unreachable ~~~ legend_edges\n"
    out += styles.joined()
    for (name, ids) in classes where !ids.isEmpty {
      out += "  class \(ids.joined(separator: ",")) \(name)\n"
    }
    let linkStyles = [
      (jumps, "stroke:\(Palette.jump),color:\(Palette.jump)"),
      (passOvers, "stroke:\(Palette.passOver),color:\(Palette.passOver)"),
      (dead, "stroke:\(Palette.unreachable),stroke-dasharray:5 3,color:\(Palette.unreachable)"),
    ]
    for (indices, style) in linkStyles where !indices.isEmpty {
      out += "  linkStyle \(indices.map(String.init).joined(separator: ",")) \(style)\n"
    }
    return out
  }

  private static func node(_ node: FlowPicture.Node) -> String {
    let label = quote(node.lines)
    switch node.shape {
    case .start, .end: return "\(node.id)((\(label)))"
    case .question: return "\(node.id)(\(label))"
    case .computed: return "\(node.id){{\(label)}}"
    case .decision: return "\(node.id){\(label)}"
    }
  }

  private static func legend(_ styles: inout [String]) -> String {
    var out = "  subgraph legend [\"Legend\"]\n"
    for part in Part.allCases {
      out += "    legend_\(part.rawValue)[\(quote([Palette.meaning(part)]))]\n"
      styles.append(
        "  style legend_\(part.rawValue) fill:\(Palette.fill(part)),"
          + "stroke:\(Palette.border(part)),color:\(Palette.text(part))\n")
    }
    out += "    legend_unreachable(\"dashed red:<br>can never be reached\")\n"
    out += "    legend_question(\"question id<br>answer kind\")\n"
    out += "    legend_computed{{\"set value =<br>expression\"}}\n"
    out += "    legend_decision{\"if / jump\"}\n"
    out += "    legend_edges(\"edges: thick blue, a jump;<br>dotted, passed over\")\n"
    out += "  end\n"
    styles.append("  style legend fill:#ffffff,stroke:#bbbbbb\n")
    styles.append(
      "  style legend_unreachable stroke:\(Palette.unreachable),stroke-width:2px,"
        + "stroke-dasharray:5 3,color:\(Palette.unreachable)\n")
    return out
  }

  /// A Mermaid string: every character that Mermaid or the HTML it makes could read as syntax
  /// is written as an entity code (`#34;`), and lines are joined with `<br>`. `%` is among them
  /// because Mermaid looks for `%%{` directives anywhere in the text, even inside quotes; `$`
  /// because `$$` starts math.
  private static func quote(_ lines: [String]) -> String {
    let escaped = lines.map { line in
      var out = ""
      for character in TerminalSafe.neutralize(line) {
        if let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
          specials.contains(scalar)
        {
          out += "#\(scalar.value);"
        } else {
          out.append(character)
        }
      }
      return out
    }
    return "\"" + escaped.joined(separator: "<br>") + "\""
  }

  private static let specials: Set<Unicode.Scalar> = [
    "\"", "#", "&", "<", ">", "`", "|", "\\", "[", "]", "{", "}", "$", "%",
  ]
}
