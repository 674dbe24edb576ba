import Foundation

/// Writes stats in each output format, from ``StatsReport/tables()``.
public enum StatsRenderer {
  /// Tables for a terminal: columns aligned by display width, a small bar chart after each row
  /// where the table has one, long texts left out; every cell made safe to print. `wrap` folds a
  /// sentence to the terminal's width, each line ending in a line break.
  public static func text(
    _ report: StatsReport, wrap: (String) -> String = { "  " + $0 + "\n" }
  ) -> String {
    var out = "Across \(report.overview)\n"
    for table in report.tables() {
      out += "\n\(table.title)\n"
      if let note = table.note { out += wrap(note) }
      let shown = table.columns.indices.filter { !table.wide.contains($0) }
      if table.rows.isEmpty {
        out += "  (none)\n"
        continue
      }
      let cells = table.rows.map { row in row.map { TerminalSafe.neutralize($0) } }
      var widths = shown.map { DisplayWidth.of(table.columns[$0]) }
      for row in cells {
        for (position, column) in shown.enumerated() {
          widths[position] = max(widths[position], DisplayWidth.of(row[column]))
        }
      }
      func line(_ row: [String], bar: Double?) -> String {
        var parts: [String] = []
        for (position, column) in shown.enumerated() {
          let cell = row[column]
          let pad = String(repeating: " ", count: max(0, widths[position] - DisplayWidth.of(cell)))
          parts.append(table.numeric.contains(column) ? pad + cell : cell + pad)
        }
        var text = "  " + parts.joined(separator: "  ")
        if let bar { text += "  " + Self.bar(bar) }
        while text.hasSuffix(" ") { text.removeLast() }
        return text + "\n"
      }
      out += line(table.columns, bar: nil)
      for (index, row) in cells.enumerated() {
        out += line(row, bar: table.bars?[index])
      }
    }
    return out
  }

  /// A bar of up to `width` cells for a fraction from 0 to 1, in eighths of a cell.
  public static func bar(_ fraction: Double, width: Int = 16) -> String {
    let eighths = Int((min(max(fraction, 0), 1) * Double(width * 8)).rounded())
    let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
    return String(repeating: "█", count: eighths / 8) + partial[eighths % 8]
  }

  /// Markdown tables (GitHub style), one per view, every cell escaped.
  public static func markdown(_ report: StatsReport) -> String {
    var out = "# Across \(ReportEscaping.markdown(report.overview))\n"
    for table in report.tables() {
      out += "\n## \(ReportEscaping.markdown(table.title))\n\n"
      if let note = table.note { out += "\(ReportEscaping.markdown(note))\n\n" }
      if table.rows.isEmpty {
        out += "None.\n"
        continue
      }
      out +=
        "| " + table.columns.map { ReportEscaping.markdown($0) }.joined(separator: " | ") + " |\n"
      out +=
        "|"
        + table.columns.indices.map { table.numeric.contains($0) ? " ---: |" : " --- |" }.joined()
        + "\n"
      for row in table.rows {
        out += "| " + row.map { ReportEscaping.markdown($0) }.joined(separator: " | ") + " |\n"
      }
    }
    return out
  }

  /// Long-format CSV: one record per cell, `table, row, column, value`, so every view goes into
  /// one sheet and pivots as needed. Escaped as the report's CSV is.
  public static func csv(_ report: StatsReport) -> String {
    var out = ReportEscaping.csvRecord(["table", "row", "column", "value"])
    for table in report.tables() {
      for row in table.rows {
        for (index, column) in table.columns.enumerated().dropFirst() {
          out += ReportEscaping.csvRecord([table.title, row[0], column, row[index]])
        }
      }
    }
    return out
  }

  /// Everything worked out, as JSON for programs.
  public static func json(_ report: StatsReport) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(report)) ?? Data("{}".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  /// One self-contained page: the tables with their bars drawn in CSS, nothing loaded from
  /// anywhere else.
  public static func html(_ report: StatsReport) -> String {
    var body = "<h1>Across \(ReportEscaping.html(report.overview))</h1>\n"
    for table in report.tables() {
      body += "<section><h2>\(ReportEscaping.html(table.title))</h2>\n"
      if let note = table.note { body += "<p class=\"note\">\(ReportEscaping.html(note))</p>\n" }
      if table.rows.isEmpty {
        body += "<p class=\"none\">None.</p></section>\n"
        continue
      }
      body += "<div class=\"scroll\"><table><tr>"
      for (index, column) in table.columns.enumerated() {
        body += "<th\(table.numeric.contains(index) ? " class=\"n\"" : "")>"
        body += "\(ReportEscaping.html(column))</th>"
      }
      if table.bars != nil { body += "<th></th>" }
      body += "</tr>\n"
      for (rowIndex, row) in table.rows.enumerated() {
        body += "<tr>"
        for (index, cell) in row.enumerated() {
          body += "<td\(table.numeric.contains(index) ? " class=\"n\"" : "")>"
          body += "\(ReportEscaping.html(cell))</td>"
        }
        if let bar = table.bars?[rowIndex] {
          let percent = Int((min(max(bar, 0), 1) * 100).rounded())
          body += "<td class=\"bar\"><span style=\"width:\(percent)%\"></span></td>"
        }
        body += "</tr>\n"
      }
      body += "</table></div></section>\n"
    }
    return A3Report.page(title: "Gemba stats", style: A3Report.style + statsStyle, body: body)
  }

  static let statsStyle = """
    .note{color:#555;font-size:.85em;margin:4px 8px}
    .scroll{overflow-x:auto}
    td.bar{width:120px;min-width:60px}
    td.bar span{display:block;height:10px;background:#2c4a6b}

    """
}
