// The query of a request target (RFC 3986 §3.4), read as application/x-www-form-urlencoded
// pairs ("token=a%20b&room=1"), as browsers and URLSearchParams write them.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace duplex::http {

// "/chat?room=1" → "/chat" and "room=1" (empty when there is no '?'; a '#' fragment is not sent).
std::string_view target_path(std::string_view target);
std::string_view target_query(std::string_view target);

// The first value of `name` in `query`, decoded: %XX to its byte, '+' to a space; a '%' not
// followed by two hex digits stays as it is. "flag" alone (no '=') has the value "".
std::optional<std::string> query_parameter(std::string_view query, std::string_view name);

}  // namespace duplex::http
