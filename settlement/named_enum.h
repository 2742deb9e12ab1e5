#ifndef LEDGERSTRESS_SETTLEMENT_NAMED_ENUM_H_
#define LEDGERSTRESS_SETTLEMENT_NAMED_ENUM_H_

// The names of an enum's values, written once as a table of rows
// {value, "name"} in the order users see them, instead of a Parse/Name/Names
// trio per enum:
//
//   constexpr NamedValue<CloseStrategy> kCloseNames[] = {
//       {CloseStrategy::kPerEscrow, "per_escrow"}, ...};
//   NameOf(kCloseNames, s); ParseName(kCloseNames, "keyset", &s); AllNames(kCloseNames);
//
// Pure functions over constant tables: callable from any thread.

#include <cstddef>
#include <string>
#include <vector>

namespace settlement {

template <typename E>
struct NamedValue {
  E value;
  const char* name;
};

// The name of `value`, "?" when the table lacks it.
template <typename E, std::size_t N>
const char* NameOf(const NamedValue<E> (&table)[N], E value) {
  for (const auto& row : table) {
    if (row.value == value) return row.name;
  }
  return "?";
}

// Sets *out to the value named `name`; false (and *out unchanged) when no row has it.
template <typename E, std::size_t N>
bool ParseName(const NamedValue<E> (&table)[N], const std::string& name, E* out) {
  for (const auto& row : table) {
    if (name == row.name) {
      *out = row.value;
      return true;
    }
  }
  return false;
}

// Every name, in the table's order.
template <typename E, std::size_t N>
std::vector<std::string> AllNames(const NamedValue<E> (&table)[N]) {
  std::vector<std::string> names;
  for (const auto& row : table) names.emplace_back(row.name);
  return names;
}

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_NAMED_ENUM_H_
