// RFC 8446 §4.6.1 NewSessionTicket (parsed and kept; resumption comes with a later issue).
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/error.hpp"
#include "duplex/tls/extension.hpp"

namespace duplex::tls {

// struct {
//     uint32 ticket_lifetime;
//     uint32 ticket_age_add;
//     opaque ticket_nonce<0..255>;
//     opaque ticket<1..2^16-1>;
//     Extension extensions<0..2^16-2>;
// } NewSessionTicket;
struct NewSessionTicket {
  std::uint32_t ticket_lifetime = 0;  // seconds; §4.6.1: at most 604800 (7 days), the engine caps it
  std::uint32_t ticket_age_add = 0;
  std::vector<std::uint8_t> ticket_nonce;
  std::vector<std::uint8_t> ticket;
  std::vector<Extension> extensions;  // early_data is the only one RFC 8446 defines here

  bool operator==(const NewSessionTicket&) const = default;
};

Result<NewSessionTicket> parse_new_session_ticket(std::span<const std::uint8_t> body);
std::vector<std::uint8_t> encode_new_session_ticket(const NewSessionTicket& message);

}  // namespace duplex::tls
