#include "duplex/tls/new_session_ticket.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {
constexpr wire::VectorBounds nonce_bounds{0, 255};
constexpr wire::VectorBounds ticket_bounds{1, 0xffff};
constexpr ExtensionsBounds extensions_bounds{0, 0xfffe};
constexpr std::string_view section = "RFC 8446 §4.6.1";
}  // namespace

Result<NewSessionTicket> parse_new_session_ticket(std::span<const std::uint8_t> body) {
  ByteReader in(body);
  NewSessionTicket ticket;
  auto lifetime = wire::read_u32(in, {"the NewSessionTicket's ticket_lifetime", section});
  if (!lifetime) return fail(lifetime.error());
  ticket.ticket_lifetime = *lifetime;
  auto age_add = wire::read_u32(in, {"the NewSessionTicket's ticket_age_add", section});
  if (!age_add) return fail(age_add.error());
  ticket.ticket_age_add = *age_add;
  auto nonce = wire::read_vector(in, nonce_bounds, {"the NewSessionTicket's ticket_nonce", section});
  if (!nonce) return fail(nonce.error());
  ticket.ticket_nonce.assign(nonce->begin(), nonce->end());
  auto opaque = wire::read_vector(in, ticket_bounds, {"the NewSessionTicket's ticket", section});
  if (!opaque) return fail(opaque.error());
  ticket.ticket.assign(opaque->begin(), opaque->end());
  auto extensions = read_extensions(in, ExtensionContext::new_session_ticket, extensions_bounds);
  if (!extensions) return fail(extensions.error());
  ticket.extensions = std::move(*extensions);
  if (auto end = wire::expect_end(in, {"the NewSessionTicket", section}); !end) return fail(end.error());
  return ticket;
}

std::vector<std::uint8_t> encode_new_session_ticket(const NewSessionTicket& message) {
  std::vector<std::uint8_t> out;
  wire::put_u32(out, message.ticket_lifetime);
  wire::put_u32(out, message.ticket_age_add);
  wire::put_vector(out, nonce_bounds, message.ticket_nonce);
  wire::put_vector(out, ticket_bounds, message.ticket);
  write_extensions(out, message.extensions, extensions_bounds);
  return out;
}

}  // namespace duplex::tls
