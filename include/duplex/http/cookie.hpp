// The Cookie request field (RFC 6265 §4.2.1, §5.4): "name=value; name2=value2".
#pragma once

#include <optional>
#include <string_view>

#include "duplex/http/head.hpp"

namespace duplex::http {

// The value of the first cookie called `name` (names compare exactly), across every Cookie
// field; a value in double quotes is given without them (RFC 6265 §4.1.1 cookie-value). Pairs
// without '=' are skipped.
std::optional<std::string_view> find_cookie(const Fields& fields, std::string_view name);

}  // namespace duplex::http
