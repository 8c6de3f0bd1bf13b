#include "duplex/http/cookie.hpp"

namespace duplex::http {
namespace {

std::string_view trim_spaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::optional<std::string_view> find_cookie(const Fields& fields, std::string_view name) {
  for (const Field& field : fields.list()) {
    if (!field_names_equal(field.name, "Cookie")) continue;
    // RFC 6265 §4.2.1: cookie-string = cookie-pair *( ";" SP cookie-pair ); be lenient on spaces.
    std::string_view rest = field.value;
    while (!rest.empty()) {
      const std::size_t semicolon = rest.find(';');
      const std::string_view pair = trim_spaces(rest.substr(0, semicolon));
      rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
      const std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos || trim_spaces(pair.substr(0, eq)) != name) continue;
      std::string_view value = trim_spaces(pair.substr(eq + 1));
      if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
      return value;
    }
  }
  return std::nullopt;
}

}  // namespace duplex::http
