/// @file
/// Header fields: case-insensitive lookup, order kept, duplicates allowed.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace socketlab::http {

/// Compares two strings ASCII-case-insensitively, the way HTTP compares field names and tokens.
/// @param a first string
/// @param b second string
/// @return true when both have the same length and differ only in ASCII letter case
bool iequals(std::string_view a, std::string_view b) noexcept;

/// One header field as it appeared on the wire (name case kept, value trimmed).
struct field {
  std::string name;   ///< field name, e.g. "Content-Length"
  std::string value;  ///< field value without leading/trailing whitespace
};

/// The header fields of a message.
///
/// Lookup ignores the case of names (RFC 9110 §5.1); iteration gives the fields in the
/// order they were added, so a message is serialized the way it was built.
///
/// clear() keeps the memory of the fields it removes, and add() reuses it: a parser or a response
/// used for one message after another allocates nothing for fields no longer than the last ones.
class fields {
 public:
  using const_iterator = std::vector<field>::const_iterator;  ///< iterates in insertion order

  /// Appends a field, even when one with the same name exists.
  /// @param name field name
  /// @param value field value
  void add(std::string_view name, std::string_view value);

  /// Replaces every field named @p name by one with @p value (appends if there was none).
  /// @param name field name
  /// @param value field value
  void set(std::string_view name, std::string_view value);

  /// Removes every field named @p name.
  /// @param name field name
  /// @return how many were removed
  std::size_t erase(std::string_view name);

  /// The value of the first field named @p name.
  /// @param name field name
  /// @return the value, or nothing when there is no such field
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;

  /// Whether a field named @p name exists.
  /// @param name field name
  /// @return true if at least one field has that name
  [[nodiscard]] bool contains(std::string_view name) const;

  /// How many fields are named @p name.
  /// @param name field name
  /// @return the count (0 when absent)
  [[nodiscard]] std::size_t count(std::string_view name) const;

  /// Whether the comma-separated list in the fields named @p name holds @p token,
  /// compared case-insensitively: `has_token("Connection", "close")`.
  /// @param name field name
  /// @param token the list element to look for
  /// @return true if any element of any such field equals @p token
  [[nodiscard]] bool has_token(std::string_view name, std::string_view token) const;

  /// Number of fields.
  /// @return how many fields, a repeated name counted each time
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  /// Whether there are no fields.
  /// @return true when size() is 0
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// Removes all fields; their memory is kept for the next ones added.
  void clear() noexcept { size_ = 0; }
  /// Makes room for @p n fields at once, so that adding that many grows the list once, not at
  /// each add (a response built per request, say).
  /// @param n how many fields the list will hold
  void reserve(std::size_t n) { list_.reserve(n); }
  /// First field in insertion order.
  /// @return an iterator to the first field (end() when there is none)
  [[nodiscard]] const_iterator begin() const noexcept { return list_.begin(); }
  /// Past the last field.
  /// @return the iterator one past the last field
  [[nodiscard]] const_iterator end() const noexcept { return begin() + static_cast<std::ptrdiff_t>(size_); }

 private:
  std::vector<field>::iterator used_end() noexcept {
    return list_.begin() + static_cast<std::ptrdiff_t>(size_);
  }

  /// The fields in the order they were added, then (past size_) removed ones whose strings keep
  /// their memory for the next add().
  std::vector<field> list_;
  std::size_t size_ = 0;  ///< how many of list_ are fields
};

}  // namespace socketlab::http
