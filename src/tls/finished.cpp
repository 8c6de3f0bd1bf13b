#include "duplex/tls/finished.hpp"

#include <string>

namespace duplex::tls {

Result<Finished> parse_finished(std::span<const std::uint8_t> body, std::size_t hash_length) {
  if (body.size() != hash_length) {
    // RFC 8446 §4.4.4: verify_data is exactly Hash.length bytes; §6.2: a message of the wrong
    // length is a decode_error.
    return reject(AlertDescription::decode_error,
                  "the Finished message is " + std::to_string(body.size()) +
                      " bytes long instead of the hash length " + std::to_string(hash_length) +
                      " (RFC 8446 §4.4.4)");
  }
  return Finished{{body.begin(), body.end()}};
}

std::vector<std::uint8_t> encode_finished(const Finished& message) { return message.verify_data; }

}  // namespace duplex::tls
