// Arbitrary bytes as a request target: its path, its query and every parameter of it. Nothing may
// crash or read out of bounds; decoding never makes a value longer than what it decoded.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "duplex/http/query.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view target(reinterpret_cast<const char*>(data), size);
  const std::string_view path = duplex::http::target_path(target);
  const std::string_view query = duplex::http::target_query(target);
  if (path.size() + query.size() > target.size()) std::abort();
  // Each name that appears, and one that cannot be found by accident.
  for (std::string_view rest = query; !rest.empty();) {
    const std::size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    const std::string_view name = pair.substr(0, pair.find('='));
    if (auto value = duplex::http::query_parameter(query, name); value && value->size() > query.size()) std::abort();
  }
  (void)duplex::http::query_parameter(query, "token");
  return 0;
}
