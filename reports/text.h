#ifndef LEDGERSTRESS_REPORTS_TEXT_H_
#define LEDGERSTRESS_REPORTS_TEXT_H_

#include <string>

namespace ledgerstress {

// `s` safe inside HTML text and attribute values (& < > " ' escaped).
std::string HtmlEscape(const std::string& s);

// `s` safe inside XML 1.0 text and attributes: escaped, and the characters
// XML 1.0 forbids (control characters other than tab, CR, LF; invalid
// UTF-8) dropped.
std::string XmlEscape(const std::string& s);

// `s` safe in a Markdown table cell: | and newlines neutralised, HTML-ish
// characters escaped.
std::string MarkdownCell(const std::string& s);

// printf-style formatting of one double.
std::string Fmt(const char* format, double v);

}  // namespace ledgerstress

#endif  // LEDGERSTRESS_REPORTS_TEXT_H_
