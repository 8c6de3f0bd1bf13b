// Fuzzes the handshake codecs, TLS 1.3's (RFC 8446) and TLS 1.2's own messages (RFC 5246 §7.4). Input: [chunk][bytes...]. The bytes go through the
// HandshakeReassembler in records of `chunk` bytes (1..256) and every message it yields, as well
// as the whole input taken as a body, goes through every message parser. Whatever parses must
// re-encode to exactly the bytes it came from and parse again to the same value; the typed
// extension parsers get the same treatment where their encoding is canonical.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/handshake_messages.hpp"
#include "duplex/tls/tls12_messages.hpp"

namespace {

using namespace duplex::tls;
using Bytes = std::span<const std::uint8_t>;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

bool same_bytes(const std::vector<std::uint8_t>& encoded, Bytes input) {
  return encoded.size() == input.size() && std::equal(encoded.begin(), encoded.end(), input.begin());
}

// parse(body) → encode → same bytes → parse → same value.
template <typename Parse, typename Encode>
void round_trip(Bytes body, Parse parse, Encode encode) {
  auto parsed = parse(body);
  if (!parsed) {
    check(!parsed.error().message.empty());
    return;
  }
  const auto encoded = encode(*parsed);
  check(same_bytes(encoded, body));
  auto again = parse(encoded);
  check(again.ok() && *again == *parsed);
}

void typed_extensions(Bytes data) {
  if (auto shares = parse_key_share_client_hello(data)) check(same_bytes(make_key_share_client_hello(*shares).data, data));
  if (auto share = parse_key_share_server_hello(data)) check(same_bytes(make_key_share_server_hello(*share).data, data));
  if (auto names = parse_alpn(data, ExtensionContext::client_hello)) check(same_bytes(make_alpn(*names).data, data));
  if (auto versions = parse_supported_versions_client_hello(data))
    check(same_bytes(make_supported_versions_client_hello(*versions).data, data));
  if (auto groups = parse_supported_groups(data, ExtensionContext::client_hello))
    check(same_bytes(make_supported_groups(*groups).data, data));
  if (auto modes = parse_psk_key_exchange_modes(data)) check(same_bytes(make_psk_key_exchange_modes(*modes).data, data));
  // TLS 1.2's: renegotiation_info and ec_point_formats are vectors whose parse keeps every byte.
  if (auto connection = parse_renegotiation_info(data, ExtensionContext::client_hello))
    check(connection->size() + 1 == data.size());
  if (auto formats = parse_ec_point_formats(data, ExtensionContext::client_hello))
    check(formats->size() + 1 == data.size());
  if (parse_extended_master_secret(data, ExtensionContext::client_hello)) check(data.empty());
  if (auto name = parse_server_name_client_hello(data)) {
    if (name->has_value()) check(!(*name)->empty() && (*name)->back() != '.');
  }
}

void every_parser(HandshakeType type, Bytes body, bool all) {
  using T = HandshakeType;
  if (all || type == T::client_hello) round_trip(body, parse_client_hello, encode_client_hello);
  if (all || type == T::server_hello) round_trip(body, parse_server_hello, encode_server_hello);
  if (all || type == T::encrypted_extensions)
    round_trip(body, parse_encrypted_extensions, encode_encrypted_extensions);
  if (all || type == T::certificate_request)
    round_trip(body, parse_certificate_request, encode_certificate_request);
  if (all || type == T::certificate) round_trip(body, parse_certificate, encode_certificate);
  if (all || type == T::certificate_verify) round_trip(body, parse_certificate_verify, encode_certificate_verify);
  if (all || type == T::finished) {
    round_trip(body, [](Bytes b) { return parse_finished(b, 32); }, encode_finished);
    round_trip(body, [](Bytes b) { return parse_finished(b, 48); }, encode_finished);
  }
  if (all || type == T::new_session_ticket) round_trip(body, parse_new_session_ticket, encode_new_session_ticket);
  // TLS 1.2's own forms (RFC 5246 §7.4, RFC 8422 §5).
  if (all || type == T::certificate) round_trip(body, parse_tls12_certificate, encode_tls12_certificate);
  if (all || type == T::certificate_request)
    round_trip(body, parse_tls12_certificate_request, encode_tls12_certificate_request);
  if (all || type == T::server_key_exchange) round_trip(body, parse_server_key_exchange, encode_server_key_exchange);
  if (all || type == T::client_key_exchange) {
    for (auto form : {ClientKeyExchangeForm::ecdh_public, ClientKeyExchangeForm::rsa_encrypted_premaster})
      if (auto keys = parse_client_key_exchange(body, form)) check(same_bytes(encode_client_key_exchange(*keys, form), body));
  }
  if (all || type == T::server_hello_done) {
    if (parse_server_hello_done(body)) check(body.empty());
  }
  if (all || type == T::finished) round_trip(body, [](Bytes b) { return parse_finished(b, 12); }, encode_finished);
  if (all || type == T::key_update) round_trip(body, parse_key_update, encode_key_update);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::size_t chunk = std::size_t{data[0]} + 1;
  const Bytes input(data + 1, size - 1);

  HandshakeReassembler reassembler(4096);
  std::size_t yielded = 0;
  for (std::size_t offset = 0; offset < input.size(); offset += chunk) {
    auto status = reassembler.receive(input.subspan(offset, std::min(chunk, input.size() - offset)));
    if (!status) break;
    while (auto message = reassembler.next()) {
      check(message->encoded.size() >= handshake_header_size);
      check(same_bytes(message->encoded, input.subspan(yielded, message->encoded.size())));
      yielded += message->encoded.size();
      every_parser(message->msg_type, message->body(), false);
    }
  }
  every_parser(HandshakeType{}, input, true);
  typed_extensions(input);
  return 0;
}
