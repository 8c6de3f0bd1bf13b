// Arbitrary bytes through the HTTP head reader and parsers. Nothing may crash, read out of bounds
// or loop; what parses must serialize to something that parses again to the same head.
// (The WebSocket decisions on a parsed head are fuzzed by ws_handshake.cpp.)
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "duplex/http/head.hpp"

namespace {

std::span<const std::uint8_t> bytes_of(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

bool same_fields(const duplex::http::Fields& a, const duplex::http::Fields& b) {
  if (a.list().size() != b.list().size()) return false;
  for (std::size_t i = 0; i < a.list().size(); ++i)
    if (a.list()[i].name != b.list()[i].name || a.list()[i].value != b.list()[i].value) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const auto scan = duplex::http::scan_head(bytes);
  const auto end = duplex::http::find_head_end(bytes);
  if (end && *end > size) std::abort();
  if (scan.state == duplex::http::HeadScan::State::complete && (!end || scan.length != *end)) std::abort();

  // The parsers must cope with any span, measured or not.
  const std::span<const std::uint8_t> head = end ? bytes.first(*end) : bytes;
  if (auto response = duplex::http::parse_response_head(head)) {
    auto again = duplex::http::parse_response_head(bytes_of(duplex::http::serialize(*response)));
    if (!again || again->status != response->status || !same_fields(again->fields, response->fields)) std::abort();
  }
  if (auto request = duplex::http::parse_request_head(head)) {
    auto again = duplex::http::parse_request_head(bytes_of(duplex::http::serialize(*request)));
    if (!again || again->method != request->method || again->target != request->target ||
        !same_fields(again->fields, request->fields))
      std::abort();
  }
  return 0;
}
