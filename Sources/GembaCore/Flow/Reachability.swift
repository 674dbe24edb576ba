/// Reachability questions over a directed graph, answered in about linear time: strongly
/// connected components (an iterative Tarjan, so deep graphs do not overflow the stack) put the
/// nodes in topological order, and each query searches only the nodes that order allows.
struct Reachability {
  let successors: [[Int]]
  private(set) var component: [Int]
  /// The topological position of each component: edges go from lower to higher.
  private(set) var order: [Int]
  /// Whether a component holds a cycle (more than one node, or a node with an edge to itself).
  private(set) var cyclic: [Bool]
  private var stamp: [Int]
  private var generation = 0

  init(successors: [[Int]]) {
    self.successors = successors
    let count = successors.count
    var index = [Int](repeating: -1, count: count)
    var low = [Int](repeating: 0, count: count)
    var onStack = [Bool](repeating: false, count: count)
    var stack: [Int] = []
    var component = [Int](repeating: -1, count: count)
    var components = 0
    var cyclic: [Bool] = []
    var next = 0
    var work: [(node: Int, edge: Int)] = []
    for root in 0..<count where index[root] == -1 {
      work.append((root, 0))
      index[root] = next
      low[root] = next
      next += 1
      stack.append(root)
      onStack[root] = true
      while let (node, edge) = work.last {
        if edge < successors[node].count {
          work[work.count - 1].edge += 1
          let target = successors[node][edge]
          if index[target] == -1 {
            index[target] = next
            low[target] = next
            next += 1
            stack.append(target)
            onStack[target] = true
            work.append((target, 0))
          } else if onStack[target] {
            low[node] = min(low[node], index[target])
          }
          continue
        }
        work.removeLast()
        if let parent = work.last {
          low[parent.node] = min(low[parent.node], low[node])
        }
        if low[node] == index[node] {
          var size = 0
          while let member = stack.popLast() {
            onStack[member] = false
            component[member] = components
            size += 1
            if member == node { break }
          }
          cyclic.append(size > 1 || successors[node].contains(node))
          components += 1
        }
      }
    }
    // Tarjan finishes sinks first: reverse to get edges running from lower to higher.
    self.component = component
    self.order = (0..<components).map { components - 1 - $0 }
    self.cyclic = cyclic
    self.stamp = [Int](repeating: 0, count: count)
  }

  /// Whether a path of at least one edge leads from `source` to `target`.
  mutating func reaches(_ source: Int, _ target: Int) -> Bool {
    let sourceComponent = component[source]
    let targetComponent = component[target]
    if sourceComponent == targetComponent { return cyclic[sourceComponent] }
    let limit = order[targetComponent]
    if order[sourceComponent] > limit { return false }
    generation += 1
    var pending = [source]
    stamp[source] = generation
    while let node = pending.popLast() {
      for next in successors[node] {
        if next == target { return true }
        if stamp[next] == generation || order[component[next]] > limit { continue }
        stamp[next] = generation
        pending.append(next)
      }
    }
    return false
  }

  /// Every node reachable from `source`, itself included.
  func reachable(from source: Int) -> [Bool] {
    var seen = [Bool](repeating: false, count: successors.count)
    var pending = [source]
    seen[source] = true
    while let node = pending.popLast() {
      for next in successors[node] where !seen[next] {
        seen[next] = true
        pending.append(next)
      }
    }
    return seen
  }

  /// Every node from which `target` can be reached, itself included.
  func reaching(_ target: Int) -> [Bool] {
    var predecessors = [[Int]](repeating: [], count: successors.count)
    for (node, targets) in successors.enumerated() {
      for next in targets { predecessors[next].append(node) }
    }
    var seen = [Bool](repeating: false, count: successors.count)
    var pending = [target]
    seen[target] = true
    while let node = pending.popLast() {
      for previous in predecessors[node] where !seen[previous] {
        seen[previous] = true
        pending.append(previous)
      }
    }
    return seen
  }
}
