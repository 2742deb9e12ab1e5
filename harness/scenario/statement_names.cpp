#include "harness/scenario/statement_names.h"

#include <algorithm>

#include "harness/operations/result_columns.h"
#include "harness/operations/sql_text.h"
#include "harness/scenario/case_reader.h"
#include "harness/scenario/suggest.h"

namespace ledgerstress {
namespace {

std::string List(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

void StatementNames::RefuseUndefined(const SqlStatement& st, const std::string& name) const {
  std::vector<std::string> known = earlier_;
  for (const SqlParam& q : op_->params) known.push_back(q.name);
  if (!any_gset_) {
    Fail(st.where, "undefined parameter ':" + name + "' in operation '" + op_->name + "'" + DidYouMean(name, known) +
                       ": it is not in params, and no statement before this one has gset = true");
  }
  Fail(st.where, "undefined parameter ':" + name + "' in operation '" + op_->name + "', statement " +
                     std::to_string(index_ + 1) + DidYouMean(name, known) +
                     ": it is not in params, and no earlier statement with gset = true returns a column of that "
                     "name (they return: " + List(earlier_) + ")");
}

void StatementNames::Compile(SqlStatement* st) {
  const PositionalSql p = ToPositional(st->sql);
  st->text = p.text;
  st->names = p.names;
  for (const std::string& name : p.names) {
    std::size_t slot = 0;
    while (slot < op_->params.size() && op_->params[slot].name != name) ++slot;
    if (slot < op_->params.size()) {
      (*used_)[slot] = true;
    } else {
      if (!any_gset_ || (complete_ && !Contains(earlier_, name))) RefuseUndefined(*st, name);
      auto c = std::find(op_->columns.begin(), op_->columns.end(), name);
      if (c == op_->columns.end()) c = op_->columns.insert(op_->columns.end(), name);
      slot = op_->params.size() + static_cast<std::size_t>(c - op_->columns.begin());
    }
    st->slots.push_back(slot);
  }
  if (st->gset) AddGsetColumns(*st);
  ++index_;
}

// A gset column named like a params entry would never be read: the parameter wins.
void StatementNames::AddGsetColumns(const SqlStatement& st) {
  const ResultColumns columns = GuessResultColumns(st.sql);
  for (const std::string& c : columns.names) {
    for (const SqlParam& p : op_->params) {
      if (p.name == c) Fail(st.where, GsetParamClash(op_->name, index_, c));
    }
    earlier_.push_back(c);
  }
  any_gset_ = true;
  complete_ = complete_ && columns.complete;
}

std::string GsetParamClash(const std::string& op, std::size_t index, const std::string& column) {
  return "operation '" + op + "', statement " + std::to_string(index + 1) + ": gset column '" + column +
         "' has the name of params." + column + ", which statements read as :" + column +
         " instead: rename the column (AS another_name) or the parameter";
}

}  // namespace ledgerstress
