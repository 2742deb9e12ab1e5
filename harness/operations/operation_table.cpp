#include <stdexcept>

#include "harness/operations/operation.h"

namespace ledgerstress {

void OperationTable::Add(OperationDef def) {
  if (Find(def.name)) throw std::invalid_argument("operation '" + def.name + "' is defined twice");
  rows_.push_back(std::move(def));
}

const OperationDef* OperationTable::Find(const std::string& name) const {
  for (const OperationDef& op : rows_) {
    if (op.name == name) return &op;
  }
  return nullptr;
}

std::vector<std::string> OperationTable::Names() const {
  std::vector<std::string> v;
  for (const OperationDef& op : rows_) v.push_back(op.name);
  return v;
}

std::vector<std::string> OperationTable::NamesFor(Role role) const {
  std::vector<std::string> v;
  for (const OperationDef& op : rows_) {
    if (op.Plays(role)) v.push_back(op.name);
  }
  return v;
}

}  // namespace ledgerstress
