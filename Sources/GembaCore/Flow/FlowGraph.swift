/// The flow of a guide as a graph: what can follow what, given the order of sections and
/// questions, conditions and jumps. The engine walks the same rules one answer at a time; the
/// checker and `gemba graph` look at the whole graph at once.
///
/// The rules:
/// - Sections follow each other in the order written; after the last one the interview ends.
/// - A section whose `if:` is false when the flow reaches it is passed over, to the next section.
/// - A question whose `if:` is false is passed over. An asked question may be answered or
///   skipped; an option's jump is taken when that option is chosen; then the question's own
///   jumps are tried in order, and the first whose condition holds is taken.
/// - A `->` line in the flow jumps when reached and its condition (if any) holds.
public struct FlowGraph: Sendable {
  public enum Node: Sendable, Hashable {
    case sectionEntry(section: Int)
    /// Where a question's `if:` is decided.
    case questionEntry(section: Int, item: Int)
    /// The question once asked (answered or skipped).
    case questionAsked(section: Int, item: Int)
    case computed(section: Int, item: Int)
    case jump(section: Int, item: Int)
    case end
  }

  /// When an edge can be taken.
  public enum Condition: Sendable {
    case always
    case whenTrue(Expression)
    case whenFalse(Expression)
  }

  /// Why an edge is there, for pictures.
  public enum Reason: Sendable {
    /// The next step in the written order.
    case next
    /// A section or question passed over because its `if:` is false.
    case passedOver
    /// An option's jump.
    case option(String)
    /// A question's or the flow's jump.
    case jump
    /// A section or question asked because its `if:` holds.
    case asked
  }

  public struct Edge: Sendable {
    public var target: Int
    public var condition: Condition
    public var reason: Reason
  }

  public var nodes: [Node] = []
  public var edges: [[Edge]] = []
  public let start: Int
  public let end: Int
  /// The node of each section's entry, by section index.
  public var sectionEntries: [Int] = []
  /// The node of each item (a question's entry node), by section and item index.
  public var itemNodes: [[Int]] = []
  /// The asked node of each question, by id.
  public var askedNode: [String: Int] = [:]
  /// The entry node of each question, by id.
  public var entryNode: [String: Int] = [:]
  /// The nodes of each computed value's `set` lines, by name.
  public var computedNodes: [String: [Int]] = [:]

  /// Builds the graph of `guide`.
  public init(_ guide: Guide) {
    var nodes: [Node] = []
    var itemNode: [[Int]] = []
    var sectionEntries: [Int] = []
    for (s, section) in guide.sections.enumerated() {
      sectionEntries.append(nodes.count)
      nodes.append(.sectionEntry(section: s))
      var row: [Int] = []
      for (i, item) in section.items.enumerated() {
        row.append(nodes.count)
        switch item {
        case .question:
          nodes.append(.questionEntry(section: s, item: i))
          nodes.append(.questionAsked(section: s, item: i))
        case .computed: nodes.append(.computed(section: s, item: i))
        case .jump: nodes.append(.jump(section: s, item: i))
        }
      }
      itemNode.append(row)
    }
    let endNode = nodes.count
    nodes.append(.end)
    self.nodes = nodes
    self.edges = Array(repeating: [], count: nodes.count)
    self.start = sectionEntries.first ?? endNode
    self.end = endNode
    self.sectionEntries = sectionEntries
    self.itemNodes = itemNode
    // Sized once: growing them a question at a time rehashed every id again and again.
    askedNode.reserveCapacity(nodes.count / 2)
    entryNode.reserveCapacity(nodes.count / 2)

    var slugs: [String: Int] = [:]
    for (s, section) in guide.sections.enumerated() where slugs[section.slug] == nil {
      slugs[section.slug] = sectionEntries[s]
    }
    func target(_ jump: Jump) -> Int? {
      jump.isEnd ? endNode : slugs[Section.slug(jump.target)]
    }

    for (s, section) in guide.sections.enumerated() {
      let nextSection = s + 1 < sectionEntries.count ? sectionEntries[s + 1] : endNode
      func after(_ i: Int) -> Int { i + 1 < itemNode[s].count ? itemNode[s][i + 1] : nextSection }
      let first = itemNode[s].first ?? nextSection
      let entry = sectionEntries[s]
      if let condition = section.condition {
        add(entry, first, .whenTrue(condition), .asked)
        add(entry, nextSection, .whenFalse(condition), .passedOver)
      } else {
        add(entry, first, .always, .next)
      }
      for (i, item) in section.items.enumerated() {
        let node = itemNode[s][i]
        switch item {
        case .question(let question):
          let asked = node + 1
          if askedNode[question.id] == nil {
            askedNode[question.id] = asked
            entryNode[question.id] = node
            for old in question.was where askedNode[old.id] == nil {
              askedNode[old.id] = asked
              entryNode[old.id] = node
            }
          }
          if let condition = question.condition {
            add(node, asked, .whenTrue(condition), .asked)
            add(node, after(i), .whenFalse(condition), .passedOver)
          } else {
            add(node, asked, .always, .next)
          }
          // By index, so only an option's jump is read, not every option copied.
          let options = question.options
          for index in options.indices {
            if let jump = options[index].jump, let destination = target(jump) {
              add(asked, destination, .always, .option(options[index].value))
            }
          }
          var fallsThrough = true
          for jump in question.jumps {
            guard let destination = target(jump) else { continue }
            if let condition = jump.condition {
              add(asked, destination, .whenTrue(condition), .jump)
            } else {
              add(asked, destination, .always, .jump)
              fallsThrough = false
              break
            }
          }
          if fallsThrough { add(asked, after(i), .always, .next) }
        case .computed(let value):
          computedNodes[value.name, default: []].append(node)
          add(node, after(i), .always, .next)
        case .jump(let jump):
          guard let destination = target(jump) else {
            add(node, after(i), .always, .next)
            continue
          }
          if let condition = jump.condition {
            add(node, destination, .whenTrue(condition), .jump)
            add(node, after(i), .whenFalse(condition), .next)
          } else {
            add(node, destination, .always, .jump)
          }
        }
      }
    }
  }

  private mutating func add(_ from: Int, _ to: Int, _ condition: Condition, _ reason: Reason) {
    edges[from].append(Edge(target: to, condition: condition, reason: reason))
  }
}
