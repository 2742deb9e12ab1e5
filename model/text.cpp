#include "model/text.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace ledgerstress {

std::string HtmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    // Length of a well-formed UTF-8 sequence starting here, 0 if invalid.
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    for (std::size_t k = 1; n && k < n; ++k) {
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) >> 6) != 2) n = 0;
    }
    if (n == 0) {
      ++i;  // invalid byte: dropped
      continue;
    }
    if (n == 1) {
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        ++i;
        continue;
      }
      switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&apos;"; break;
        default: out += static_cast<char>(c);
      }
    } else {
      out.append(s, i, n);
    }
    i += n;
  }
  return out;
}

std::string MarkdownCell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') out += "\\|";
    else if (c == '\n' || c == '\r') out += ' ';
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '&') out += "&amp;";
    else out += c;
  }
  return out;
}

std::string AlignedTable(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right,
                         const std::function<std::string(std::size_t, std::size_t, const std::string&)>& decorate) {
  std::vector<std::size_t> width;
  for (const auto& row : rows) {
    if (row.size() > width.size()) width.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  std::string out;
  for (std::size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (std::size_t i = 0; i < rows[r].size(); ++i) {
      const std::string& cell = rows[r][i];
      const bool last = i + 1 == rows[r].size();
      const std::string pad(width[i] - cell.size(), ' ');
      const bool right_aligned = i < right.size() && right[i];
      std::string padded = right_aligned ? pad + cell : cell + (last ? "" : pad);
      if (decorate && r > 0) padded = decorate(r, i, padded);
      line += padded + (last ? "" : "  ");
    }
    out += line + "\n";
  }
  return out;
}

std::string HtmlTable(const TextTable& t) {
  std::string h = "<table>";
  for (std::size_t r = 0; r < t.rows.size(); ++r) {
    h += "<tr>";
    for (std::size_t i = 0; i < t.rows[r].size(); ++i) {
      const bool num = r > 0 && i < t.right.size() && t.right[i];
      const char* tag = r == 0 ? "th" : "td";
      h += std::string("<") + tag + (num ? " class=n>" : ">") + HtmlEscape(t.rows[r][i]) + "</" + tag + ">";
    }
    h += "</tr>";
  }
  return h + "</table>";
}

std::string Fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

std::string JsonForScript(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (char c : json) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string FileSafe(const std::string& name) {
  std::string out;
  for (char c : name) out += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '_') ? c : '_';
  return out.empty() || out[0] == '.' ? "scenario" + out : out;
}

}  // namespace ledgerstress
