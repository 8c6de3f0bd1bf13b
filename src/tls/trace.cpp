#include "duplex/tls/trace.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/handshake_messages.hpp"
#include "duplex/tls/tls12_messages.hpp"
#include "duplex/util/byte_reader.hpp"
#include "duplex/x509/certificate.hpp"
#include "hex_name.hpp"

namespace duplex::tls {

namespace {

using Bytes = std::span<const std::uint8_t>;

// Byte strings longer than this are cut: a 32-byte random or session id is shown whole, a
// certificate or a ticket only starts.
constexpr std::size_t long_hex_bytes = 32;
// Where an extension is shown as bytes, a short prefix is enough to recognise it.
constexpr std::size_t extension_hex_bytes = 16;

std::string hex(Bytes bytes, std::size_t limit = long_hex_bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  const std::size_t shown = std::min(bytes.size(), limit);
  out.reserve(2 * shown + 3);
  for (std::size_t i = 0; i < shown; ++i) {
    out += digits[bytes[i] >> 4];
    out += digits[bytes[i] & 15];
  }
  if (shown < bytes.size()) out += "…";
  return out;
}

std::string count(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}
std::string byte_count(std::size_t n) { return count(n, "byte", "bytes"); }

// "0 bytes" or "5 bytes: 0102030405".
std::string length_and_hex(Bytes bytes, std::size_t limit = long_hex_bytes) {
  if (bytes.empty()) return "0 bytes";
  return byte_count(bytes.size()) + ": " + hex(bytes, limit);
}

// Peer text for a terminal: printable ASCII as is, every other byte as \xNN.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte < 0x7f) {
      out += c;
    } else {
      char escaped[5];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    }
  }
  return out;
}

// RFC 8701: GREASE values 0x0a0a, 0x1a1a, ... 0xfafa, sent to keep peers tolerant of unknown codes.
bool is_grease(std::uint16_t value) {
  return (value & 0x0f0f) == 0x0a0a && (value >> 8) == (value & 0xff);
}

// The name of one value of an open 16-bit enum, marking GREASE.
template <typename Code>
std::string code_name(Code code) {
  std::string name = to_string(code);
  if (is_grease(static_cast<std::uint16_t>(code))) name += " (GREASE)";
  return name;
}

template <typename T, typename Name>
std::string join(const std::vector<T>& items, Name name) {
  std::string out;
  for (const T& item : items) {
    if (!out.empty()) out += ", ";
    out += name(item);
  }
  return out.empty() ? "(none)" : out;
}

// "2026-11-24 16:46:03 UTC": the proleptic Gregorian calendar (H. Hinnant's civil_from_days).
std::string utc_time(std::int64_t seconds) {
  std::int64_t days = seconds / 86400;
  std::int64_t second_of_day = seconds % 86400;
  if (second_of_day < 0) {
    second_of_day += 86400;
    --days;
  }
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t day_of_era = z - era * 146097;
  const std::int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const std::int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const std::int64_t mp = (5 * day_of_year + 2) / 153;
  const std::int64_t day = day_of_year - (153 * mp + 2) / 5 + 1;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
  char text[64];
  std::snprintf(text, sizeof text, "%04lld-%02lld-%02lld %02lld:%02lld:%02lld UTC", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day),
                static_cast<long long>(second_of_day / 3600), static_cast<long long>(second_of_day / 60 % 60),
                static_cast<long long>(second_of_day % 60));
  return text;
}

// The output: lines at a depth of indentation (two spaces each).
class Lines {
 public:
  void add(int depth, std::string_view line) {
    text_.append(static_cast<std::size_t>(2 * depth), ' ');
    text_ += line;
    text_ += '\n';
  }
  std::string take() && { return std::move(text_); }

 private:
  std::string text_;
};

// ---- extensions ---------------------------------------------------------------------------

// "padding (12 bytes): 000000…" or "0x1234 (2 bytes): abcd": an extension shown as bytes.
std::string opaque_extension(const Extension& extension) {
  std::string line = code_name(extension.type);
  if (extension.data.empty()) return line + " (empty)";
  return line + " (" + byte_count(extension.data.size()) + "): " + hex(extension.data, extension_hex_bytes);
}

// RFC 8446 §4.2.11: the ClientHello's identities and binders, or the server's selected_identity.
std::optional<std::string> pre_shared_key_value(Bytes data, ExtensionContext context) {
  ByteReader in(data);
  if (context == ExtensionContext::server_hello) {
    auto selected = in.read_u16();
    if (!selected || !in.empty()) return std::nullopt;
    return "selected_identity " + std::to_string(*selected);
  }
  if (context != ExtensionContext::client_hello) return std::nullopt;
  auto identities_length = in.read_u16();
  if (!identities_length) return std::nullopt;
  auto identities = in.read_bytes(*identities_length);
  if (!identities) return std::nullopt;
  std::string out = "identities ";
  ByteReader list(*identities);
  for (std::size_t i = 0; !list.empty(); ++i) {
    auto identity_length = list.read_u16();
    if (!identity_length) return std::nullopt;
    auto identity = list.read_bytes(*identity_length);
    auto age = list.read_u32();
    if (!identity || !age) return std::nullopt;
    if (i > 0) out += ", ";
    out += "[" + byte_count(identity->size()) + ", obfuscated_ticket_age " + std::to_string(*age) + "]";
  }
  auto binders_length = in.read_u16();
  if (!binders_length) return std::nullopt;
  auto binders = in.read_bytes(*binders_length);
  if (!binders || !in.empty()) return std::nullopt;
  out += "; binders ";
  ByteReader binder_list(*binders);
  for (std::size_t i = 0; !binder_list.empty(); ++i) {
    auto binder_length = binder_list.read_u8();
    if (!binder_length || !binder_list.skip(*binder_length)) return std::nullopt;
    if (i > 0) out += ", ";
    out += byte_count(*binder_length);
  }
  return out;
}

// What follows "name: " for the extensions whose data is decoded, or the parser's error.
// nullopt: the extension is shown as bytes (unknown, or kept opaque here).
std::optional<Result<std::string>> extension_value(const Extension& extension, ExtensionContext context) {
  using C = ExtensionContext;
  const Bytes data = extension.data;
  auto text = [](const auto& result, auto format) -> Result<std::string> {
    if (!result) return fail(result.error());
    return format(*result);
  };
  switch (extension.type) {
    case ExtensionType::server_name:
      if (context != C::client_hello) {
        // RFC 6066 §3: the server's "extension_data" field "SHALL be empty".
        return text(parse_server_name_encrypted_extensions(data),
                    [](Unit) { return std::string("(empty: the server acknowledges the name)"); });
      }
      return text(parse_server_name_client_hello(data), [](const std::optional<std::string>& host) {
        return host ? printable(*host) : std::string("(no host_name, only name types we do not know)");
      });
    case ExtensionType::supported_versions:
      if (context == C::client_hello) {
        return text(parse_supported_versions_client_hello(data),
                    [](const auto& versions) { return join(versions, code_name<ProtocolVersion>); });
      }
      return text(parse_supported_versions_server_hello(data, context), [](ProtocolVersion version) {
        return code_name(version) + " (selected_version)";
      });
    case ExtensionType::supported_groups:
      return text(parse_supported_groups(data, context),
                  [](const auto& groups) { return join(groups, code_name<NamedGroup>); });
    case ExtensionType::signature_algorithms:
    case ExtensionType::signature_algorithms_cert:
      return text(parse_signature_algorithms(data, extension.type, context),
                  [](const auto& schemes) { return join(schemes, code_name<SignatureScheme>); });
    case ExtensionType::key_share: {
      auto entry = [](const KeyShareEntry& share) {
        return code_name(share.group) + " (" + byte_count(share.key_exchange.size()) + ")";
      };
      if (context == C::client_hello) {
        return text(parse_key_share_client_hello(data),
                    [&](const auto& shares) { return join(shares, entry); });
      }
      if (context == C::hello_retry_request) {
        return text(parse_key_share_hello_retry_request(data),
                    [](NamedGroup group) { return "selected_group " + code_name(group); });
      }
      if (context == C::server_hello) return text(parse_key_share_server_hello(data), entry);
      return std::nullopt;
    }
    case ExtensionType::application_layer_protocol_negotiation:
      return text(parse_alpn(data, context), [](const std::vector<std::string>& names) {
        return join(names, [](const std::string& name) { return printable(name); });
      });
    case ExtensionType::psk_key_exchange_modes:
      return text(parse_psk_key_exchange_modes(data), [](const auto& modes) {
        return join(modes, [](PskKeyExchangeMode mode) -> std::string {
          switch (mode) {
            case PskKeyExchangeMode::psk_ke: return "psk_ke";
            case PskKeyExchangeMode::psk_dhe_ke: return "psk_dhe_ke";
          }
          return hex_name(static_cast<std::uint8_t>(mode), 2);
        });
      });
    case ExtensionType::cookie:
      return text(parse_cookie(data, context),
                  [](const std::vector<std::uint8_t>& cookie) { return byte_count(cookie.size()); });
    case ExtensionType::record_size_limit:
      return text(parse_record_size_limit(data, context),
                  [](std::uint16_t limit) { return std::to_string(limit); });
    case ExtensionType::early_data:
      return text(parse_early_data(data, context), [context](std::uint32_t max_early_data_size) {
        if (context == C::new_session_ticket) return "max_early_data_size " + std::to_string(max_early_data_size);
        return std::string("(empty)");
      });
    case ExtensionType::pre_shared_key:
      if (auto value = pre_shared_key_value(data, context)) return Result<std::string>(*value);
      return std::nullopt;
    case ExtensionType::renegotiation_info:
      return text(parse_renegotiation_info(data, context), [](const std::vector<std::uint8_t>& connection) {
        return connection.empty() ? std::string("(empty renegotiated_connection: an initial handshake)")
                                  : "renegotiated_connection " + length_and_hex(connection);
      });
    case ExtensionType::extended_master_secret:
      return text(parse_extended_master_secret(data, context),
                  [](Unit) { return std::string("(empty: the master secret covers the whole handshake)"); });
    case ExtensionType::ec_point_formats:
      return text(parse_ec_point_formats(data, context), [](const std::vector<std::uint8_t>& formats) {
        return join(formats, [](std::uint8_t format) {
          return format == ec_point_format_uncompressed ? std::string("uncompressed") : hex_name(format, 2);
        });
      });
    default:
      return std::nullopt;
  }
}

std::string describe_extension(const Extension& extension, ExtensionContext context) {
  auto value = extension_value(extension, context);
  if (!value) return opaque_extension(extension);
  if (!*value) return opaque_extension(extension) + " (does not parse: " + to_string(value->error()) + ")";
  return code_name(extension.type) + ": " + **value;
}

void describe_extensions(Lines& out, int depth, std::span<const Extension> extensions,
                         ExtensionContext context) {
  if (extensions.empty()) {
    out.add(depth, "extensions: none");
    return;
  }
  out.add(depth, "extensions:");
  for (const Extension& extension : extensions) out.add(depth + 1, describe_extension(extension, context));
}

// ---- messages -----------------------------------------------------------------------------

Status describe_client_hello(Bytes body, Lines& out) {
  auto hello = parse_client_hello(body);
  if (!hello) return fail(hello.error());
  out.add(1, "legacy_version: " + hex_name(static_cast<std::uint16_t>(hello->legacy_version), 4) + " (" +
                 to_string(hello->legacy_version) + ")");
  out.add(1, "random: " + hex(hello->random));
  out.add(1, "legacy_session_id: " + length_and_hex(hello->legacy_session_id));
  out.add(1, "cipher_suites: " + join(hello->cipher_suites, code_name<CipherSuite>));
  out.add(1, "legacy_compression_methods: " + hex(hello->legacy_compression_methods));
  describe_extensions(out, 1, hello->extensions, ExtensionContext::client_hello);
  return Unit{};
}

// RFC 8446 §4.1.3: a random ending in "DOWNGRD" and 01 or 00 says a TLS 1.3 server chose an older
// version; the client checks it.
std::string random_note(const std::array<std::uint8_t, 32>& random) {
  if (random == hello_retry_request_random) return " (the HelloRetryRequest value, RFC 8446 §4.1.3)";
  const Bytes tail = Bytes(random).last(8);
  if (std::ranges::equal(tail, downgrade_tls12_sentinel)) return " (ends in the TLS 1.2 downgrade sentinel)";
  if (std::ranges::equal(tail, downgrade_tls11_sentinel)) return " (ends in the TLS 1.1 downgrade sentinel)";
  return "";
}

Status describe_server_hello(Bytes body, Lines& out) {
  auto hello = parse_server_hello(body);
  if (!hello) return fail(hello.error());
  out.add(1, "legacy_version: " + hex_name(static_cast<std::uint16_t>(hello->legacy_version), 4) + " (" +
                 to_string(hello->legacy_version) + ")");
  out.add(1, "random: " + hex(hello->random) + random_note(hello->random));
  out.add(1, "legacy_session_id_echo: " + length_and_hex(hello->legacy_session_id_echo));
  out.add(1, "cipher_suite: " + code_name(hello->cipher_suite));
  out.add(1, "legacy_compression_method: " + std::to_string(hello->legacy_compression_method));
  const bool retry = is_hello_retry_request(*hello);
  describe_extensions(out, 1, hello->extensions,
                      retry ? ExtensionContext::hello_retry_request : ExtensionContext::server_hello);
  if (!find_extension(hello->extensions, ExtensionType::supported_versions))
    out.add(1, "(no supported_versions: the server chose TLS 1.2 or older, RFC 8446 §4.2.1)");
  return Unit{};
}

Status describe_encrypted_extensions(Bytes body, Lines& out) {
  auto message = parse_encrypted_extensions(body);
  if (!message) return fail(message.error());
  describe_extensions(out, 1, message->extensions, ExtensionContext::encrypted_extensions);
  return Unit{};
}

Status describe_certificate_request(Bytes body, Lines& out) {
  auto message = parse_certificate_request(body);
  if (!message) return fail(message.error());
  out.add(1, "certificate_request_context: " + length_and_hex(message->certificate_request_context));
  describe_extensions(out, 1, message->extensions, ExtensionContext::certificate_request);
  return Unit{};
}

void describe_certificate_entry(Lines& out, std::size_t index, const CertificateEntry& entry) {
  out.add(2, "[" + std::to_string(index) + "] cert_data: " + byte_count(entry.cert_data.size()));
  auto certificate = x509::parse_certificate(entry.cert_data);
  if (certificate) {
    out.add(3, "subject: " + printable(certificate->subject.text));
    out.add(3, "issuer: " + printable(certificate->issuer.text));
    out.add(3, "validity: " + utc_time(certificate->not_before) + " to " + utc_time(certificate->not_after));
  } else {
    out.add(3, "(not a certificate we can parse: " + printable(certificate.error().message()) + ")");
    out.add(3, "bytes: " + hex(entry.cert_data));
  }
  describe_extensions(out, 3, entry.extensions, ExtensionContext::certificate);
}

Status describe_certificate(Bytes body, Lines& out) {
  auto message = parse_certificate(body);
  if (!message) return fail(message.error());
  out.add(1, "certificate_request_context: " + length_and_hex(message->certificate_request_context));
  const auto& list = message->certificate_list;
  out.add(1, "certificate_list: " + count(list.size(), "entry", "entries") +
                 (list.size() > 1 ? " (end-entity first)" : ""));
  for (std::size_t i = 0; i < list.size(); ++i) describe_certificate_entry(out, i, list[i]);
  return Unit{};
}

Status describe_certificate_verify(Bytes body, Lines& out) {
  auto message = parse_certificate_verify(body);
  if (!message) return fail(message.error());
  out.add(1, "algorithm: " + code_name(message->algorithm));
  out.add(1, "signature: " + byte_count(message->signature.size()));
  return Unit{};
}

Status describe_finished(Bytes body, Lines& out) {
  // The hash length is the negotiated suite's; the trace does not know it, so the body gives it.
  auto message = parse_finished(body, body.size());
  if (!message) return fail(message.error());
  const std::size_t length = message->verify_data.size();
  const bool known_hash = length == 32 || length == 48;  // SHA-256, SHA-384 (RFC 8446 §B.4)
  out.add(1, "verify_data: " + length_and_hex(message->verify_data) +
                 (known_hash ? "" : " (neither a SHA-256 nor a SHA-384 length)"));
  return Unit{};
}

// ---- TLS 1.2's own forms (RFC 5246 §7.4, RFC 8422 §5) ----

Status describe_tls12_finished(Bytes body, Lines& out) {
  auto message = parse_finished(body, body.size());
  if (!message) return fail(message.error());
  // RFC 5246 §7.4.9: verify_data is 12 bytes for every suite we know.
  out.add(1, "verify_data: " + length_and_hex(message->verify_data) +
                 (message->verify_data.size() == 12 ? "" : " (not the 12 bytes of RFC 5246 §7.4.9)"));
  return Unit{};
}

Status describe_tls12_certificate(Bytes body, Lines& out) {
  auto message = parse_tls12_certificate(body);
  if (!message) return fail(message.error());
  const auto& list = message->certificate_list;
  out.add(1, "certificate_list: " + count(list.size(), "certificate", "certificates") +
                 (list.size() > 1 ? " (end-entity first)" : ""));
  for (std::size_t i = 0; i < list.size(); ++i) describe_certificate_entry(out, i, CertificateEntry{list[i], {}});
  return Unit{};
}

Status describe_server_key_exchange(Bytes body, Lines& out) {
  auto message = parse_server_key_exchange(body);
  if (!message) return fail(message.error());
  out.add(1, "params (ServerECDHParams):");
  out.add(2, "curve_type: named_curve (3)");
  out.add(2, "namedcurve: " + code_name(message->named_curve));
  out.add(2, "public: " + length_and_hex(message->public_key));
  out.add(1, "signed_params (over client_random + server_random + params, RFC 8422 §5.4):");
  out.add(2, "algorithm: " + code_name(message->algorithm));
  out.add(2, "signature: " + byte_count(message->signature.size()));
  return Unit{};
}

Status describe_tls12_certificate_request(Bytes body, Lines& out) {
  auto message = parse_tls12_certificate_request(body);
  if (!message) return fail(message.error());
  out.add(1, "certificate_types: " + join(message->certificate_types, [](ClientCertificateType type) {
               switch (type) {
                 case ClientCertificateType::rsa_sign: return std::string("rsa_sign (1)");
                 case ClientCertificateType::ecdsa_sign: return std::string("ecdsa_sign (64)");
               }
               return hex_name(static_cast<std::uint8_t>(type), 2);
             }));
  out.add(1, "supported_signature_algorithms: " + join(message->signature_algorithms, code_name<SignatureScheme>));
  out.add(1, "certificate_authorities: " + count(message->certificate_authorities.size(), "name", "names"));
  return Unit{};
}

Status describe_server_hello_done(Bytes body, Lines& out) {
  if (auto empty = parse_server_hello_done(body); !empty) return empty;
  out.add(1, "(empty: the server's flight is over; the client answers, RFC 5246 §7.4.5)");
  return Unit{};
}

Status describe_client_key_exchange(Bytes body, Lines& out) {
  // The form follows from the suite, which the trace does not know; the lengths tell them apart
  // (an ECDH point has a 1-byte length, an encrypted pre-master secret a 2-byte one).
  if (auto point = parse_client_key_exchange(body, ClientKeyExchangeForm::ecdh_public)) {
    out.add(1, "ecdh_Yc (the client's ECDHE public value, RFC 8422 §5.7): " + length_and_hex(*point));
    return Unit{};
  }
  auto encrypted = parse_client_key_exchange(body, ClientKeyExchangeForm::rsa_encrypted_premaster);
  if (!encrypted) return fail(encrypted.error());
  out.add(1, "EncryptedPreMasterSecret (RSA key transport, RFC 5246 §7.4.7.1): " + byte_count(encrypted->size()));
  return Unit{};
}

Status describe_hello_request(Bytes body, Lines& out) {
  // RFC 5246 §7.4.1.1: struct { } HelloRequest;
  if (!body.empty())
    return reject(AlertDescription::decode_error, "the HelloRequest is not empty (RFC 5246 §7.4.1.1)");
  out.add(1, "(empty: the server asks to renegotiate, RFC 5246 §7.4.1.1)");
  return Unit{};
}

Status describe_new_session_ticket(Bytes body, Lines& out) {
  auto message = parse_new_session_ticket(body);
  if (!message) return fail(message.error());
  out.add(1, "ticket_lifetime: " + std::to_string(message->ticket_lifetime) + " seconds" +
                 (message->ticket_lifetime > 604800 ? " (over the 7 days RFC 8446 §4.6.1 allows)" : ""));
  out.add(1, "ticket_age_add: " + std::to_string(message->ticket_age_add));
  out.add(1, "ticket_nonce: " + length_and_hex(message->ticket_nonce));
  out.add(1, "ticket: " + length_and_hex(message->ticket));
  describe_extensions(out, 1, message->extensions, ExtensionContext::new_session_ticket);
  return Unit{};
}

Status describe_key_update(Bytes body, Lines& out) {
  auto message = parse_key_update(body);
  if (!message) return fail(message.error());
  const bool requested = message->request_update == KeyUpdateRequest::update_requested;
  out.add(1, requested ? "request_update: update_requested (1)" : "request_update: update_not_requested (0)");
  return Unit{};
}

Status describe_end_of_early_data(Bytes body, Lines&) {
  // RFC 8446 §4.5: struct {} EndOfEarlyData;
  if (!body.empty()) {
    return reject(AlertDescription::decode_error, "the EndOfEarlyData message has " + byte_count(body.size()) +
                                                      " where it has none (RFC 8446 §4.5)");
  }
  return Unit{};
}

Status describe_message_hash(Bytes body, Lines& out) {
  // RFC 8446 §4.4.1: stands for ClientHello1 in the transcript after a HelloRetryRequest.
  out.add(1, "Hash(ClientHello1): " + length_and_hex(body));
  return Unit{};
}

Status describe_unknown(Bytes body, Lines& out) {
  out.add(1, "body: " + length_and_hex(body));
  return Unit{};
}

// The message's name as RFC 8446 writes it. A ServerHello whose random is the special value is a
// HelloRetryRequest (§4.1.3), named so even when the rest does not parse.
std::string message_name(HandshakeType type, Bytes body) {
  using enum HandshakeType;
  switch (type) {
    case hello_request: return "HelloRequest";
    case client_hello: return "ClientHello";
    case server_hello: {
      constexpr std::size_t random_offset = 2;  // after legacy_version
      const bool retry = body.size() >= random_offset + hello_retry_request_random.size() &&
                         std::ranges::equal(body.subspan(random_offset, hello_retry_request_random.size()),
                                            hello_retry_request_random);
      return retry ? "HelloRetryRequest" : "ServerHello";
    }
    case new_session_ticket: return "NewSessionTicket";
    case end_of_early_data: return "EndOfEarlyData";
    case encrypted_extensions: return "EncryptedExtensions";
    case certificate: return "Certificate";
    case server_key_exchange: return "ServerKeyExchange";
    case certificate_request: return "CertificateRequest";
    case server_hello_done: return "ServerHelloDone";
    case certificate_verify: return "CertificateVerify";
    case client_key_exchange: return "ClientKeyExchange";
    case finished: return "Finished";
    case certificate_status: return "CertificateStatus";
    case key_update: return "KeyUpdate";
    case message_hash: return "message_hash (never on the wire)";
  }
  return "unknown handshake message " + to_string(type);
}

using Describe = Status (*)(Bytes body, Lines& out);

Describe describer(HandshakeType type, ProtocolVersion version) {
  using enum HandshakeType;
  if (version == ProtocolVersion::tls1_2) {
    // RFC 5246 §7.4: the messages whose TLS 1.2 form is not TLS 1.3's.
    if (type == certificate) return describe_tls12_certificate;
    if (type == certificate_request) return describe_tls12_certificate_request;
    if (type == finished) return describe_tls12_finished;
  }
  switch (type) {
    case hello_request: return describe_hello_request;
    case server_key_exchange: return describe_server_key_exchange;
    case server_hello_done: return describe_server_hello_done;
    case client_key_exchange: return describe_client_key_exchange;
    case certificate_status: return describe_unknown;
    case client_hello: return describe_client_hello;
    case server_hello: return describe_server_hello;
    case new_session_ticket: return describe_new_session_ticket;
    case end_of_early_data: return describe_end_of_early_data;
    case encrypted_extensions: return describe_encrypted_extensions;
    case certificate: return describe_certificate;
    case certificate_request: return describe_certificate_request;
    case certificate_verify: return describe_certificate_verify;
    case finished: return describe_finished;
    case key_update: return describe_key_update;
    case message_hash: return describe_message_hash;
  }
  return describe_unknown;
}

}  // namespace

std::string describe_handshake_message(const HandshakeMessage& message, ProtocolVersion version) {
  const auto& encoded = message.encoded;
  const Bytes body = encoded.size() >= handshake_header_size ? message.body() : Bytes{};
  Lines out;
  out.add(0, message_name(message.msg_type, body) + ", " + byte_count(encoded.size()));
  if (encoded.size() < handshake_header_size) {
    out.add(1, "(does not parse: the message is shorter than the 4-byte handshake header, RFC 8446 §4)");
    return std::move(out).take();
  }
  // struct { HandshakeType msg_type; uint24 length; ... } Handshake;  (RFC 8446 §4)
  const std::size_t announced = (std::size_t{encoded[1]} << 16) | (std::size_t{encoded[2]} << 8) | encoded[3];
  if (announced != body.size()) {
    out.add(1, "(the header's length says " + byte_count(announced) + "; " + byte_count(body.size()) +
                   " follow)");
  }
  Lines fields;
  if (auto described = describer(message.msg_type, version)(body, fields); !described) {
    out.add(1, "(does not parse: " + to_string(described.error()) + ")");
    if (!body.empty()) out.add(1, "body: " + length_and_hex(body));
    return std::move(out).take();
  }
  return std::move(out).take() + std::move(fields).take();
}

std::string describe_change_cipher_spec(ProtocolVersion version) {
  Lines out;
  out.add(0, "ChangeCipherSpec, 1 byte (a record of its own, not a handshake message)");
  out.add(1, "type: change_cipher_spec (1)");
  if (version == ProtocolVersion::tls1_3)
    out.add(1, "(TLS 1.3 middlebox compatibility: it changes nothing and is dropped, RFC 8446 §D.4)");
  else
    out.add(1, "(TLS 1.2: the sender's records are protected with the new keys from here on, RFC 5246 §7.1)");
  return std::move(out).take();
}

std::string describe_trace_record(const TraceRecord& record) {
  return record.handshake ? describe_handshake_message(*record.handshake, record.version)
                          : describe_change_cipher_spec(record.version);
}

std::string describe_alert(AlertLevel level, AlertDescription description) {
  return "Alert: " + to_string(level) + ", " + to_string(description) + " (" +
         std::to_string(static_cast<unsigned>(description)) + ")";
}

}  // namespace duplex::tls
