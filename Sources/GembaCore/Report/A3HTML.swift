extension A3Report {
  /// Reports as one self-contained HTML page: no scripts, no fonts, no images or styles from
  /// anywhere else, so it opens offline and leaks nothing. One column on a phone, the A3's two on
  /// a wider screen, and small enough type to print each report on one landscape page. The time
  /// spent in each section against its budget is a small inline SVG chart.
  public static func html(_ reports: [A3Report]) -> String {
    let title = reports.count == 1 ? reports[0].title : "A3 reports: \(reports.count) interviews"
    return page(title: title, style: style, body: reports.map { $0.htmlArticle() }.joined())
  }

  /// One report as an `<article>`, a page of its own when printed.
  func htmlArticle() -> String {
    var body = "<article><header><h1>\(ReportEscaping.html(title))</h1>"
    if !isFinished {
      body += "<p class=\"warn\">The interview has not ended: this is what was said so far.</p>"
    }
    body += "</header>\n<main>\n<div class=\"col\">\n"
    body += box("Background", Self.htmlList(background))
    var current = ""
    for group in currentCondition {
      current += "<h3>\(ReportEscaping.html(group.title))</h3>\n\(Self.htmlList(group.items))"
    }
    if !notes.isEmpty {
      current += "<h3>Notes</h3>\n<ul>"
      current += notes.map { "<li>\(ReportEscaping.html($0))</li>" }.joined()
      current += "</ul>\n"
    }
    if current.isEmpty {
      current = "<p class=\"none\">Nothing was said with the customer yet.</p>\n"
    }
    body += box("Current condition", current)
    body += box(
      "Target",
      target.isEmpty
        ? "<p class=\"none\">No purpose or measure was named.</p>\n" : Self.htmlList(target))
    var analysisHTML = ""
    if !forces.isEmpty {
      analysisHTML += "<h3>The forces, as the interviewer heard them</h3>\n<ul>"
      for force in forces {
        let level = force.assessed.map { ReportEscaping.html($0.text) }.joined(separator: "; ")
        analysisHTML += "<li><b>\(ReportEscaping.html(force.name)):</b> "
        analysisHTML += level.isEmpty ? "not assessed" : level
        for quote in force.quotes where !quote.text.isEmpty {
          analysisHTML +=
            "<span class=\"quote\">\(ReportEscaping.html(Self.quoted(quote.text)))</span>"
        }
        analysisHTML += "</li>"
      }
      analysisHTML += "</ul>\n"
    }
    for group in analysis {
      analysisHTML += "<h3>\(ReportEscaping.html(group.title))</h3>\n\(Self.htmlList(group.items))"
    }
    if analysisHTML.isEmpty { analysisHTML = "<p class=\"none\">No assessment was recorded.</p>\n" }
    body += box("Analysis", analysisHTML)
    body += "</div>\n<div class=\"col\">\n"
    var planHTML = ""
    if !nextSteps.isEmpty {
      planHTML += "<ol>"
      planHTML += nextSteps.map { "<li>\(ReportEscaping.html($0.text))</li>" }.joined()
      planHTML += "</ol>\n"
    }
    if !promises.isEmpty {
      planHTML += "<h3>Promises</h3>\n<ul>"
      for promise in promises {
        planHTML += "<li>\(ReportEscaping.html(promise.text))"
        let facts = Self.promiseFacts(promise)
        if !facts.isEmpty { planHTML += " <small>\(ReportEscaping.html(facts))</small>" }
        planHTML += "</li>"
      }
      planHTML += "</ul>\n"
    }
    if !plan.isEmpty { planHTML += Self.htmlList(plan) }
    if planHTML.isEmpty { planHTML = "<p class=\"none\">No next step was agreed.</p>\n" }
    body += box("Countermeasures and plan", planHTML)
    var followHTML =
      followUp.isEmpty
      ? "<p class=\"none\">Nothing to check was set.</p>\n" : Self.htmlList(followUp)
    if !outcomes.isEmpty {
      followHTML += "<h3>Outcome</h3>\n<ul>"
      for outcome in outcomes {
        followHTML += "<li><b>\(ReportEscaping.html(outcome.status))</b>"
        if let text = outcome.text, !text.isEmpty { followHTML += ": \(ReportEscaping.html(text))" }
        followHTML +=
          " <small>\(ReportEscaping.html(Self.signature(outcome.by, outcome.t)))</small>"
        followHTML += "</li>"
      }
      followHTML += "</ul>\n"
    }
    body += box("Follow-up", followHTML)
    body += box("Time against budget", timeChart())
    if let comments {
      var commentsHTML = ""
      for comment in comments {
        var label = comment.kind ?? "comment"
        if let q = comment.q { label += " at \(q)" }
        commentsHTML +=
          "<li><b>\(ReportEscaping.html(label)):</b> \(ReportEscaping.html(comment.text))"
        commentsHTML +=
          " <small>\(ReportEscaping.html(Self.signature(comment.by, comment.t)))</small></li>"
      }
      body += box(
        "Coach comments",
        commentsHTML.isEmpty
          ? "<p class=\"none\">No comments yet.</p>\n" : "<ul>\(commentsHTML)</ul>\n")
    }
    body += "</div>\n</main>\n<footer>From \(ReportEscaping.html(transcript))</footer></article>\n"
    return body
  }

  private func box(_ heading: String, _ content: String) -> String {
    "<section><h2>\(heading)</h2>\n\(content)</section>\n"
  }

  private static func htmlList(_ items: [Item]) -> String {
    var out = "<ul>"
    for item in items {
      out += "<li>"
      if !item.label.isEmpty {
        out += "<span class=\"q\">\(ReportEscaping.html(item.label))</span> "
      }
      if !item.text.isEmpty { out += "<span class=\"a\">\(ReportEscaping.html(item.text))</span>" }
      if !item.detail.isEmpty {
        out += " <small>\(item.detail.map(ReportEscaping.html).joined(separator: "; "))</small>"
      }
      out += "</li>"
    }
    return out + "</ul>\n"
  }

  /// Each section's budget as an outlined bar, the time used as a filled one over it; red when
  /// the section ran over.
  func timeChart() -> String {
    let rows = time.filter { $0.budgetMinutes != nil || $0.secondsUsed > 0 }
    if rows.isEmpty { return "<p class=\"none\">No section has a time budget.</p>\n" }
    let longest = rows.map { max(Double($0.budgetMinutes ?? 0), $0.secondsUsed / 60) }.max() ?? 1
    let scale = 150 / max(longest, 1)
    let rowHeight = 16
    let height = rows.count * rowHeight + 4
    var svg =
      "<svg class=\"chart\" viewBox=\"0 0 360 \(height)\" role=\"img\" "
      + "aria-label=\"Minutes used against each section's budget\">"
    for (index, row) in rows.enumerated() {
      let y = index * rowHeight + 2
      let used = row.secondsUsed / 60
      let label = ReportEscaping.html(String(row.title.prefix(22)))
      svg += "<text x=\"0\" y=\"\(y + 11)\">\(label)</text>"
      if let budget = row.budgetMinutes {
        svg +=
          "<rect class=\"budget\" x=\"120\" y=\"\(y + 1)\" width=\"\(Self.number(Double(budget) * scale))\" "
        svg += "height=\"12\"/>"
      }
      let over = row.budgetMinutes.map { used > Double($0) } ?? false
      svg += "<rect class=\"\(over ? "over" : "used")\" x=\"120\" y=\"\(y + 3)\" "
      svg += "width=\"\(Self.number(max(used * scale, used > 0 ? 1 : 0)))\" height=\"8\"/>"
      let budgetText = row.budgetMinutes.map { " / \($0)" } ?? ""
      svg +=
        "<text class=\"num\" x=\"358\" y=\"\(y + 11)\">\(Self.number(used))\(budgetText) min</text>"
    }
    svg += "</svg>\n"
    return svg
  }

  /// A number with at most one decimal: `12`, `3.5`.
  static func number(_ value: Double) -> String {
    let tenths = (value * 10).rounded()
    if tenths.truncatingRemainder(dividingBy: 10) == 0 { return String(Int(tenths / 10)) }
    return String(Int(tenths) / 10) + "." + String(abs(Int(tenths)) % 10)
  }

  /// A whole page around `body`, with nothing loaded from elsewhere.
  static func page(title: String, style: String, body: String) -> String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
    <title>\(ReportEscaping.html(title))</title>
    <style>
    \(style)</style>
    </head>
    <body>
    \(body)</body>
    </html>

    """
  }

  static let style = """
    body{font:15px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;padding:12px;\
    max-width:1200px;color:#222;background:#fff}
    h1{font-size:1.3em;margin:0 0 8px}
    h2{font-size:1em;margin:0 0 6px;padding:2px 6px;background:#2c4a6b;color:#fff}
    h3{font-size:.9em;margin:8px 0 2px;color:#2c4a6b}
    main{display:grid;grid-template-columns:1fr;gap:12px}
    @media (min-width:800px){main{grid-template-columns:3fr 2fr}}
    section{border:1px solid #bbb;padding:0 0 6px;margin-bottom:12px;break-inside:avoid}
    section>*:not(h2){margin-left:8px;margin-right:8px}
    ul,ol{padding-left:18px;margin-top:2px;margin-bottom:4px}
    li{margin-bottom:3px;white-space:pre-line}
    .q{display:block;color:#555;font-size:.85em}
    small,.none{color:#666}
    .warn{color:#a33}
    .quote{display:block;font-style:italic}
    .chart{width:calc(100% - 16px);max-width:480px;font-size:10px}
    .chart .budget{fill:none;stroke:#888}
    .chart .used{fill:#2c4a6b}
    .chart .over{fill:#b33}
    .chart .num{text-anchor:end}
    footer{color:#666;font-size:.8em}
    article+article{margin-top:24px;border-top:3px solid #2c4a6b;padding-top:12px}
    table{border-collapse:collapse;font-size:.9em}
    th,td{border-bottom:1px solid #ddd;padding:2px 6px;text-align:left;vertical-align:top}
    td.n{text-align:right;white-space:nowrap}
    @media print{
    @page{size:A4 landscape;margin:7mm}
    body{font-size:6.5pt;line-height:1.25;padding:0;max-width:none}
    main{grid-template-columns:2fr 1fr;gap:5px}
    .col:first-child{columns:2;column-gap:5px}
    section{margin-bottom:4px;break-inside:auto}
    h1{font-size:9pt;margin-bottom:2px}
    h2{font-size:7pt;padding:1px 4px;margin-bottom:2px}
    h3{font-size:6.5pt;margin:3px 0 1px}
    .q{font-size:5.8pt}
    ul,ol{padding-left:10px;margin:1px 0}
    li{margin-bottom:0}
    footer{font-size:5.5pt}
    article+article{break-before:page;border:0;margin:0;padding:0}
    }

    """
}
