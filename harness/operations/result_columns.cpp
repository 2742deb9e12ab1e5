#include "harness/operations/result_columns.h"

#include <algorithm>
#include <cctype>

#include "harness/operations/sql_text.h"

namespace ledgerstress {
namespace {

enum class Kind { kWord, kQuoted, kLiteral, kSymbol };

struct Token {
  Kind kind;
  std::string text;  // a word lower-cased, a quoted identifier without its quotes
  int depth;         // parentheses around it
};

bool WordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; }
bool Digit(char c) { return std::isdigit(static_cast<unsigned char>(c)); }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "a""b" -> a"b
std::string Unquote(const std::string& q) {
  std::string out;
  for (std::size_t i = 1; i + 1 < q.size(); ++i) {
    out += q[i];
    if (q[i] == '"') ++i;
  }
  return out;
}

void Push(std::vector<Token>* out, Kind k, const std::string& text, int* depth) {
  if (k == Kind::kSymbol && text == ")") --*depth;
  out->push_back(Token{k, text, *depth});
  if (k == Kind::kSymbol && text == "(") ++*depth;
}

std::vector<Token> Tokens(const std::string& s) {
  std::vector<Token> out;
  int depth = 0;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t end = SkipNonCode(s, i);
    if (end != i) {
      if (s[i] == '"') Push(&out, Kind::kQuoted, Unquote(s.substr(i, end - i)), &depth);
      else if (s[i] == '\'' || s[i] == '$') Push(&out, Kind::kLiteral, "'", &depth);
      i = end;  // comments vanish
    } else if (std::isspace(static_cast<unsigned char>(s[i]))) {
      ++i;
    } else if (WordChar(s[i])) {  // a word, a number, or $1
      const bool literal = Digit(s[i]) || s[i] == '$';
      std::size_t j = i + 1;
      while (j < s.size() && (WordChar(s[j]) || (s[j] == '.' && literal))) ++j;
      Push(&out, literal ? Kind::kLiteral : Kind::kWord, Lower(s.substr(i, j - i)), &depth);
      i = j;
    } else if (s[i] == ':' && i + 1 < s.size() && s[i + 1] == ':') {
      Push(&out, Kind::kSymbol, "::", &depth);
      i += 2;
    } else {
      Push(&out, Kind::kSymbol, std::string(1, s[i]), &depth);
      ++i;
    }
  }
  return out;
}

bool Is(const Token& t, const char* word) { return t.kind == Kind::kWord && t.text == word; }
bool IsName(const Token& t) { return t.kind == Kind::kWord || t.kind == Kind::kQuoted; }

// Words that end an expression or a type, never an alias after it.
bool Reserved(const Token& t) {
  static const char* const kWords[] = {"end",  "null", "true",    "false",     "zone", "time",   "precision",
                                       "varying", "and", "or",   "not",       "is",   "as",     "distinct",
                                       "from", "then", "else",    "when",      "in",   "like",   "between"};
  if (t.kind != Kind::kWord) return false;
  return std::any_of(std::begin(kWords), std::end(kWords), [&](const char* w) { return t.text == w; });
}

using Item = std::vector<Token>;

// The end (one past) of a column reference or function call at `i`: names
// joined by '.', then an optional (...) argument list; `i` when none.
std::size_t Reference(const Item& item, std::size_t i, bool* call) {
  if (i >= item.size() || !IsName(item[i]) || Reserved(item[i])) return i;
  std::size_t j = i + 1;
  while (j + 1 < item.size() && item[j].text == "." && IsName(item[j + 1])) j += 2;
  *call = j < item.size() && item[j].kind == Kind::kSymbol && item[j].text == "(";
  if (!*call) return j;
  const int depth = item[j].depth;
  for (++j; j < item.size() && !(item[j].text == ")" && item[j].depth == depth); ++j) {}
  return std::min(j + 1, item.size());  // an unclosed call ends with the item
}

// The name an item gives its column, "" when the text does not tell.
std::string ItemName(const Item& item) {
  const std::size_t n = item.size();
  if (n >= 2 && IsName(item[n - 1]) && Is(item[n - 2], "as")) return item[n - 1].text;
  if (n >= 2 && IsName(item[n - 1]) && !Reserved(item[n - 1]) && !Reserved(item[n - 2]) &&
      (IsName(item[n - 2]) || item[n - 2].kind == Kind::kLiteral || item[n - 2].text == ")")) {
    if (n >= 3 && item[n - 3].text == "::") return "";  // `x::type name`, or a two-word type: unsure
    return item[n - 1].text;                          // a bare alias: `expr name`
  }
  bool call = false;
  const std::size_t end = Reference(item, 0, &call);
  if (end == 0 || (call && (Is(item[0], "cast") || Is(item[0], "treat")))) return "";
  if (end < n && item[end].text != "::") return "";  // an expression: ?column?
  std::size_t last = 0;  // the last name of the reference, or the function's
  for (std::size_t k = 0; k < end && item[k].text != "("; ++k) {
    if (IsName(item[k])) last = k;
  }
  return item[last].text;
}

// The tokens of the list starting at `from`, split at top-level commas,
// up to a top-level word of `stops` (or ';', or the end).
std::vector<Item> List(const std::vector<Token>& t, std::size_t from, const std::vector<std::string>& stops) {
  std::vector<Item> items(1);
  const int depth = from < t.size() ? t[from].depth : 0;
  for (std::size_t i = from; i < t.size(); ++i) {
    if (t[i].depth == depth && (t[i].text == ";" || (t[i].kind == Kind::kWord &&
                                                     std::find(stops.begin(), stops.end(), t[i].text) != stops.end()))) {
      break;
    }
    if (t[i].depth == depth && t[i].text == ",") items.emplace_back();
    else items.back().push_back(t[i]);
  }
  return items;
}

// Where the returned columns are listed: after a top-level RETURNING, or
// after the first top-level SELECT (and its ALL / DISTINCT [ON (...)]).
std::size_t ListStart(const std::vector<Token>& t, bool* select) {
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].depth == 0 && Is(t[i], "returning")) return i + 1;
  }
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t[i].depth != 0 || !Is(t[i], "select")) continue;
    *select = true;
    std::size_t j = i + 1;
    if (j < t.size() && Is(t[j], "all")) ++j;
    if (j < t.size() && Is(t[j], "distinct")) {
      ++j;
      if (j < t.size() && Is(t[j], "on")) {
        for (++j; j < t.size() && !(t[j].depth == 0 && t[j].text == ")"); ++j) {}
        ++j;
      }
    }
    return j;
  }
  return t.size();
}

}  // namespace

ResultColumns GuessResultColumns(const std::string& sql) {
  ResultColumns out;
  const std::vector<Token> t = Tokens(sql);
  bool select = false;
  const bool write = !t.empty() && (Is(t[0], "insert") || Is(t[0], "update") || Is(t[0], "delete"));
  const std::size_t start = ListStart(t, &select);
  if (start >= t.size() || (write && select)) return out;  // INSERT ... SELECT without RETURNING returns nothing
  static const std::vector<std::string> kSelectEnds = {"from",  "into",   "where", "group", "having",
                                                       "window", "order", "limit", "offset", "fetch",
                                                       "for",   "union",  "intersect", "except"};
  out.complete = true;
  for (const Item& item : List(t, start, select ? kSelectEnds : std::vector<std::string>{})) {
    const std::string name = item.empty() ? "" : ItemName(item);
    if (name.empty()) out.complete = false;
    else out.names.push_back(name);
  }
  return out;
}

}  // namespace ledgerstress
