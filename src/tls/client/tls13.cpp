// The TLS 1.3 client after the ServerHello (RFC 8446 §2), in the order tls13.hpp draws it: one
// struct per state, each holding what is valid then; handling a message consumes the state and
// yields the next (STYLE example 3). The ServerHello itself is read in hello.cpp.
#include "all_states.hpp"

#include <algorithm>
#include <utility>

#include "../certificate_verify_rules.hpp"
#include "duplex/tls/certificate.hpp"
#include "duplex/tls/certificate_request.hpp"
#include "duplex/tls/encrypted_extensions.hpp"
#include "duplex/tls/extension_data.hpp"
#include "duplex/tls/finished.hpp"
#include "duplex/tls/key_share.hpp"

namespace duplex::tls::detail::client::tls13 {

namespace {

Result<ClientState> next(auto state) { return ClientState(std::move(state)); }

template <typename T>
bool contains(const std::vector<T>& values, const T& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// RFC 8449 §4: "TLS 1.3 uses a limit of 2^14+1 octets. ... A client MAY abort the handshake with
// an illegal_parameter alert if the record_size_limit extension includes a value greater than the
// maximum record size": we do not; a larger value asks for nothing beyond 2^14 + 1, read as that.
constexpr std::uint16_t kTls13RecordSizeLimit = 16385;

Status apply_record_size_limit(const EncryptedExtensions& message, const ClientOffer& offer, HandshakeIo& io) {
  const auto* extension = find_extension(message.extensions, ExtensionType::record_size_limit);
  if (extension == nullptr) return Unit{};
  auto limit = parse_record_size_limit(extension->data, ExtensionContext::encrypted_extensions);
  if (!limit) return fail(limit.error());
  const auto peers = std::min(*limit, kTls13RecordSizeLimit);
  io.summary().peer_record_size_limit = peers;
  // RFC 8449 §4: "an endpoint MUST NOT generate a protected record with plaintext that is larger
  // than the RecordSizeLimit value it receives from its peer": from our Finished on. Our own limit
  // is enforced from the server's application records on (its EncryptedExtensions, which told us
  // it accepted the extension, was already read under the handshake keys).
  io.set_record_size_limits(offer.record_size_limit, peers);
  return Unit{};
}

// The client's Certificate and CertificateVerify, answering a CertificateRequest (RFC 8446 §4.4.2).
Status send_client_certificate(const Context& context, const CertificateRequestInfo& request,
                               crypto::Hash& transcript, HandshakeIo& io) {
  Certificate certificate{.certificate_request_context = request.context, .certificate_list = {}};
  std::optional<SignatureScheme> scheme;
  const auto& ours = context.config->client_certificate;
  if (ours && !ours->certificate_chain.empty())
    scheme = choose_signature_scheme(context.config->signature_schemes, request.signature_schemes,
                                            ours->private_key.type());
  // RFC 8446 §4.4.2: "If the server requests client authentication but no suitable certificate
  // is available, the client MUST send a Certificate message containing no certificates."
  if (scheme)
    for (const auto& der : ours->certificate_chain) certificate.certificate_list.push_back({der, {}});
  send(frame(HandshakeType::certificate, encode_certificate(certificate)), transcript, io);
  if (!scheme) return Unit{};

  const auto content = signed_content(Signer::client, transcript.current());
  auto signature = ours->private_key.sign(*scheme, content);
  if (!signature)
    return reject(AlertDescription::internal_error,
                  "our client certificate's key could not sign the CertificateVerify: " + signature.error().message);
  const CertificateVerify verify{.algorithm = *scheme, .signature = std::move(signature).value()};
  send(frame(HandshakeType::certificate_verify, encode_certificate_verify(verify)), transcript, io);
  io.summary().client_signature_scheme = *scheme;
  return Unit{};
}

}  // namespace
Result<ClientState> enter_handshake_keys(const ServerHello& hello, const HandshakeMessage& message,
                                         crypto::Hash transcript, const std::vector<crypto::KeyShare>& sent,
                                         HandshakeIo& io) {
  const auto* extension = find_extension(hello.extensions, ExtensionType::key_share);
  // RFC 8446 §2: without a PSK the key exchange is (EC)DHE, which needs the server's share; §6.2:
  // missing_extension for "a handshake message not containing an extension that is mandatory to
  // send for the offered TLS version or other negotiated parameters".
  if (extension == nullptr)
    return reject(AlertDescription::missing_extension,
                  "the ServerHello has no key_share extension, and without a PSK (EC)DHE needs one (RFC 8446 §4.2.8)");
  auto server_share = parse_key_share_server_hello(extension->data);
  if (!server_share) return fail(server_share.error());
  // RFC 8446 §4.2.8: the server's share "MUST be in the same group as the KeyShareEntry value
  // offered by the client that the server has selected".
  const auto ours = std::find_if(sent.begin(), sent.end(),
                                 [&](const crypto::KeyShare& share) { return share.group() == server_share->group; });
  if (ours == sent.end())
    return reject(AlertDescription::illegal_parameter, "the ServerHello's key share is for " +
                                                           to_string(server_share->group) +
                                                           ", for which the ClientHello sent no share (RFC 8446 §4.2.8)");
  auto shared = ours->shared_secret(server_share->key_exchange);
  // RFC 8446 §4.2.8.2 and §7.4.2: a share that is not a point on the curve, or an X25519 share
  // giving the all-zero secret, aborts the handshake.
  if (!shared)
    return reject(AlertDescription::illegal_parameter,
                  "the ServerHello's " + to_string(server_share->group) + " key share is not valid: " +
                      shared.error().message + " (RFC 8446 §4.2.8.2)");

  const auto suite = *Tls13Suite::from(hello.cipher_suite);
  transcript.update(message.encoded);
  auto secrets = EarlySecret::without_psk(suite)
                     .derive_handshake_secret(shared->bytes())
                     .derive_handshake_traffic_secrets(transcript.current());
  auto& summary = io.summary();
  summary.version = ProtocolVersion::tls1_3;  // negotiated_version: supported_versions selected it
  summary.extended_master_secret = true;     // RFC 8446 §7.1: every secret covers the transcript
  summary.cipher_suite = hello.cipher_suite;
  summary.group = server_share->group;
  io.log_secret(keylog::kClientHandshakeTrafficSecret, secrets.client_handshake_traffic_secret());
  io.log_secret(keylog::kServerHandshakeTrafficSecret, secrets.server_handshake_traffic_secret());
  if (auto switched =
          io.set_read_protection(RecordDecrypter::tls13(suite, secrets.server_handshake_traffic_secret()));
      !switched)
    return fail(switched.error());
  return ClientState(ExpectEncryptedExtensions{std::move(transcript), std::move(secrets)});
}


Result<ClientState> ExpectEncryptedExtensions::handle(const HandshakeMessage& message, Context& context,
                                                      HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::encrypted_extensions) return unexpected(message, "EncryptedExtensions");
  auto parsed = parse_encrypted_extensions(message.body());
  if (!parsed) return fail(parsed.error());
  if (auto offered = check_extensions_offered(parsed->extensions, ExtensionContext::encrypted_extensions,
                                              context.offer.extensions);
      !offered)
    return fail(offered.error());
  if (auto alpn = check_alpn(parsed->extensions, ExtensionContext::encrypted_extensions, context.offer, io.summary()); !alpn) return fail(alpn.error());
  if (auto limit = apply_record_size_limit(*parsed, context.offer, io); !limit) return fail(limit.error());
  transcript.update(message.encoded);
  return next(ExpectCertificateOrRequest{std::move(transcript), std::move(secrets)});
}

Result<ClientState> ExpectCertificateOrRequest::handle(const HandshakeMessage& message, Context& context,
                                                       HandshakeIo& io) && {
  if (message.msg_type == HandshakeType::certificate)
    return ExpectCertificate{std::move(transcript), std::move(secrets), std::nullopt}.handle(message, context, io);
  if (message.msg_type != HandshakeType::certificate_request)
    return unexpected(message, "CertificateRequest or Certificate");
  auto request = parse_certificate_request(message.body());
  if (!request) return fail(request.error());
  // RFC 8446 §4.3.2: certificate_request_context "SHALL be zero length unless used for the
  // post-handshake authentication exchanges".
  if (!request->certificate_request_context.empty())
    return reject(AlertDescription::illegal_parameter,
                  "the server's CertificateRequest during the handshake has a non-empty certificate_request_context "
                  "(RFC 8446 §4.3.2)");
  auto schemes = parse_signature_algorithms(
      find_extension(request->extensions, ExtensionType::signature_algorithms)->data,
      ExtensionType::signature_algorithms, ExtensionContext::certificate_request);
  if (!schemes) return fail(schemes.error());
  transcript.update(message.encoded);
  return next(ExpectCertificate{std::move(transcript), std::move(secrets),
                                CertificateRequestInfo{request->certificate_request_context, std::move(schemes).value()}});
}

Result<ClientState> ExpectCertificate::handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::certificate) return unexpected(message, "Certificate");
  auto certificate = parse_certificate(message.body());
  if (!certificate) return fail(certificate.error());
  // RFC 8446 §4.4.2: "in the case of server authentication, this field SHALL be zero length".
  if (!certificate->certificate_request_context.empty())
    return reject(AlertDescription::illegal_parameter,
                  "the server's Certificate has a non-empty certificate_request_context (RFC 8446 §4.4.2)");
  // RFC 8446 §4.4.2.4: "If the server supplies an empty Certificate message, the client MUST
  // abort the handshake with a "decode_error" alert."
  if (certificate->certificate_list.empty())
    return reject(AlertDescription::decode_error, "the server's Certificate holds no certificate (RFC 8446 §4.4.2.4)");
  std::vector<std::vector<std::uint8_t>> chain;
  for (const auto& entry : certificate->certificate_list) {
    // RFC 8446 §4.4.2: "Extensions in the Certificate message from the server MUST correspond to
    // ones from the ClientHello message."
    if (auto offered = check_extensions_offered(entry.extensions, ExtensionContext::certificate,
                                                context.offer.extensions);
        !offered)
      return fail(offered.error());
    chain.push_back(entry.cert_data);
  }
  if (auto trusted = verify_server_chain(context, chain, io); !trusted) return fail(trusted.error());
  auto key = server_public_key(chain.front());
  if (!key) return fail(key.error());
  io.summary().peer_certificates = std::move(chain);
  transcript.update(message.encoded);
  return next(ExpectCertificateVerify{std::move(transcript), std::move(secrets), std::move(request),
                                      std::move(key).value()});
}

Result<ClientState> ExpectCertificateVerify::handle(const HandshakeMessage& message, Context& context,
                                                    HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::certificate_verify) return unexpected(message, "CertificateVerify");
  auto verify = parse_certificate_verify(message.body());
  if (!verify) return fail(verify.error());
  if (auto checked = check_certificate_verify(*verify, server_key, context.offer.signature_schemes,
                                              transcript.current(), Signer::server);
      !checked)
    return fail(checked.error());
  io.summary().server_signature_scheme = verify->algorithm;
  transcript.update(message.encoded);
  return next(ExpectFinished{std::move(transcript), std::move(secrets), std::move(request)});
}

Result<ClientState> ExpectFinished::handle(const HandshakeMessage& message, Context& context, HandshakeIo& io) && {
  if (message.msg_type != HandshakeType::finished) return unexpected(message, "Finished");
  const auto suite = secrets.suite();
  auto finished = parse_finished(message.body(), suite.hash_size());
  if (!finished) return fail(finished.error());
  // RFC 8446 §4.4.4: "Recipients of Finished messages MUST verify that the contents are correct
  // and if incorrect MUST terminate the connection with a "decrypt_error" alert."
  if (auto verified = secrets.verify_server_finished(transcript.current(), finished->verify_data); !verified)
    return fail(verified.error());
  transcript.update(message.encoded);

  auto client_handshake_protection =
      RecordEncrypter::tls13(suite, secrets.client_handshake_traffic_secret());
  auto master = std::move(secrets).derive_master_secret(transcript.current());
  // RFC 8446 §2: after the server's Finished, what the server sends is application data.
  if (auto switched = io.set_read_protection(RecordDecrypter::tls13(suite, master.server_application_traffic_secret_0()));
      !switched)
    return fail(switched.error());

  send_change_cipher_spec_if_due(context, io);
  io.set_write_protection(std::move(client_handshake_protection));
  if (request)
    if (auto sent = send_client_certificate(context, *request, transcript, io); !sent) return fail(sent.error());
  // RFC 8446 §4.4.4: the client's Finished over ClientHello..(client CertificateVerify or server
  // Finished), keyed by the client handshake traffic secret.
  const auto verify_data = master.client_finished_verify_data(transcript.current());
  const Finished client_finished{{verify_data.bytes().begin(), verify_data.bytes().end()}};
  send(frame(HandshakeType::finished, encode_finished(client_finished)), transcript, io);
  master.discard_handshake_traffic_secret();

  io.set_write_protection(RecordEncrypter::tls13(suite, master.client_application_traffic_secret_0()));
  io.log_secret(keylog::kClientTrafficSecret0, master.client_application_traffic_secret_0());
  io.log_secret(keylog::kServerTrafficSecret0, master.server_application_traffic_secret_0());
  io.log_secret(keylog::kExporterSecret, master.exporter_master_secret());
  io.handshake_complete(Tls13Outcome{suite, master.client_application_traffic_secret_0().clone(),
                                     master.server_application_traffic_secret_0().clone(),
                                     master.exporter_master_secret().clone(),
                                     master.resumption_master_secret(transcript.current())});
  return next(Done{});
}


}  // namespace duplex::tls::detail::client::tls13
