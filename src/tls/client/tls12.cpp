// The TLS 1.2 client after the ServerHello, in the order tls12.hpp draws it (RFC 5246 §7.3): one
// struct per message it waits for (STYLE example 3); the client's own flight goes out at the
// ServerHelloDone.
#include "all_states.hpp"

#include <algorithm>
#include <utility>

#include "../tls12_signatures.hpp"
#include "duplex/crypto/key_exchange.hpp"
#include "duplex/crypto/rsa_key_transport.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/key_schedule.hpp"

namespace duplex::tls::detail::client::tls12 {
namespace {

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}


// The ServerHello's extensions, as RFC 5246 §7.4.1.4 and the extensions' own RFCs read them.
Status check_server_hello_extensions(const ServerHello& hello, const ClientOffer& offer, bool& extended_master_secret,
                                     HandshakeIo& io) {
  constexpr auto context = ExtensionContext::server_hello;
  for (const auto& extension : hello.extensions) {
    if (auto data = check_extension_data(extension, context); !data) return data;
    // Q: why refuse TLS 1.3's extensions even when we offered them? A: they answer a TLS 1.3
    // handshake; in a TLS 1.2 ServerHello they mean a confused or tampering server.
    if (extension.type == ExtensionType::key_share || extension.type == ExtensionType::pre_shared_key ||
        extension.type == ExtensionType::early_data || extension.type == ExtensionType::cookie)
      return reject(AlertDescription::illegal_parameter, "the TLS 1.2 ServerHello carries TLS 1.3's " +
                                                             to_string(extension.type) + " extension (RFC 8446 §4.2)");
  }
  // RFC 5246 §7.4.1.4: "An extension type MUST NOT appear in the ServerHello unless the same
  // extension type appeared in the corresponding ClientHello" (unsupported_extension).
  if (auto offered = check_extensions_offered(hello.extensions, context, offer.extensions); !offered) return offered;

  // RFC 5746 §3.4: "the client MUST check if the "renegotiation_info" extension is included in
  // the ServerHello"; without it the server may be one a renegotiation attack works against, and
  // we do not talk to it. "If the extension is present, [...] the client MUST verify that the
  // length of the "renegotiated_connection" field is zero, and if it is not, MUST abort the
  // handshake (by sending a fatal handshake_failure alert)."
  const auto* renegotiation = find_extension(hello.extensions, ExtensionType::renegotiation_info);
  if (renegotiation == nullptr)
    return reject(AlertDescription::handshake_failure,
                  "the TLS 1.2 ServerHello has no renegotiation_info extension: the server does not show that it is "
                  "safe from the renegotiation attack (RFC 5746 §3.4)");
  if (renegotiation->data != std::vector<std::uint8_t>{0x00})
    return reject(AlertDescription::handshake_failure,
                  "the ServerHello's renegotiation_info is not empty on an initial handshake (RFC 5746 §3.4)");

  // RFC 7627 §5.2: the server's extended_master_secret says it computes the master secret so.
  extended_master_secret = find_extension(hello.extensions, ExtensionType::extended_master_secret) != nullptr;

  // RFC 8422 §5.2: a server's ec_point_formats must let us use what we sent: uncompressed.
  if (const auto* formats = find_extension(hello.extensions, ExtensionType::ec_point_formats)) {
    auto list = parse_ec_point_formats(formats->data, context);
    if (!list) return fail(list.error());
    if (!contains(*list, ec_point_format_uncompressed))
      return reject(AlertDescription::illegal_parameter,
                    "the ServerHello's ec_point_formats does not list uncompressed (RFC 8422 §5.2)");
  }

  if (auto alpn = check_alpn(hello.extensions, context, offer, io.summary()); !alpn) return alpn;

  // RFC 8449 §4: "In TLS 1.2 [...] the server sends the "record_size_limit" extension in the
  // ServerHello"; it applies to the protected records after ChangeCipherSpec.
  if (const auto* limit = find_extension(hello.extensions, ExtensionType::record_size_limit)) {
    auto peers = parse_record_size_limit(limit->data, context);
    if (!peers) return fail(peers.error());
    const auto clamp = [](std::uint16_t value) { return std::min(value, kTls12RecordSizeLimit); };
    io.summary().peer_record_size_limit = clamp(*peers);
    io.set_record_size_limits(offer.record_size_limit ? std::optional(clamp(*offer.record_size_limit)) : std::nullopt,
                              clamp(*peers));
  }
  return Unit{};
}

// RFC 5246 §7.4.6: our certificate when one fits what the server asked for, else none.
struct ClientCredential {
  const CertifiedKey* certified_key = nullptr;
  SignatureScheme scheme{};
};

std::optional<ClientCredential> choose_client_certificate(const ClientConfig& config,
                                                          const CertificateRequestInfo& request) {
  const auto& ours = config.client_certificate;
  if (!ours || ours->certificate_chain.empty()) return std::nullopt;
  const auto type = ours->private_key.type();
  // RFC 5246 §7.4.4 / RFC 8422 §5.5: rsa_sign for RSA keys, ecdsa_sign for ECDSA (and EdDSA) keys.
  const auto wanted = type == crypto::KeyType::rsa ? ClientCertificateType::rsa_sign : ClientCertificateType::ecdsa_sign;
  if (!contains(request.certificate_types, wanted)) return std::nullopt;
  const auto scheme = choose_tls12_signature_scheme(config.signature_schemes, request.signature_schemes, type);
  if (!scheme) return std::nullopt;
  return ClientCredential{&*ours, *scheme};
}

// RFC 5246 §7.4.7: the pre-master secret, and the ClientKeyExchange that gives it to the server.
Result<crypto::Secret> send_client_key_exchange(Negotiated& negotiated, const crypto::PublicKey& server_key,
                                                const std::optional<ServerShare>& server_share, HandshakeIo& io) {
  if (server_share) {
    auto share = crypto::KeyShare::generate(server_share->group);
    if (!share)
      return reject(AlertDescription::internal_error,
                    "we could not make an ECDHE key for " + to_string(server_share->group) + ": " + share.error().message);
    auto shared = share->shared_secret(server_share->public_key);
    // RFC 8422 §5.11: a public value that is not a point on the curve (or X25519's all-zero
    // result) ends the handshake.
    if (!shared)
      return reject(AlertDescription::illegal_parameter,
                    "the ServerKeyExchange's " + to_string(server_share->group) + " public value is not valid: " +
                        shared.error().message + " (RFC 8422 §5.11)");
    send(HandshakeType::client_key_exchange,
         encode_client_key_exchange(share->public_share(), ClientKeyExchangeForm::ecdh_public), negotiated.transcript, io);
    return std::move(shared).value();
  }
  // RFC 5246 §7.4.7.1: "client_version: The latest (newest) version supported by the client",
  // ClientHello.client_version, then 46 random bytes, encrypted to the certificate's RSA key.
  auto premaster = crypto::make_tls_premaster(static_cast<std::uint16_t>(ProtocolVersion::tls1_2));
  auto encrypted = crypto::encrypt_tls_premaster(server_key, premaster);
  if (!encrypted)
    return reject(AlertDescription::internal_error,
                  "the pre-master secret could not be encrypted to the server's key: " + encrypted.error().message);
  send(HandshakeType::client_key_exchange,
       encode_client_key_exchange(*encrypted, ClientKeyExchangeForm::rsa_encrypted_premaster), negotiated.transcript, io);
  return premaster;
}

// RFC 5246 §7.3: the client's flight, once the server's is over: [Certificate],
// ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished.
Result<ClientState> send_client_flight(Negotiated negotiated, const crypto::PublicKey& server_key,
                                       const std::optional<ServerShare>& server_share,
                                       const std::optional<CertificateRequestInfo>& request, Context& context,
                                       HandshakeIo& io) {
  std::optional<ClientCredential> credential;
  if (request) {
    credential = choose_client_certificate(*context.config, *request);
    // RFC 5246 §7.4.6: "If no suitable certificate is available, the client MUST send a
    // certificate message containing no certificates."
    Tls12Certificate certificate;
    if (credential) certificate.certificate_list = credential->certified_key->certificate_chain;
    send(HandshakeType::certificate, encode_tls12_certificate(certificate), negotiated.transcript, io);
  }

  auto premaster = send_client_key_exchange(negotiated, server_key, server_share, io);
  if (!premaster) return fail(premaster.error());
  // RFC 7627 §4: session_hash covers the ClientHello up to and including the ClientKeyExchange.
  Tls12PreMasterSecret pre(negotiated.suite, std::move(premaster).value());
  Tls12MasterSecret master = negotiated.extended_master_secret
                                 ? std::move(pre).derive_extended_master_secret(negotiated.randoms,
                                                                                negotiated.transcript.hash())
                                 : std::move(pre).derive_master_secret(negotiated.randoms);
  io.log_secret(keylog::kClientRandom, master.secret());

  if (credential) {
    // RFC 5246 §7.4.8: "signature over handshake_messages": every message so far, not a hash.
    auto signature = credential->certified_key->private_key.sign(credential->scheme, negotiated.transcript.messages(),
                                                                  crypto::CurveRule::any_curve);
    if (!signature)
      return reject(AlertDescription::internal_error,
                    "our client certificate's key could not sign the CertificateVerify: " + signature.error().message);
    send(HandshakeType::certificate_verify,
         encode_certificate_verify({credential->scheme, std::move(signature).value()}), negotiated.transcript, io);
    io.summary().client_signature_scheme = credential->scheme;
  }
  negotiated.transcript.stop_keeping_messages();

  // RFC 5246 §7.1: our ChangeCipherSpec, then everything we send is under the new keys.
  auto keys = master.derive_key_block();
  io.write_change_cipher_spec();
  io.set_write_protection(RecordEncrypter::tls12(negotiated.suite, keys.client));
  // RFC 5246 §7.4.9: verify_data over every handshake message before this one.
  const auto verify_data = master.client_finished_verify_data(negotiated.transcript.hash());
  send(HandshakeType::finished, encode_finished({{verify_data.begin(), verify_data.end()}}), negotiated.transcript, io);
  return ClientState(ExpectChangeCipherSpec{std::move(negotiated), std::move(master), std::move(keys.server)});
}

}  // namespace

Result<ClientState> enter(const ServerHello& hello, const HandshakeMessage& server_hello,
                          const HandshakeMessage& client_hello, Context& context, HandshakeIo& io) {
  const ClientOffer& offer = context.offer;
  // RFC 5246 §7.4.1.3: a session_id the server repeats from our ClientHello means it resumes
  // that session; we offered none (the bytes are TLS 1.3's compatibility id, RFC 8446 §D.4).
  if (!hello.legacy_session_id_echo.empty() && hello.legacy_session_id_echo == offer.legacy_session_id)
    return reject(AlertDescription::illegal_parameter,
                  "the TLS 1.2 ServerHello resumes a session we did not offer: its session_id is the ClientHello's "
                  "(RFC 5246 §7.4.1.3)");
  // RFC 5246 §7.4.1.3: compression_method "selected by the server from the list in
  // ClientHello.compression_methods": we offered only null.
  if (hello.legacy_compression_method != 0)
    return reject(AlertDescription::illegal_parameter,
                  "the ServerHello selects compression method " + std::to_string(hello.legacy_compression_method) +
                      ", which the ClientHello did not offer (RFC 5246 §7.4.1.3)");
  const auto suite = Tls12Suite::from(hello.cipher_suite);
  // RFC 5246 §7.4.1.3: cipher_suite is "selected by the server from the list in
  // ClientHello.cipher_suites".
  if (!suite || !contains(offer.cipher_suites, hello.cipher_suite))
    return reject(AlertDescription::illegal_parameter, "the TLS 1.2 ServerHello selects cipher suite " +
                                                           to_string(hello.cipher_suite) +
                                                           ", which the ClientHello did not offer for TLS 1.2 "
                                                           "(RFC 5246 §7.4.1.3)");
  bool extended_master_secret = false;
  if (auto checked = check_server_hello_extensions(hello, offer, extended_master_secret, io); !checked)
    return fail(checked.error());

  auto& summary = io.summary();
  summary.cipher_suite = hello.cipher_suite;
  summary.extended_master_secret = extended_master_secret;
  // The messages are kept until the ServerHelloDone says whether a CertificateVerify may follow.
  Negotiated negotiated{*suite, Tls12Randoms{offer.random, hello.random}, extended_master_secret,
                        Tls12Transcript(suite->prf_hash(), true)};
  negotiated.transcript.add(client_hello.encoded);
  negotiated.transcript.add(server_hello.encoded);
  return ClientState(ExpectCertificate{std::move(negotiated)});
}

Result<ClientState> ExpectCertificate::handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) && {
  // RFC 5246 §7.4.2: "The server MUST send a Certificate message whenever the agreed-upon key
  // exchange method uses certificates for authentication" (every suite we offer).
  if (message.msg_type != HandshakeType::certificate) return unexpected(message, "Certificate");
  auto certificate = parse_tls12_certificate(message.body());
  if (!certificate) return fail(certificate.error());
  if (certificate->certificate_list.empty())
    return reject(AlertDescription::decode_error, "the server's Certificate holds no certificate (RFC 5246 §7.4.2)");
  auto& chain = certificate->certificate_list;
  if (auto trusted = verify_server_chain(context, chain, io); !trusted) return fail(trusted.error());
  auto key = server_public_key(chain.front());
  if (!key) return fail(key.error());
  // RFC 5246 §7.4.2: the certificate "MUST be appropriate for the negotiated cipher suite's key
  // exchange algorithm".
  if (!key_fits_suite(negotiated.suite, key->type()))
    return reject(AlertDescription::unsupported_certificate,
                  "the server's certificate has an " + std::string(crypto::to_string(key->type())) + " key, which " +
                      to_string(negotiated.suite.suite()) + " cannot use (RFC 5246 §7.4.2)");
  io.summary().peer_certificates = std::move(chain);
  negotiated.transcript.add(message.encoded);
  if (negotiated.suite.key_exchange() == Tls12KeyExchange::ecdhe)
    return ClientState(ExpectServerKeyExchange{std::move(negotiated), std::move(key).value()});
  // RFC 5246 §7.4.3: no ServerKeyExchange for RSA key transport.
  return ClientState(ExpectCertificateRequestOrDone{std::move(negotiated), std::move(key).value(), std::nullopt});
}

Result<ClientState> ExpectServerKeyExchange::handle(const HandshakeMessage& message, Context& context,
                                                    HandshakeIo& io) && {
  // RFC 5246 §7.4.3: "This message will be sent immediately after the server Certificate message"
  // for the ECDHE suites (RFC 8422 §2.1).
  if (message.msg_type != HandshakeType::server_key_exchange) return unexpected(message, "ServerKeyExchange");
  auto exchange = parse_server_key_exchange(message.body());
  if (!exchange) return fail(exchange.error());
  // RFC 8422 §5.4: the curve is one the client listed in supported_groups.
  if (!contains(context.offer.supported_groups, exchange->named_curve))
    return reject(AlertDescription::illegal_parameter,
                  "the ServerKeyExchange uses " + to_string(exchange->named_curve) +
                      ", which the ClientHello's supported_groups did not offer (RFC 8422 §5.4)");
  // RFC 8422 §5.4: the signature covers both randoms and the params, so the server's key
  // vouches for this handshake's ECDHE value.
  const auto content = server_key_exchange_signed_content(negotiated.randoms.client, negotiated.randoms.server,
                                                          exchange->named_curve, exchange->public_key);
  if (auto checked = check_tls12_signature("ServerKeyExchange", exchange->algorithm, exchange->signature, server_key,
                                           context.offer.signature_schemes, content);
      !checked)
    return fail(checked.error());
  auto& summary = io.summary();
  summary.group = exchange->named_curve;
  summary.server_signature_scheme = exchange->algorithm;
  negotiated.transcript.add(message.encoded);
  return ClientState(ExpectCertificateRequestOrDone{std::move(negotiated), std::move(server_key),
                                                    ServerShare{exchange->named_curve, std::move(exchange->public_key)}});
}

Result<ClientState> ExpectCertificateRequestOrDone::handle(const HandshakeMessage& message, Context& context,
                                                           HandshakeIo& io) && {
  if (message.msg_type == HandshakeType::server_hello_done)
    return ExpectServerHelloDone{std::move(negotiated), std::move(server_key), std::move(server_share), {}}.handle(
        message, context, io);
  if (message.msg_type != HandshakeType::certificate_request)
    return unexpected(message, "CertificateRequest or ServerHelloDone");
  auto request = parse_tls12_certificate_request(message.body());
  if (!request) return fail(request.error());
  negotiated.transcript.add(message.encoded);
  return ClientState(ExpectServerHelloDone{
      std::move(negotiated), std::move(server_key), std::move(server_share),
      CertificateRequestInfo{std::move(request->certificate_types), std::move(request->signature_algorithms)}});
}

Result<ClientState> ExpectServerHelloDone::handle(const HandshakeMessage& message, Context& context,
                                                  HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::server_hello_done) return unexpected(message, "ServerHelloDone");
  if (auto empty = parse_server_hello_done(message.body()); !empty) return fail(empty.error());
  negotiated.transcript.add(message.encoded);
  // Reached straight from ExpectCertificateRequestOrDone, there was no CertificateRequest: the
  // request's lists are empty then, and no Certificate is sent (RFC 5246 §7.4.6: "only if the
  // server requests a certificate").
  const bool requested = !request.certificate_types.empty();
  if (!requested) negotiated.transcript.stop_keeping_messages();
  return send_client_flight(std::move(negotiated), server_key, server_share,
                            requested ? std::optional(std::move(request)) : std::nullopt, context, io);
}

Result<ClientState> ExpectChangeCipherSpec::handle(const HandshakeMessage& message, Context&, HandshakeIo&) && {
  // RFC 5246 §7.4.9: the server's Finished comes after its ChangeCipherSpec, under its new keys.
  return unexpected(message, "ChangeCipherSpec");
}

Result<ClientState> ExpectChangeCipherSpec::handle_change_cipher_spec(Context&, HandshakeIo& io) && {
  // RFC 5246 §7.1: "the receiver instructs the record layer to immediately copy the read pending
  // state into the read current state".
  if (auto switched = io.set_read_protection(RecordDecrypter::tls12(negotiated.suite, server_write_keys)); !switched)
    return fail(switched.error());
  return ClientState(ExpectFinished{std::move(negotiated), std::move(master)});
}

Result<ClientState> ExpectFinished::handle(const HandshakeMessage& message, Context&, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::finished) return unexpected(message, "Finished");
  auto finished = parse_finished(message.body(), kTls12VerifyDataSize);
  if (!finished) return fail(finished.error());
  // RFC 5246 §7.4.9: "Recipients of Finished messages MUST verify that the contents are correct";
  // §7.2.2: decrypt_error otherwise.
  if (auto verified = master.verify_server_finished(negotiated.transcript.hash(), finished->verify_data); !verified)
    return fail(verified.error());
  io.handshake_complete(Tls12Outcome{std::move(master)});
  return ClientState(Done{});
}

}  // namespace duplex::tls::detail::client::tls12
