#ifndef LEDGERSTRESS_SETTLEMENT_ROWS_H_
#define LEDGERSTRESS_SETTLEMENT_ROWS_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

// libpq's result (libpq-fe.h's PGresult), kept out of this header.
struct pg_result;

namespace settlement {

// One value of a result, in text format. as<T>() converts it (std::int64_t
// or std::string: what settlement/ reads) and throws pqxx::conversion_error when the
// value is NULL or does not convert, as libpqxx's field does.
class Field {
 public:
  Field(const pg_result* res, int row, int col) : res_(res), row_(row), col_(col) {}
  bool is_null() const;
  // The text; "" for NULL. Valid while the Rows lives.
  const char* c_str() const;
  template <typename T>
  T as() const {
    T out{};
    Convert(&out);
    return out;
  }

 private:
  void Convert(std::int64_t* out) const;
  void Convert(std::string* out) const;

  const pg_result* res_;
  int row_, col_;
};

class Row {
 public:
  Row(const pg_result* res, int row) : res_(res), row_(row) {}
  Field operator[](int col) const { return Field(res_, row_, col); }
  std::size_t size() const;

 private:
  const pg_result* res_;
  int row_;
};

// The rows a statement returned (move-only; owns libpq's result). The subset
// of pqxx::result that settlement/ uses: empty, size, [row][col], range-for
// over the rows, affected_rows.
class Rows {
 public:
  class iterator {
   public:
    iterator(const pg_result* res, int row) : res_(res), row_(row) {}
    Row operator*() const { return Row(res_, row_); }
    iterator& operator++() {
      ++row_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return row_ != o.row_; }

   private:
    const pg_result* res_;
    int row_;
  };

  // Takes ownership of `res` (non-null, a successful result).
  explicit Rows(pg_result* res);

  bool empty() const { return size() == 0; }
  std::size_t size() const;
  Row operator[](std::size_t row) const { return Row(res_.get(), static_cast<int>(row)); }
  iterator begin() const { return iterator(res_.get(), 0); }
  iterator end() const { return iterator(res_.get(), static_cast<int>(size())); }
  // Rows an INSERT, UPDATE or DELETE touched (0 for other statements).
  std::int64_t affected_rows() const;
  // The index of the column named `name`, or -1 when there is none.
  int column(const char* name) const;

 private:
  struct Clear {
    void operator()(pg_result* r) const;
  };
  std::unique_ptr<pg_result, Clear> res_;
};

}  // namespace settlement

#endif  // LEDGERSTRESS_SETTLEMENT_ROWS_H_
