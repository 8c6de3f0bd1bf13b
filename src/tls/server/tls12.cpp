// The TLS 1.2 server after the ClientHello chose TLS 1.2, in the order tls12.hpp draws it (RFC
// 5246 §7.3): the choices, the server's flight as named steps, and one struct per message of the
// client's flight (STYLE example 3).
#include <algorithm>
#include <array>
#include <string>
#include <utility>

#include "../tls12_signatures.hpp"
#include "../versions.hpp"
#include "all_states.hpp"
#include "duplex/crypto/random.hpp"
#include "duplex/crypto/rsa_key_transport.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/server_hello.hpp"
#include "duplex/tls/tls12_messages.hpp"
#include "negotiation.hpp"

namespace duplex::tls::detail::server::tls12 {
namespace {

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}


// ---- The choices (RFC 5246 §7.4.1.3: the server's, by its own preference) ----

struct Tls12Choice {
  Tls12Suite suite;
  const CertifiedKey* certificate = nullptr;
  SignatureScheme scheme{};          // the ServerKeyExchange's (ECDHE)
  std::optional<NamedGroup> group;  // ECDHE
};

// The curve of an ECDSA key, as a NamedGroup; none for other keys (Ed25519 is not a
// supported_groups curve in TLS 1.2, RFC 8422 §5.1.1).
std::optional<NamedGroup> ecdsa_curve(crypto::KeyType type) {
  if (type == crypto::KeyType::ecdsa_p256) return NamedGroup::secp256r1;
  if (type == crypto::KeyType::ecdsa_p384) return NamedGroup::secp384r1;
  return std::nullopt;
}

// A certificate for `suite`: one whose names match the client's server_name first, else the first
// whose key fits (the default certificate), as for TLS 1.3 (negotiation.hpp). With ECDHE, its key
// must also sign with a scheme the client lists; an ECDSA key must be on a curve it lists.
std::optional<std::pair<const CertifiedKey*, SignatureScheme>> choose_certificate_for(
    const ServerConfig& config, const Tls12Suite& suite, const Tls12ClientHelloOffers& offers) {
  std::optional<std::pair<const CertifiedKey*, SignatureScheme>> fallback;
  for (const CertifiedKey& certified_key : config.certificates) {
    const auto type = certified_key.private_key.type();
    if (!key_fits_suite(suite, type)) continue;
    // RFC 8422 §5.1.1: supported_groups also names the curves the client can verify ECDSA
    // signatures on, and §5.3: the server's certificate "MUST" use one of them.
    if (const auto curve = ecdsa_curve(type); curve && !contains(offers.supported_groups, *curve)) continue;
    SignatureScheme scheme{};
    if (suite.key_exchange() == Tls12KeyExchange::ecdhe) {
      const auto chosen = choose_tls12_signature_scheme(config.signature_schemes, offers.signature_algorithms, type);
      if (!chosen) continue;
      scheme = *chosen;
    }
    const bool named = !offers.server_name.empty() &&
                       std::any_of(certified_key.dns_names.begin(), certified_key.dns_names.end(),
                                   [&](const std::string& pattern) { return dns_name_matches(pattern, offers.server_name); });
    if (named) return std::pair{&certified_key, scheme};
    if (!fallback) fallback = std::pair{&certified_key, scheme};
  }
  return fallback;
}

Result<Tls12Choice> choose(const ServerConfig& config, const ClientHello& hello, const Tls12ClientHelloOffers& offers) {
  for (const auto code : tls12_suites(config.cipher_suites, config.legacy_rsa_key_exchange)) {
    if (!contains(hello.cipher_suites, code)) continue;
    const auto suite = *Tls12Suite::from(code);
    std::optional<NamedGroup> group;
    if (suite.key_exchange() == Tls12KeyExchange::ecdhe) {
      // RFC 8422 §5.1.1: the curve is one the client lists, by our preference.
      for (const auto ours : config.supported_groups)
        if (contains(offers.supported_groups, ours) && crypto::is_supported(ours)) {
          group = ours;
          break;
        }
      if (!group) continue;
    }
    auto certificate = choose_certificate_for(config, suite, offers);
    if (!certificate) continue;
    return Tls12Choice{suite, certificate->first, certificate->second, group};
  }
  // RFC 5246 §7.4.1.3: "If no acceptable choices are presented, return a handshake failure alert".
  return reject(AlertDescription::handshake_failure,
                "no TLS 1.2 cipher suite works with this client: none it offers is one we speak with a mutual "
                "group, a certificate for it and a signature scheme it accepts (RFC 5246 §7.4.1.3)");
}

// ---- The server's flight, step by step (RFC 5246 §7.3) ----

std::vector<Extension> server_hello_extensions(const ServerConfig& config, const Tls12ClientHelloOffers& offers,
                                               const Tls12Choice& choice, const std::optional<std::string>& alpn) {
  std::vector<Extension> extensions;
  // RFC 5746 §3.6: "the server MUST include an empty "renegotiation_info" extension".
  extensions.push_back(make_renegotiation_info());
  // RFC 7627 §5.2: the answer to the client's extended_master_secret.
  if (offers.extended_master_secret) extensions.push_back(make_extended_master_secret());
  // RFC 8422 §5.2: with an ECC suite, the server's point formats, when the client sent its own.
  if (offers.ec_point_formats && choice.group) extensions.push_back(make_ec_point_formats());
  // RFC 6066 §3: the empty server_name of a server that used the name.
  if (!offers.server_name.empty()) extensions.push_back(make_server_name_acknowledgement());
  // RFC 7301 §3.1: exactly one protocol name.
  if (alpn) extensions.push_back(make_alpn(std::span<const std::string>(&*alpn, 1)));
  // RFC 8449 §4: "In TLS 1.2 [...] the server sends the "record_size_limit" extension in the
  // ServerHello", only in answer to the client's.
  if (offers.record_size_limit && config.record_size_limit)
    extensions.push_back(make_record_size_limit(std::min(*config.record_size_limit, kTls12RecordSizeLimit)));
  return extensions;
}

std::array<std::uint8_t, 32> server_random(const ServerConfig& config) {
  std::array<std::uint8_t, 32> random{};
  crypto::random_bytes(random);
  // RFC 8446 §4.1.3: "TLS 1.3 servers which negotiate TLS 1.2 or below in response to a
  // ClientHello MUST put a special value in the last 8 bytes of their Random value"
  // ("DOWNGRD" 01), which a TLS 1.3 client checks.
  if (speaks(effective_versions(config), ProtocolVersion::tls1_3))
    std::copy(downgrade_tls12_sentinel.begin(), downgrade_tls12_sentinel.end(), random.end() - 8);
  return random;
}

void send_server_hello(const std::array<std::uint8_t, 32>& random, const Tls12Choice& choice,
                       std::vector<Extension> extensions, Tls12Transcript& transcript, HandshakeIo& io) {
  ServerHello hello;
  hello.legacy_version = ProtocolVersion::tls1_2;
  hello.random = random;
  // RFC 5246 §7.4.1.3: "the server may return an empty session_id to indicate that the session
  // will not be cached and therefore cannot be resumed" — until we keep sessions.
  hello.cipher_suite = choice.suite.suite();
  hello.legacy_compression_method = 0;
  hello.extensions = std::move(extensions);
  send(HandshakeType::server_hello, encode_server_hello(hello), transcript, io);
}

// RFC 8422 §5.4: our ephemeral ECDH value, signed over both randoms.
Result<crypto::KeyShare> send_server_key_exchange(const Tls12Choice& choice, const Tls12Randoms& randoms,
                                                  Tls12Transcript& transcript, HandshakeIo& io) {
  auto share = crypto::KeyShare::generate(*choice.group);
  if (!share)
    return reject(AlertDescription::internal_error,
                  "we could not make an ECDHE key for " + to_string(*choice.group) + ": " + share.error().message);
  const auto content =
      server_key_exchange_signed_content(randoms.client, randoms.server, *choice.group, share->public_share());
  auto signature = choice.certificate->private_key.sign(choice.scheme, content, crypto::CurveRule::any_curve);
  if (!signature)
    return reject(AlertDescription::internal_error,
                  "we could not sign our ServerKeyExchange with " + to_string(choice.scheme) + ": " +
                      signature.error().message);
  const auto public_share = share->public_share();
  const ServerKeyExchange message{*choice.group,
                                  {public_share.begin(), public_share.end()},
                                  choice.scheme,
                                  std::move(signature).value()};
  send(HandshakeType::server_key_exchange, encode_server_key_exchange(message), transcript, io);
  return std::move(share).value();
}

// RFC 5246 §7.4.4: the certificate types we read (RSA, and ECDSA with EdDSA, RFC 8422 §5.5), the
// schemes we check client signatures with, and the names of the roots the client verifier trusts
// when it names them (certificate_authorities; empty means any).
std::vector<SignatureScheme> send_certificate_request(const ServerConfig& config, Tls12Transcript& transcript,
                                                      HandshakeIo& io) {
  Tls12CertificateRequest request;
  request.certificate_types = {ClientCertificateType::rsa_sign, ClientCertificateType::ecdsa_sign};
  for (const auto scheme : config.signature_schemes)
    if (usable_in_tls12(scheme)) request.signature_algorithms.push_back(scheme);
  if (config.client_verifier) request.certificate_authorities = config.client_verifier->acceptable_issuers();
  send(HandshakeType::certificate_request, encode_tls12_certificate_request(request), transcript, io);
  return request.signature_algorithms;
}

}  // namespace

Result<ServerState> answer_client_hello(const HandshakeMessage& message, const ClientHello& hello,
                                        const Tls12ClientHelloOffers& offers, Context& context, HandshakeIo& io) {
  const ServerConfig& config = *context.config;
  auto choice = choose(config, hello, offers);
  if (!choice) return fail(choice.error());
  auto alpn = choose_alpn(config.alpn_protocols, offers.alpn_protocols);
  if (!alpn) return fail(alpn.error());

  const bool client_authentication = config.client_authentication != ClientAuthentication::none;
  Negotiated negotiated{choice->suite,
                        Tls12Randoms{hello.random, server_random(config)},
                        offers.extended_master_secret,
                        // RFC 5246 §7.4.8: a CertificateVerify signs every message: kept when one may come.
                        Tls12Transcript(choice->suite.prf_hash(), client_authentication),
                        static_cast<std::uint16_t>(hello.legacy_version),
                        choice->certificate,
                        {}};
  negotiated.transcript.add(message.encoded);
  io.set_client_random(hello.random);

  auto& summary = io.summary();
  summary.cipher_suite = choice->suite.suite();
  summary.extended_master_secret = offers.extended_master_secret;
  summary.alpn_protocol = alpn->value_or("");
  summary.server_name = offers.server_name;
  if (choice->group) {
    summary.group = *choice->group;
    summary.server_signature_scheme = choice->scheme;
  }
  // RFC 8449 §4: the limits apply to the protected records after ChangeCipherSpec.
  if (offers.record_size_limit) {
    const auto clamp = [](std::uint16_t value) { return std::min(value, kTls12RecordSizeLimit); };
    summary.peer_record_size_limit = clamp(*offers.record_size_limit);
    io.set_record_size_limits(config.record_size_limit ? std::optional(clamp(*config.record_size_limit)) : std::nullopt,
                              clamp(*offers.record_size_limit));
  }

  send_server_hello(negotiated.randoms.server, *choice, server_hello_extensions(config, offers, *choice, *alpn),
                    negotiated.transcript, io);
  send(HandshakeType::certificate, encode_tls12_certificate({choice->certificate->certificate_chain}),
       negotiated.transcript, io);
  std::optional<crypto::KeyShare> our_share;
  if (choice->group) {
    auto share = send_server_key_exchange(*choice, negotiated.randoms, negotiated.transcript, io);
    if (!share) return fail(share.error());
    our_share = std::move(share).value();
  }
  if (client_authentication) negotiated.requested_schemes = send_certificate_request(config, negotiated.transcript, io);
  // RFC 5246 §7.4.5: "the ServerHelloDone message is sent by the server to indicate the end of
  // the ServerHello and associated messages".
  send(HandshakeType::server_hello_done, {}, negotiated.transcript, io);

  if (client_authentication) return ServerState(ExpectCertificate{std::move(negotiated), std::move(our_share)});
  return ServerState(ExpectClientKeyExchange{std::move(negotiated), std::move(our_share), std::nullopt});
}

Result<ServerState> ExpectCertificate::handle(const HandshakeMessage& message, Context& ctx, HandshakeIo& io) && {
  // RFC 5246 §7.4.6: "This is the first message the client can send after receiving a
  // ServerHelloDone message. This message is only sent if the server requests a certificate."
  if (message.msg_type != HandshakeType::certificate) return unexpected(message, "Certificate");
  auto certificate = parse_tls12_certificate(message.body());
  if (!certificate) return fail(certificate.error());
  negotiated.transcript.add(message.encoded);
  if (certificate->certificate_list.empty()) {
    // RFC 5246 §7.4.6: "If the client does not send any certificates, the server MAY at its
    // discretion either continue the handshake without client authentication, or respond with a
    // fatal handshake_failure alert" (TLS 1.2 has no certificate_required).
    if (ctx.config->client_authentication == ClientAuthentication::required)
      return reject(AlertDescription::handshake_failure,
                    "the client sent no certificate and this server requires one (RFC 5246 §7.4.6)");
    negotiated.transcript.stop_keeping_messages();
    return ServerState(ExpectClientKeyExchange{std::move(negotiated), std::move(our_share), std::nullopt});
  }
  auto key = verify_client_chain(*ctx.config, certificate->certificate_list, io);
  if (!key) return fail(key.error());
  io.summary().peer_certificates = std::move(certificate->certificate_list);
  return ServerState(ExpectClientKeyExchange{std::move(negotiated), std::move(our_share), std::move(key).value()});
}

Result<ServerState> ExpectClientKeyExchange::handle(const HandshakeMessage& message, Context&, HandshakeIo& io) && {
  // RFC 5246 §7.4.7: "This message is always sent by the client. It MUST immediately follow the
  // client certificate message, if it is sent. Otherwise, it MUST be the first message sent by
  // the client after it receives the ServerHelloDone message."
  if (message.msg_type != HandshakeType::client_key_exchange) return unexpected(message, "ClientKeyExchange");
  const bool ecdhe = negotiated.suite.key_exchange() == Tls12KeyExchange::ecdhe;
  auto exchange_keys = parse_client_key_exchange(
      message.body(), ecdhe ? ClientKeyExchangeForm::ecdh_public : ClientKeyExchangeForm::rsa_encrypted_premaster);
  if (!exchange_keys) return fail(exchange_keys.error());
  crypto::Secret premaster;
  if (ecdhe) {
    auto shared = our_share->shared_secret(*exchange_keys);
    // RFC 8422 §5.11: a public value off the curve (or X25519's all-zero result) ends it.
    if (!shared)
      return reject(AlertDescription::illegal_parameter,
                    "the ClientKeyExchange's " + to_string(our_share->group()) + " public value is not valid: " +
                        shared.error().message + " (RFC 8422 §5.11)");
    premaster = std::move(shared).value();
  } else {
    // RFC 5246 §7.4.7.1: "a TLS server MUST NOT generate an alert if processing an
    // RSA-encrypted premaster secret message fails, or the version number is not as expected.
    // Instead, it MUST continue the handshake with a randomly generated premaster secret." No
    // branch here: a wrong pre-master secret shows only as the client's Finished failing, as any
    // other wrong key would (rsa_key_transport.hpp).
    premaster = crypto::decrypt_tls_premaster(negotiated.certificate->private_key, *exchange_keys,
                                              negotiated.client_version);
  }
  negotiated.transcript.add(message.encoded);
  // RFC 7627 §4: session_hash covers the ClientHello up to and including the ClientKeyExchange.
  Tls12PreMasterSecret pre(negotiated.suite, std::move(premaster));
  Tls12MasterSecret master = negotiated.extended_master_secret
                                 ? std::move(pre).derive_extended_master_secret(negotiated.randoms,
                                                                                negotiated.transcript.hash())
                                 : std::move(pre).derive_master_secret(negotiated.randoms);
  io.log_secret(keylog::kClientRandom, master.secret());
  if (client_key)
    return ServerState(ExpectCertificateVerify{std::move(negotiated), std::move(master), std::move(*client_key)});
  return ServerState(ExpectChangeCipherSpec{std::move(negotiated), std::move(master)});
}

Result<ServerState> ExpectCertificateVerify::handle(const HandshakeMessage& message, Context&, HandshakeIo& io) && {
  // RFC 5246 §7.4.8: "This message is used to provide explicit verification of a client
  // certificate. [...] When sent, it MUST immediately follow the client key exchange message."
  if (message.msg_type != HandshakeType::certificate_verify) return unexpected(message, "CertificateVerify");
  auto verify = parse_certificate_verify(message.body());
  if (!verify) return fail(verify.error());
  // RFC 5246 §7.4.8: the signature is over handshake_messages, "all handshake messages sent or
  // received, starting at client hello and up to, but not including, this message".
  if (auto checked = check_tls12_signature("client's CertificateVerify", verify->algorithm, verify->signature,
                                           client_key, negotiated.requested_schemes, negotiated.transcript.messages());
      !checked)
    return fail(checked.error());
  negotiated.transcript.add(message.encoded);
  negotiated.transcript.stop_keeping_messages();
  io.summary().client_signature_scheme = verify->algorithm;
  return ServerState(ExpectChangeCipherSpec{std::move(negotiated), std::move(master)});
}

Result<ServerState> ExpectChangeCipherSpec::handle(const HandshakeMessage& message, Context&, HandshakeIo&) && {
  // RFC 5246 §7.4.9: the client's Finished comes after its ChangeCipherSpec, under its new keys.
  return unexpected(message, "ChangeCipherSpec");
}

Result<ServerState> ExpectChangeCipherSpec::handle_change_cipher_spec(Context&, HandshakeIo& io) && {
  // RFC 5246 §7.1: the client's records are under its new keys from here on.
  auto keys = master.derive_key_block();
  if (auto switched = io.set_read_protection(RecordDecrypter::tls12(negotiated.suite, keys.client)); !switched)
    return fail(switched.error());
  return ServerState(ExpectFinished{std::move(negotiated), std::move(master), std::move(keys.server)});
}

Result<ServerState> ExpectFinished::handle(const HandshakeMessage& message, Context&, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::finished) return unexpected(message, "Finished");
  auto finished = parse_finished(message.body(), kTls12VerifyDataSize);
  if (!finished) return fail(finished.error());
  // RFC 5246 §7.4.9: "Recipients of Finished messages MUST verify that the contents are correct";
  // §7.2.2: decrypt_error otherwise.
  if (auto verified = master.verify_client_finished(negotiated.transcript.hash(), finished->verify_data); !verified)
    return fail(verified.error());
  negotiated.transcript.add(message.encoded);

  // RFC 5246 §7.3: our ChangeCipherSpec and Finished close the handshake.
  io.write_change_cipher_spec();
  io.set_write_protection(RecordEncrypter::tls12(negotiated.suite, server_write_keys));
  const auto verify_data = master.server_finished_verify_data(negotiated.transcript.hash());
  send(HandshakeType::finished, encode_finished({{verify_data.begin(), verify_data.end()}}), negotiated.transcript, io);
  io.handshake_complete(Tls12Outcome{std::move(master)});
  return ServerState(Done{});
}

}  // namespace duplex::tls::detail::server::tls12
