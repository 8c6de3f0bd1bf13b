#include "duplex/tls/key_update.hpp"

#include "hex_name.hpp"
#include "wire.hpp"

namespace duplex::tls {

Result<KeyUpdate> parse_key_update(std::span<const std::uint8_t> body) {
  constexpr wire::Field field{"the KeyUpdate's request_update", "RFC 8446 §4.6.3"};
  ByteReader in(body);
  auto request = wire::read_u8(in, field);
  if (!request) return fail(request.error());
  if (auto end = wire::expect_end(in, field); !end) return fail(end.error());
  if (*request > static_cast<std::uint8_t>(KeyUpdateRequest::update_requested)) {
    // RFC 8446 §4.6.3: "If an implementation receives any other value, it MUST terminate the
    // connection with an "illegal_parameter" alert."
    return reject(AlertDescription::illegal_parameter,
                  "the KeyUpdate's request_update is " + hex_name(*request, 2) +
                      ", neither update_not_requested nor update_requested (RFC 8446 §4.6.3)");
  }
  return KeyUpdate{static_cast<KeyUpdateRequest>(*request)};
}

std::vector<std::uint8_t> encode_key_update(const KeyUpdate& message) {
  return {static_cast<std::uint8_t>(message.request_update)};
}

}  // namespace duplex::tls
