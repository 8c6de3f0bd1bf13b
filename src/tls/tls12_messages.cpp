#include "duplex/tls/tls12_messages.hpp"

#include "wire.hpp"

namespace duplex::tls {

namespace {

constexpr wire::VectorBounds certificate_list_bounds{0, 0xffffff};
constexpr wire::VectorBounds asn1_cert_bounds{1, 0xffffff};
constexpr wire::VectorBounds ec_point_bounds{1, 0xff};
constexpr wire::VectorBounds signature_bounds{0, 0xffff};
constexpr wire::VectorBounds certificate_types_bounds{1, 0xff};
constexpr wire::VectorBounds signature_algorithms_bounds{2, 0xfffe};
constexpr wire::VectorBounds certificate_authorities_bounds{0, 0xffff};
constexpr wire::VectorBounds distinguished_name_bounds{1, 0xffff};
constexpr wire::VectorBounds encrypted_premaster_bounds{0, 0xffff};
// RFC 8422 §5.4: enum { deprecated (1..2), named_curve (3), reserved(248..255) } ECCurveType;
constexpr std::uint8_t kNamedCurve = 3;

}  // namespace

Result<Tls12Certificate> parse_tls12_certificate(std::span<const std::uint8_t> body) {
  constexpr std::string_view section = "RFC 5246 §7.4.2";
  ByteReader in(body);
  auto list = wire::read_vector(in, certificate_list_bounds, {"the Certificate's certificate_list", section});
  if (!list) return fail(list.error());
  if (auto end = wire::expect_end(in, {"the Certificate", section}); !end) return fail(end.error());
  Tls12Certificate certificate;
  ByteReader entries(*list);
  while (!entries.empty()) {
    auto der = wire::read_vector(entries, asn1_cert_bounds, {"the Certificate's ASN.1Cert", section});
    if (!der) return fail(der.error());
    certificate.certificate_list.emplace_back(der->begin(), der->end());
  }
  return certificate;
}

std::vector<std::uint8_t> encode_tls12_certificate(const Tls12Certificate& message) {
  std::vector<std::uint8_t> out;
  auto list = wire::open_vector(out, certificate_list_bounds);
  for (const auto& der : message.certificate_list) wire::put_vector(out, asn1_cert_bounds, der);
  wire::close_vector(out, list);
  return out;
}

Result<ServerKeyExchange> parse_server_key_exchange(std::span<const std::uint8_t> body) {
  constexpr std::string_view section = "RFC 8422 §5.4";
  ByteReader in(body);
  auto curve_type = wire::read_u8(in, {"the ServerKeyExchange's curve_type", section});
  if (!curve_type) return fail(curve_type.error());
  // RFC 8422 §5.4: explicit_prime and explicit_char2 are deprecated: "MUST NOT" be used.
  if (*curve_type != kNamedCurve)
    return reject(AlertDescription::illegal_parameter,
                  "the ServerKeyExchange's curve_type is " + std::to_string(*curve_type) +
                      ", not named_curve (3) (RFC 8422 §5.4)");
  ServerKeyExchange message;
  auto curve = wire::read_u16(in, {"the ServerKeyExchange's namedcurve", section});
  if (!curve) return fail(curve.error());
  message.named_curve = static_cast<NamedGroup>(*curve);
  auto point = wire::read_vector(in, ec_point_bounds, {"the ServerKeyExchange's public", section});
  if (!point) return fail(point.error());
  message.public_key.assign(point->begin(), point->end());
  auto algorithm = wire::read_u16(in, {"the ServerKeyExchange's signature algorithm", "RFC 5246 §7.4.1.4.1"});
  if (!algorithm) return fail(algorithm.error());
  message.algorithm = static_cast<SignatureScheme>(*algorithm);
  auto signature = wire::read_vector(in, signature_bounds, {"the ServerKeyExchange's signature", section});
  if (!signature) return fail(signature.error());
  message.signature.assign(signature->begin(), signature->end());
  if (auto end = wire::expect_end(in, {"the ServerKeyExchange", section}); !end) return fail(end.error());
  return message;
}

namespace {
void put_server_ecdh_params(std::vector<std::uint8_t>& out, NamedGroup named_curve,
                            std::span<const std::uint8_t> public_key) {
  wire::put_u8(out, kNamedCurve);
  wire::put_u16(out, static_cast<std::uint16_t>(named_curve));
  wire::put_vector(out, ec_point_bounds, public_key);
}
}  // namespace

std::vector<std::uint8_t> encode_server_key_exchange(const ServerKeyExchange& message) {
  std::vector<std::uint8_t> out;
  put_server_ecdh_params(out, message.named_curve, message.public_key);
  wire::put_u16(out, static_cast<std::uint16_t>(message.algorithm));
  wire::put_vector(out, signature_bounds, message.signature);
  return out;
}

std::vector<std::uint8_t> server_key_exchange_signed_content(std::span<const std::uint8_t, 32> client_random,
                                                             std::span<const std::uint8_t, 32> server_random,
                                                             NamedGroup named_curve,
                                                             std::span<const std::uint8_t> public_key) {
  std::vector<std::uint8_t> out;
  out.reserve(64 + 4 + public_key.size());
  wire::put_bytes(out, client_random);
  wire::put_bytes(out, server_random);
  put_server_ecdh_params(out, named_curve, public_key);
  return out;
}

Result<Tls12CertificateRequest> parse_tls12_certificate_request(std::span<const std::uint8_t> body) {
  constexpr std::string_view section = "RFC 5246 §7.4.4";
  ByteReader in(body);
  Tls12CertificateRequest request;
  auto types = wire::read_vector(in, certificate_types_bounds, {"the CertificateRequest's certificate_types", section});
  if (!types) return fail(types.error());
  for (auto type : *types) request.certificate_types.push_back(static_cast<ClientCertificateType>(type));
  auto schemes = wire::read_vector(in, signature_algorithms_bounds,
                                   {"the CertificateRequest's supported_signature_algorithms", section});
  if (!schemes) return fail(schemes.error());
  if (schemes->size() % 2 != 0)
    return reject(AlertDescription::decode_error,
                  "the CertificateRequest's supported_signature_algorithms has an odd length (" +
                      std::string(section) + ")");
  for (std::size_t i = 0; i < schemes->size(); i += 2)
    request.signature_algorithms.push_back(static_cast<SignatureScheme>(((*schemes)[i] << 8) | (*schemes)[i + 1]));
  auto authorities = wire::read_vector(in, certificate_authorities_bounds,
                                       {"the CertificateRequest's certificate_authorities", section});
  if (!authorities) return fail(authorities.error());
  ByteReader names(*authorities);
  while (!names.empty()) {
    auto name = wire::read_vector(names, distinguished_name_bounds,
                                  {"the CertificateRequest's DistinguishedName", section});
    if (!name) return fail(name.error());
    request.certificate_authorities.emplace_back(name->begin(), name->end());
  }
  if (auto end = wire::expect_end(in, {"the CertificateRequest", section}); !end) return fail(end.error());
  return request;
}

std::vector<std::uint8_t> encode_tls12_certificate_request(const Tls12CertificateRequest& message) {
  std::vector<std::uint8_t> out;
  auto types = wire::open_vector(out, certificate_types_bounds);
  for (auto type : message.certificate_types) wire::put_u8(out, static_cast<std::uint8_t>(type));
  wire::close_vector(out, types);
  auto schemes = wire::open_vector(out, signature_algorithms_bounds);
  for (auto scheme : message.signature_algorithms) wire::put_u16(out, static_cast<std::uint16_t>(scheme));
  wire::close_vector(out, schemes);
  auto authorities = wire::open_vector(out, certificate_authorities_bounds);
  for (const auto& name : message.certificate_authorities) wire::put_vector(out, distinguished_name_bounds, name);
  wire::close_vector(out, authorities);
  return out;
}

Status parse_server_hello_done(std::span<const std::uint8_t> body) {
  if (!body.empty())
    return reject(AlertDescription::decode_error, "the ServerHelloDone is not empty (RFC 5246 §7.4.5)");
  return Unit{};
}

Result<std::vector<std::uint8_t>> parse_client_key_exchange(std::span<const std::uint8_t> body,
                                                            ClientKeyExchangeForm form) {
  ByteReader in(body);
  const bool ecdh = form == ClientKeyExchangeForm::ecdh_public;
  const std::string_view section = ecdh ? "RFC 8422 §5.7" : "RFC 5246 §7.4.7.1";
  auto keys = wire::read_vector(in, ecdh ? ec_point_bounds : encrypted_premaster_bounds,
                                {ecdh ? "the ClientKeyExchange's ecdh_Yc" : "the ClientKeyExchange's EncryptedPreMasterSecret",
                                 section});
  if (!keys) return fail(keys.error());
  if (auto end = wire::expect_end(in, {"the ClientKeyExchange", section}); !end) return fail(end.error());
  return std::vector<std::uint8_t>(keys->begin(), keys->end());
}

std::vector<std::uint8_t> encode_client_key_exchange(std::span<const std::uint8_t> exchange_keys,
                                                     ClientKeyExchangeForm form) {
  std::vector<std::uint8_t> out;
  wire::put_vector(out, form == ClientKeyExchangeForm::ecdh_public ? ec_point_bounds : encrypted_premaster_bounds,
                   exchange_keys);
  return out;
}

}  // namespace duplex::tls
