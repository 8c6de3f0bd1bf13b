// Arbitrary bytes parsed as a request head and, when one parses, through the server side of the
// WebSocket opening handshake; parsed as a response head, through the client side's checks.
// Nothing may crash; every refusal must be a complete response with the status it names.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "duplex/http/head.hpp"
#include "duplex/ws/handshake.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::uint8_t> bytes(data, size);
  const auto end = duplex::http::find_head_end(bytes);
  const std::span<const std::uint8_t> head = end ? bytes.first(*end) : bytes;

  if (auto response = duplex::http::parse_response_head(head)) {
    static const duplex::ws::ClientHandshake client([] {
      duplex::ws::ClientHandshakeOptions options;
      options.host = "127.0.0.1:9001";
      options.subprotocols = {"chat"};
      return options;
    }());
    (void)client.check_response(*response);
  }

  auto request = duplex::http::parse_request_head(head);
  if (!request) return 0;
  duplex::ws::ServerHandshakeOptions options;
  options.subprotocols = {"chat", "superchat"};
  options.check_origin = [](std::string_view origin) { return origin != "http://evil.example"; };
  auto upgrade = duplex::ws::accept_upgrade(*request, options);
  if (upgrade) return 0;
  const std::string& text = upgrade.error().response;
  const std::span<const std::uint8_t> out(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
  const auto response_end = duplex::http::find_head_end(out);
  if (!response_end) std::abort();
  auto parsed = duplex::http::parse_response_head(out.first(*response_end));
  if (!parsed || parsed->status != upgrade.error().status) std::abort();
  if (parsed->fields.get("Content-Length") != std::to_string(text.size() - *response_end)) std::abort();
  return 0;
}
