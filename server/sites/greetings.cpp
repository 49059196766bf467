#include "server/sites/greetings.hpp"

#include <array>

#include "socketlab/http/fields.hpp"

namespace socketlab::server {
namespace {

// The original exercise served English on 8888, French on 8881 and Spanish on 8000.
// Written as UTF-8 escapes so the bytes are right whatever the editor's encoding.
constexpr std::array table{
    greeting{"en", "English", "Hello, World!"},
    greeting{"fr", "French", "Bonjour, le monde\u202F!"},
    greeting{"es", "Spanish", "\u00A1Hola, Mundo!"},
    greeting{"de", "German", "Hallo, Welt!"},
    greeting{"ru", "Russian", "\u041F\u0440\u0438\u0432\u0435\u0442, \u043C\u0438\u0440!"},
    greeting{"it", "Italian", "Ciao, mondo!"},
    greeting{"pt", "Portuguese", "Ol\u00E1, Mundo!"},
    greeting{"ja", "Japanese", "\u3053\u3093\u306B\u3061\u306F\u3001\u4E16\u754C\uFF01"},
    greeting{"zh", "Chinese", "\u4F60\u597D\uFF0C\u4E16\u754C\uFF01"},
    greeting{"el", "Greek", "\u0393\u03B5\u03B9\u03AC \u03C3\u03BF\u03C5, \u039A\u03CC\u03C3\u03BC\u03B5!"},
};

}  // namespace

std::span<const greeting> greetings() noexcept {
  return table;
}

std::optional<greeting> find_greeting(std::string_view code) noexcept {
  for (const auto& g : table) {
    if (http::iequals(g.code, code)) return g;
  }
  return std::nullopt;
}

}  // namespace socketlab::server
