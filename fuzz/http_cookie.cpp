// Arbitrary bytes as Cookie field values (split at NUL into several fields): every cookie name
// found must be a view into those values. Nothing may crash or read out of bounds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "duplex/http/cookie.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  duplex::http::Fields fields;
  for (std::string_view rest = input;;) {
    const std::size_t nul = rest.find('\0');
    fields.add("Cookie", std::string(rest.substr(0, nul)));
    if (nul == std::string_view::npos) break;
    rest = rest.substr(nul + 1);
  }
  for (const char* name : {"session", "", "a", "theme"}) {
    const auto value = duplex::http::find_cookie(fields, name);
    if (!value) continue;
    bool inside = false;
    for (const auto& field : fields.list())
      inside = inside || (value->data() >= field.value.data() &&
                          value->data() + value->size() <= field.value.data() + field.value.size());
    if (!inside) std::abort();
  }
  return 0;
}
