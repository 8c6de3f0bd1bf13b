// The TLS 1.3 server after the ClientHello chose TLS 1.3, in the order tls13.hpp draws it: the
// HelloRetryRequest, the server flight as the named steps of RFC 8446 §2, and one struct per state
// of the client's flight (STYLE example 3).
#include "../versions.hpp"
#include "all_states.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <utility>

#include "../certificate_verify_rules.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/crypto/random.hpp"
#include "duplex/tls/certificate.hpp"
#include "duplex/tls/certificate_request.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "duplex/tls/encrypted_extensions.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/server_hello.hpp"
#include "negotiation.hpp"

namespace duplex::tls::detail::server::tls13 {
namespace {

// RFC 8446 §4.3.2: the CertificateRequest's extensions; also what the client's CertificateEntry
// extensions may answer (§4.4.2).
std::vector<Extension> certificate_request_extensions(const ServerConfig& config) {
  return {make_signature_algorithms(ExtensionType::signature_algorithms, config.signature_schemes)};
}

// RFC 8449 §4: the largest TLSInnerPlaintext of TLS 1.3 (content, type byte, padding).
constexpr std::uint16_t kTls13RecordSizeLimit = 16385;

std::array<std::uint8_t, 32> fresh_random() {
  std::array<std::uint8_t, 32> random{};
  crypto::random_bytes(random);
  return random;
}

// ---- ClientHello → HelloRetryRequest ----

// RFC 8446 §4.1.4: "the server responds to a ClientHello with a HelloRetryRequest if it is able
// to find an acceptable set of parameters but the ClientHello does not contain sufficient
// information to proceed with the handshake."
Result<ServerState> send_hello_retry_request(const HandshakeMessage& client_hello_message,
                                             const ClientHello& hello, const Tls13Suite& suite,
                                             NamedGroup selected_group, HandshakeIo& io) {
  crypto::Hash transcript(suite.hash());
  // RFC 8446 §4.4.1: "the transcript hash corresponding to ClientHello1 is replaced with a special
  // synthetic handshake message of handshake type "message_hash" containing Hash(ClientHello1)".
  const crypto::Digest client_hello_hash = crypto::hash(suite.hash(), client_hello_message.encoded);
  transcript.update(encode_handshake(HandshakeType::message_hash, client_hello_hash.bytes()));

  ServerHello retry;
  retry.random = hello_retry_request_random;
  retry.legacy_session_id_echo = hello.legacy_session_id;
  retry.cipher_suite = suite.suite();
  // RFC 8446 §4.1.4: "The server's extensions MUST contain "supported_versions"."
  retry.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                      make_key_share_hello_retry_request(selected_group)};
  send(HandshakeType::server_hello, encode_server_hello(retry), transcript, io);

  // RFC 8446 §D.4: "The server sends a dummy change_cipher_spec record immediately after its
  // first handshake message. This may either be after a ServerHello or a HelloRetryRequest."
  // A client in compatibility mode says so with a non-empty legacy_session_id.
  const bool compatibility_mode = !hello.legacy_session_id.empty();
  if (compatibility_mode) io.write_change_cipher_spec();

  io.summary().hello_retry_request = true;
  return ServerState{ExpectRetriedClientHello{suite, selected_group, hello.legacy_session_id, std::move(transcript),
                                              compatibility_mode}};
}

// ---- The server flight, step by step (RFC 8446 §2) ----

// What the server flight says besides the keys: made before any HelloRetryRequest, so a client we
// cannot serve is told at once rather than after another round trip.
struct FlightChoices {
  CertificateChoice certificate;
  std::optional<std::string> alpn;
};

Result<FlightChoices> choose_flight(const ServerConfig& config, const ClientHelloOffers& offers) {
  auto certificate = choose_certificate(config.certificates, offers.server_name, config.signature_schemes,
                                        offers.signature_algorithms);
  if (!certificate) return fail(certificate.error());
  auto alpn = choose_alpn(config.alpn_protocols, offers.alpn_protocols);
  if (!alpn) return fail(alpn.error());
  return FlightChoices{*certificate, std::move(*alpn)};
}

// Our ephemeral key share for the client's group, and the (EC)DHE shared secret with its share.
struct KeyAgreement {
  crypto::KeyShare ours;
  crypto::Secret shared_secret;
};

Result<KeyAgreement> agree_key(const KeyShareEntry& client_share) {
  auto key_share = crypto::KeyShare::generate(client_share.group);
  if (!key_share)
    return reject(AlertDescription::internal_error,
                  "we could not make a key share for " + to_string(client_share.group) + ": " +
                      key_share.error().message);
  auto shared_secret = key_share->shared_secret(client_share.key_exchange);
  // RFC 8446 §4.2.8.2 / §7.4.2: peers MUST validate each other's public values; a bad one is a
  // parameter out of range (§6.2 illegal_parameter).
  if (!shared_secret)
    return reject(AlertDescription::illegal_parameter,
                  "the ClientHello's key_share for " + to_string(client_share.group) +
                      " is not a valid public value: " + shared_secret.error().message + " (RFC 8446 §4.2.8.2)");
  return KeyAgreement{std::move(key_share).value(), std::move(shared_secret).value()};
}

// ServerHello, and RFC 8446 §D.4's one change_cipher_spec after our first handshake message.
void send_server_hello(const ClientHello& hello, const Tls13Suite& suite, const crypto::KeyShare& our_share,
                       bool sent_change_cipher_spec, crypto::Hash& transcript, HandshakeIo& io) {
  ServerHello server_hello;
  server_hello.random = fresh_random();
  // RFC 8446 §4.1.3: legacy_session_id_echo: "The contents of the client's legacy_session_id field."
  server_hello.legacy_session_id_echo = hello.legacy_session_id;
  server_hello.cipher_suite = suite.suite();
  const auto public_share = our_share.public_share();
  const KeyShareEntry entry{our_share.group(), {public_share.begin(), public_share.end()}};
  server_hello.extensions = {make_supported_versions_server_hello(ProtocolVersion::tls1_3),
                             make_key_share_server_hello(entry)};
  send(HandshakeType::server_hello, encode_server_hello(server_hello), transcript, io);
  if (!hello.legacy_session_id.empty() && !sent_change_cipher_spec) io.write_change_cipher_spec();
}

// Both handshake traffic secrets (RFC 8446 §7.1), logged, and our writing switched to ours:
// everything after the ServerHello is encrypted (§2). RFC 8449 §4's limits apply to protected
// records, so they are set before the first protection.
HandshakeTrafficSecrets enter_handshake_keys(const ClientHello& hello, const ClientHelloOffers& offers,
                                             const Tls13Suite& suite, const crypto::Secret& shared_secret,
                                             const crypto::Hash& transcript, const ServerConfig& config,
                                             HandshakeIo& io) {
  auto handshake = EarlySecret::without_psk(suite)
                       .derive_handshake_secret(shared_secret.bytes())
                       .derive_handshake_traffic_secrets(transcript.current());
  io.set_client_random(hello.random);
  io.log_secret(keylog::kClientHandshakeTrafficSecret, handshake.client_handshake_traffic_secret());
  io.log_secret(keylog::kServerHandshakeTrafficSecret, handshake.server_handshake_traffic_secret());
  // "TLS 1.3 uses a limit of 2^14+1 octets"; a larger value (e.g. 65535, "no limit") asks for
  // nothing more.
  if (offers.record_size_limit) {
    const auto peers = std::min<std::uint16_t>(*offers.record_size_limit, kTls13RecordSizeLimit);
    io.summary().peer_record_size_limit = peers;
    io.set_record_size_limits(config.record_size_limit, peers);
  }
  io.set_write_protection(RecordEncrypter::tls13(suite, handshake.server_handshake_traffic_secret()));
  return handshake;
}

void send_encrypted_extensions(const ServerConfig& config, const ClientHelloOffers& offers,
                               const std::optional<std::string>& alpn, crypto::Hash& transcript, HandshakeIo& io) {
  std::vector<Extension> extensions;
  // RFC 6066 §3: "A server that receives a client hello containing the "server_name" extension
  // MAY use the information [...]. In this event, the server SHALL include an extension of type
  // "server_name" [...]. The "extension_data" field of this extension SHALL be empty."
  if (!offers.server_name.empty()) extensions.push_back(make_server_name_acknowledgement());
  // RFC 7301 §3.1: the server's list "MUST contain exactly one "ProtocolName"".
  if (alpn) extensions.push_back(make_alpn(std::span<const std::string>(&*alpn, 1)));
  // RFC 8449 §4: "In TLS 1.3, the server sends the "record_size_limit" extension in the
  // EncryptedExtensions message" — only in answer to the client's (RFC 8446 §4.2).
  if (offers.record_size_limit && config.record_size_limit)
    extensions.push_back(make_record_size_limit(*config.record_size_limit));
  send(HandshakeType::encrypted_extensions, encode_encrypted_extensions({std::move(extensions)}), transcript, io);
}

void send_certificate_request(const ServerConfig& config, crypto::Hash& transcript, HandshakeIo& io) {
  // RFC 8446 §4.3.2: "certificate_request_context [...] SHALL be zero length unless used for
  // the post-handshake authentication exchanges".
  send(HandshakeType::certificate_request, encode_certificate_request({{}, certificate_request_extensions(config)}),
       transcript, io);
}

void send_certificate(const CertificateChoice& certificate, crypto::Hash& transcript, HandshakeIo& io) {
  Certificate chain;
  for (const auto& der : certificate.certified_key->certificate_chain) chain.certificate_list.push_back({der, {}});
  send(HandshakeType::certificate, encode_certificate(chain), transcript, io);
}

// RFC 8446 §4.4.3: our signature over the §4.4.3 content with Transcript-Hash(ClientHello..Certificate).
Status send_certificate_verify(const CertificateChoice& certificate, crypto::Hash& transcript, HandshakeIo& io) {
  auto signature = certificate.certified_key->private_key.sign(
      certificate.scheme, signed_content(Signer::server, transcript.current()));
  if (!signature)
    return reject(AlertDescription::internal_error,
                  "we could not sign our CertificateVerify with " + to_string(certificate.scheme) + ": " +
                      signature.error().message);
  send(HandshakeType::certificate_verify, encode_certificate_verify({certificate.scheme, std::move(*signature)}),
       transcript, io);
  return Unit{};
}

void send_finished(const HandshakeTrafficSecrets& handshake, crypto::Hash& transcript, HandshakeIo& io) {
  const crypto::Digest verify_data = handshake.server_finished_verify_data(transcript.current());
  send(HandshakeType::finished, encode_finished({{verify_data.bytes().begin(), verify_data.bytes().end()}}),
       transcript, io);
}

// RFC 8446 §2: the client's flight comes under its handshake traffic keys; our application data
// may go out at once under server_application_traffic_secret_0 (§4.4.4: "Servers MAY send data
// after sending their first flight").
Result<MasterSecret> enter_application_keys(HandshakeTrafficSecrets handshake, const crypto::Hash& transcript,
                                            HandshakeIo& io) {
  const Tls13Suite suite = handshake.suite();
  auto read = io.set_read_protection(RecordDecrypter::tls13(suite, handshake.client_handshake_traffic_secret()));
  if (!read) return fail(read.error());
  MasterSecret master = std::move(handshake).derive_master_secret(transcript.current());
  io.log_secret(keylog::kClientTrafficSecret0, master.client_application_traffic_secret_0());
  io.log_secret(keylog::kServerTrafficSecret0, master.server_application_traffic_secret_0());
  io.log_secret(keylog::kExporterSecret, master.exporter_master_secret());
  io.set_write_protection(RecordEncrypter::tls13(suite, master.server_application_traffic_secret_0()));
  return master;
}

// RFC 8446 §2: ServerHello, {EncryptedExtensions}, {CertificateRequest}, {Certificate},
// {CertificateVerify}, {Finished}, then [Application Data] may follow.
Result<ServerState> send_server_flight(const ClientHello& hello, const ClientHelloOffers& offers,
                                       const Tls13Suite& suite, const KeyShareEntry& client_share,
                                       crypto::Hash transcript, bool sent_change_cipher_spec, Context& context,
                                       HandshakeIo& io) {
  const ServerConfig& config = *context.config;
  auto choices = choose_flight(config, offers);
  if (!choices) return fail(choices.error());
  auto agreement = agree_key(client_share);
  if (!agreement) return fail(agreement.error());

  send_server_hello(hello, suite, agreement->ours, sent_change_cipher_spec, transcript, io);
  HandshakeSummary& summary = io.summary();
  summary.version = ProtocolVersion::tls1_3;
  summary.extended_master_secret = true;  // RFC 8446 §7.1: every secret covers the transcript
  summary.cipher_suite = suite.suite();
  summary.group = client_share.group;
  summary.server_signature_scheme = choices->certificate.scheme;
  summary.alpn_protocol = choices->alpn.value_or("");
  summary.server_name = offers.server_name;

  auto handshake = enter_handshake_keys(hello, offers, suite, agreement->shared_secret, transcript, config, io);
  send_encrypted_extensions(config, offers, choices->alpn, transcript, io);
  const bool client_authentication = config.client_authentication != ClientAuthentication::none;
  if (client_authentication) send_certificate_request(config, transcript, io);
  send_certificate(choices->certificate, transcript, io);
  if (auto signed_ = send_certificate_verify(choices->certificate, transcript, io); !signed_)
    return fail(signed_.error());
  send_finished(handshake, transcript, io);
  auto master = enter_application_keys(std::move(handshake), transcript, io);
  if (!master) return fail(master.error());

  if (client_authentication) return ServerState{ExpectCertificate{std::move(transcript), std::move(master).value()}};
  return ServerState{ExpectFinished{std::move(transcript), std::move(master).value()}};
}

}  // namespace

Result<ServerState> answer_client_hello(const HandshakeMessage& message, const ClientHello& hello,
                                        const ClientHelloOffers& offers, Context& context, HandshakeIo& io) {
  const ServerConfig& config = *context.config;
  auto suite = choose_cipher_suite(config.cipher_suites, hello.cipher_suites);
  if (!suite) return fail(suite.error());
  auto group = choose_group(config.supported_groups, offers.supported_groups, offers.key_shares);
  if (!group) return fail(group.error());
  if (group->share == nullptr) {
    if (auto choices = choose_flight(config, offers); !choices) return fail(choices.error());
    return send_hello_retry_request(message, hello, *suite, group->group, io);
  }
  crypto::Hash transcript(suite->hash());
  transcript.update(message.encoded);
  return send_server_flight(hello, offers, *suite, *group->share, std::move(transcript), false, context, io);
}

Result<ServerState> ExpectRetriedClientHello::handle(const HandshakeMessage& message, Context& ctx, HandshakeIo& io) && {
  // RFC 8446 §4.1.4: after a HelloRetryRequest "the client MUST send a new ClientHello"; anything
  // else is out of order.
  if (message.msg_type != HandshakeType::client_hello) return unexpected(message, "second ClientHello");
  auto hello = parse_client_hello(message.body());
  if (!hello) return fail(hello.error());
  // RFC 8446 §4.1.2: the second ClientHello is the first one but for the listed changes, so it
  // still offers TLS 1.3.
  auto version = choose_version(*hello, effective_versions(*ctx.config));
  if (!version) return fail(version.error());
  if (*version != ProtocolVersion::tls1_3)
    return reject(AlertDescription::illegal_parameter,
                  "the second ClientHello no longer offers TLS 1.3, which our HelloRetryRequest chose (RFC 8446 §4.1.2)");
  auto offers = read_client_hello_offers(*hello);
  if (!offers) return fail(offers.error());

  // RFC 8446 §4.1.2: "the client MUST send the same ClientHello without modification, except as
  // follows" — and the session id is not among the exceptions.
  if (hello->legacy_session_id != legacy_session_id)
    return reject(AlertDescription::illegal_parameter,
                  "the second ClientHello's legacy_session_id differs from the first's (RFC 8446 §4.1.2)");
  // RFC 8446 §4.1.4: "Servers MUST ensure that they negotiate the same cipher suite when
  // receiving a conformant updated ClientHello".
  if (std::find(hello->cipher_suites.begin(), hello->cipher_suites.end(), suite.suite()) ==
      hello->cipher_suites.end())
    return reject(AlertDescription::illegal_parameter,
                  "the second ClientHello no longer offers " + to_string(suite.suite()) +
                      ", the cipher suite of our HelloRetryRequest (RFC 8446 §4.1.4)");
  // RFC 8446 §4.1.2: "If a "key_share" extension was supplied in the HelloRetryRequest, replacing
  // the list of shares with a list containing a single KeyShareEntry from the indicated group."
  // A share for another group would need another HelloRetryRequest, which §4.1.4 forbids.
  if (offers->key_shares.size() != 1 || offers->key_shares.front().group != selected_group)
    return reject(AlertDescription::illegal_parameter,
                  "the second ClientHello's key_share is not exactly one share for " +
                      to_string(selected_group) + ", the group our HelloRetryRequest selected (RFC 8446 §4.1.2)");

  transcript.update(message.encoded);
  return send_server_flight(*hello, *offers, suite, offers->key_shares.front(), std::move(transcript),
                            sent_change_cipher_spec, ctx, io);
}

// ---- The client's flight: [Certificate, CertificateVerify], Finished. ----

Result<ServerState> ExpectCertificate::handle(const HandshakeMessage& message, Context& ctx, HandshakeIo& io) && {
  // RFC 8446 §4.4.2: "The client MUST send a Certificate message if and only if the server has
  // requested client authentication via a CertificateRequest message".
  if (message.msg_type != HandshakeType::certificate) return unexpected(message, "Certificate");
  auto certificate = parse_certificate(message.body());
  if (!certificate) return fail(certificate.error());
  // RFC 8446 §4.4.2: certificate_request_context: "If this message is in response to a
  // CertificateRequest, the value of certificate_request_context in that message" (ours is empty).
  if (!certificate->certificate_request_context.empty())
    return reject(AlertDescription::illegal_parameter,
                  "the client's Certificate has a certificate_request_context our CertificateRequest did "
                  "not have (RFC 8446 §4.4.2)");
  const auto requested = certificate_request_extensions(*ctx.config);
  for (const CertificateEntry& entry : certificate->certificate_list)
    if (auto offered = check_extensions_offered(entry.extensions, ExtensionContext::certificate, requested); !offered)
      return fail(offered.error());
  transcript.update(message.encoded);

  if (certificate->certificate_list.empty()) {
    // RFC 8446 §4.4.2.4: "If the client does not send any certificates (i.e., it sends an empty
    // Certificate message), the server MAY at its discretion either continue the handshake
    // without client authentication or abort the handshake with a "certificate_required" alert."
    if (ctx.config->client_authentication == ClientAuthentication::required)
      return reject(AlertDescription::certificate_required,
                    "the client sent no certificate and this server requires one (RFC 8446 §4.4.2.4)");
    return ServerState{ExpectFinished{std::move(transcript), std::move(master)}};
  }

  std::vector<std::vector<std::uint8_t>> chain;
  for (auto& entry : certificate->certificate_list) chain.push_back(std::move(entry.cert_data));
  auto key = verify_client_chain(*ctx.config, chain, io);
  if (!key) return fail(key.error());
  io.summary().peer_certificates = std::move(chain);
  return ServerState{ExpectCertificateVerify{std::move(transcript), std::move(master), std::move(*key)}};
}

Result<ServerState> ExpectCertificateVerify::handle(const HandshakeMessage& message, Context& ctx, HandshakeIo& io) && {
  // RFC 8446 §4.4.3: "Clients MUST send this message whenever authenticating via a certificate".
  if (message.msg_type != HandshakeType::certificate_verify) return unexpected(message, "CertificateVerify");
  auto verify = parse_certificate_verify(message.body());
  if (!verify) return fail(verify.error());
  if (auto checked = check_certificate_verify(*verify, client_key, ctx.config->signature_schemes,
                                              transcript.current(), Signer::client);
      !checked)
    return fail(checked.error());
  transcript.update(message.encoded);
  io.summary().client_signature_scheme = verify->algorithm;
  return ServerState{ExpectFinished{std::move(transcript), std::move(master)}};
}

Result<ServerState> ExpectFinished::handle(const HandshakeMessage& message, Context&, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::finished) return unexpected(message, "Finished");
  const Tls13Suite suite = master.suite();
  auto finished = parse_finished(message.body(), suite.hash_size());
  if (!finished) return fail(finished.error());
  // RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct
  // and if incorrect MUST terminate the connection with a "decrypt_error" alert."
  if (auto verified = master.verify_client_finished(transcript.current(), finished->verify_data);
      !verified)
    return fail(verified.error());
  transcript.update(message.encoded);

  // RFC 8446 §2: from here the client's records are under client_application_traffic_secret_0.
  auto read = io.set_read_protection(RecordDecrypter::tls13(suite, master.client_application_traffic_secret_0()));
  if (!read) return fail(read.error());
  master.discard_handshake_traffic_secret();
  io.handshake_complete(Tls13Outcome{suite, master.client_application_traffic_secret_0().clone(),
                                         master.server_application_traffic_secret_0().clone(),
                                         master.exporter_master_secret().clone(),
                                         master.resumption_master_secret(transcript.current())});
  return ServerState{Done{}};
}

}  // namespace duplex::tls::detail::server::tls13
