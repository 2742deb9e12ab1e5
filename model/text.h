#ifndef LEDGERSTRESS_MODEL_TEXT_H_
#define LEDGERSTRESS_MODEL_TEXT_H_

#include <functional>
#include <string>
#include <vector>

namespace ledgerstress {

// `s` safe inside HTML text and attribute values (& < > " ' escaped).
// A name usable in a file name: anything but [A-Za-z0-9._-] becomes '_'.
std::string FileSafe(const std::string& name);

std::string HtmlEscape(const std::string& s);

// `s` safe inside XML 1.0 text and attributes: escaped, and the characters
// XML 1.0 forbids (control characters other than tab, CR, LF; invalid
// UTF-8) dropped.
std::string XmlEscape(const std::string& s);

// `s` safe in a Markdown table cell: | and newlines neutralised, HTML-ish
// characters escaped.
std::string MarkdownCell(const std::string& s);

// Rows of cells as a plain-text table: columns padded to their widest cell
// and separated by two spaces, `right[i]` right-aligning column i (missing
// entries: left). `decorate`, when given, may wrap a padded cell of a body
// row (colour, say) after the widths are computed.
std::string AlignedTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right,
                         const std::function<std::string(std::size_t row, std::size_t col, const std::string& cell)>&
                             decorate = nullptr);

// A table of text cells: the header row first, `right[i]` right-aligns
// column i. Rendered as text (AlignedTable) or as HTML (HtmlTable).
struct TextTable {
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> right;
};

// `t` as an HTML <table>: the first row as <th>, cells escaped, the
// right-aligned columns with class "n" (numbers).
std::string HtmlTable(const TextTable& t);

// JSON text safe inside an HTML <script> element: '<', '>' and '&' become
// \u escapes, so the data can neither close the element nor open a comment.
std::string JsonForScript(const std::string& json);

// printf-style formatting of one double.
std::string Fmt(const char* format, double v);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_MODEL_TEXT_H_
