#include "socketlab/http/fields.hpp"

#include <algorithm>

#include "socketlab/http/detail/syntax.hpp"

namespace socketlab::http {

namespace {

/// ASCII lower case; other bytes (UTF-8 included) unchanged.
constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

void fields::add(std::string_view name, std::string_view value) {
  if (size_ < list_.size()) {
    list_[size_].name.assign(name);  // a removed field's strings: their memory reused
    list_[size_].value.assign(value);
  } else {
    list_.push_back({std::string(name), std::string(value)});
  }
  ++size_;
}

void fields::set(std::string_view name, std::string_view value) {
  const auto first =
      std::find_if(list_.begin(), used_end(), [&](const field& f) { return iequals(f.name, name); });
  if (first == used_end()) {
    add(name, value);
    return;
  }
  first->value.assign(value);
  // Later duplicates go; the first keeps its place, so the order of the others is unchanged.
  const auto rest =
      std::remove_if(first + 1, used_end(), [&](const field& f) { return iequals(f.name, name); });
  size_ = static_cast<std::size_t>(rest - list_.begin());
}

std::size_t fields::erase(std::string_view name) {
  const auto old_size = size_;
  const auto rest =
      std::remove_if(list_.begin(), used_end(), [&](const field& f) { return iequals(f.name, name); });
  size_ = static_cast<std::size_t>(rest - list_.begin());
  return old_size - size_;
}

std::optional<std::string_view> fields::get(std::string_view name) const {
  for (const field& f : *this) {
    if (iequals(f.name, name)) return std::string_view(f.value);
  }
  return std::nullopt;
}

bool fields::contains(std::string_view name) const {
  return get(name).has_value();
}

std::size_t fields::count(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(begin(), end(), [&](const field& f) { return iequals(f.name, name); }));
}

bool fields::has_token(std::string_view name, std::string_view token) const {
  return std::any_of(begin(), end(), [&](const field& f) {
    return iequals(f.name, name) && detail::any_list_element(f.value, [&](std::string_view element) {
             return iequals(element, token);
           });
  });
}

}  // namespace socketlab::http
