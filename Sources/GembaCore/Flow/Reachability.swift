/// Reachability questions over a directed graph, answered in about linear time: strongly
/// connected components (an iterative Tarjan, so deep graphs do not overflow the stack) put the
/// nodes in topological order, and each query searches only the nodes that order allows.
///
/// A guide's flow runs forward in the order written, so what a component reaches is nearly always
/// a few runs of consecutive topological positions. Those runs are worked out once, from the
/// sinks up, and a query is then a binary search; a component whose runs would be too many keeps
/// the search instead. Without the runs, a condition on an answer far back searched every node
/// in between, and checking a guide took time quadratic in its size.
struct Reachability {
  let successors: [[Int]]
  private(set) var component: [Int]
  /// The topological position of each component: edges go from lower to higher.
  private(set) var order: [Int]
  /// Whether a component holds a cycle (more than one node, or a node with an edge to itself).
  private(set) var cyclic: [Bool]
  private var stamp: [Int]
  private var generation = 0
  /// The runs each component reaches by a path of at least one edge: component `c` has
  /// `runs[runStart[c]..<runStart[c + 1]]`, lowest first, as closed ranges of positions in
  /// `order`; an empty slice with `tooManyRuns[c]` set means "search instead".
  private var runs: [ClosedRange<Int>] = []
  private var runStart: [Int] = []
  private var tooManyRuns: [Bool] = []
  private static let maximumRuns = 32

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
    computeRuns(components: components)
  }

  /// Fills `runs`: Tarjan numbers a component only after every component it reaches, so going
  /// up from 0 finds the runs of each successor already worked out.
  private mutating func computeRuns(components: Int) {
    var memberStart = [Int](repeating: 0, count: components + 1)
    for c in component { memberStart[c + 1] += 1 }
    for c in 0..<components { memberStart[c + 1] += memberStart[c] }
    var members = [Int](repeating: 0, count: successors.count)
    var fill = memberStart
    for (node, c) in component.enumerated() {
      members[fill[c]] = node
      fill[c] += 1
    }
    runStart = [Int](repeating: 0, count: components + 1)
    tooManyRuns = [Bool](repeating: false, count: components)
    var lastSeenBy = [Int](repeating: -1, count: components)
    var gathered: [ClosedRange<Int>] = []
    for c in 0..<components {
      gathered.removeAll(keepingCapacity: true)
      var tooMany = false
      var successorComponents = 0
      members: for node in members[memberStart[c]..<memberStart[c + 1]] {
        for next in successors[node] {
          let d = component[next]
          guard d != c, lastSeenBy[d] != c else { continue }
          lastSeenBy[d] = c
          if tooManyRuns[d] {
            tooMany = true
            break members
          }
          successorComponents += 1
          gathered.append(order[d]...order[d])
          gathered.append(contentsOf: runs[runStart[d]..<runStart[d + 1]])
        }
      }
      if !tooMany {
        // One successor's runs are already sorted, and all lie after the successor itself.
        if successorComponents > 1 { gathered.sort { $0.lowerBound < $1.lowerBound } }
        let first = runs.count
        for run in gathered {
          if let last = runs.last, runs.count > first, run.lowerBound <= last.upperBound + 1 {
            runs[runs.count - 1] = last.lowerBound...max(last.upperBound, run.upperBound)
          } else {
            runs.append(run)
          }
        }
        if runs.count - first > Self.maximumRuns {
          runs.removeSubrange(first...)
          tooMany = true
        }
      }
      tooManyRuns[c] = tooMany
      runStart[c + 1] = runs.count
    }
  }

  /// Whether a path of at least one edge leads from `source` to `target`.
  mutating func reaches(_ source: Int, _ target: Int) -> Bool {
    let sourceComponent = component[source]
    let targetComponent = component[target]
    if sourceComponent == targetComponent { return cyclic[sourceComponent] }
    let limit = order[targetComponent]
    if order[sourceComponent] > limit { return false }
    if !tooManyRuns[sourceComponent] {
      var low = runStart[sourceComponent]
      var high = runStart[sourceComponent + 1]
      while low < high {
        let middle = (low + high) / 2
        if runs[middle].upperBound < limit { low = middle + 1 } else { high = middle }
      }
      return low < runStart[sourceComponent + 1] && runs[low].contains(limit)
    }
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
    // The predecessors in two flat arrays: one small array per node cost more than the search.
    let count = successors.count
    var start = [Int](repeating: 0, count: count + 1)
    for targets in successors {
      for next in targets { start[next + 1] += 1 }
    }
    for node in 0..<count { start[node + 1] += start[node] }
    var predecessors = [Int](repeating: 0, count: start[count])
    var fill = start
    for (node, targets) in successors.enumerated() {
      for next in targets {
        predecessors[fill[next]] = node
        fill[next] += 1
      }
    }
    var seen = [Bool](repeating: false, count: count)
    var pending = [target]
    seen[target] = true
    while let node = pending.popLast() {
      for previous in predecessors[start[node]..<start[node + 1]] where !seen[previous] {
        seen[previous] = true
        pending.append(previous)
      }
    }
    return seen
  }
}
