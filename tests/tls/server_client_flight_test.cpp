// The TLS 1.3 server state machine after its flight: the client's [Certificate,
// CertificateVerify] and Finished (RFC 8446 §4.4), through a fake HandshakeIo.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "duplex/tls/certificate.hpp"
#include "duplex/tls/certificate_request.hpp"
#include "duplex/tls/certificate_verify.hpp"
#include "server_handshake_test_support.hpp"

namespace duplex::tls {
namespace {

using namespace server_test;

// ---- The client's flight ----

TEST(ServerHandshake, RejectsBadClientFinished) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  auto handled = server.handle(frame(HandshakeType::finished, Bytes(32, 0x42)), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::decrypt_error);
  EXPECT_FALSE(io.outcome.has_value());
  EXPECT_FALSE(server.done());
}

TEST(ServerHandshake, RejectsClientCertificateWithoutCertificateRequest) {
  ServerHandshake server(default_config());
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  auto handled = server.handle(frame(HandshakeType::certificate, encode_certificate({})), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::unexpected_message);
}

// A verifier that records what it was given and accepts.
class RecordingVerifier final : public CertificateVerifier {
 public:
  Status verify(const PeerCertificates& peer) const override {
    chain_size = peer.chain.size();
    purpose = peer.purpose;
    peer_name = std::string(peer.peer_name);
    return Unit{};
  }
  mutable std::size_t chain_size = 0;
  mutable CertificatePurpose purpose = CertificatePurpose::server_auth;
  mutable std::string peer_name = "unset";
};

std::shared_ptr<ServerConfig> client_auth_config(ClientAuthentication mode,
                                                 std::shared_ptr<const CertificateVerifier> verifier) {
  auto config = default_config();
  config->client_authentication = mode;
  config->client_verifier = std::move(verifier);
  return config;
}

HandshakeMessage client_certificate(const CertifiedKey& key) {
  Certificate certificate;
  for (const auto& der : key.certificate_chain) certificate.certificate_list.push_back({der, {}});
  return frame(HandshakeType::certificate, encode_certificate(certificate));
}

HandshakeMessage client_certificate_verify(const CertifiedKey& key, SignatureScheme scheme, const crypto::Hash& transcript) {
  std::string context(64, ' ');
  context += "TLS 1.3, client CertificateVerify";
  context.push_back('\0');
  Bytes content(context.begin(), context.end());
  const auto hash = transcript.current();
  content.insert(content.end(), hash.bytes().begin(), hash.bytes().end());
  auto signature = std::move(key.private_key.sign(scheme, content)).value();
  return frame(HandshakeType::certificate_verify, encode_certificate_verify({scheme, std::move(signature)}));
}

TEST(ServerHandshake, SendsCertificateRequestWithSignatureAlgorithms) {
  ServerHandshake server(client_auth_config(ClientAuthentication::optional, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  ASSERT_EQ(io.written.at(2).msg_type, HandshakeType::certificate_request);
  const auto request = std::move(parse_certificate_request(io.written[2].body())).value();
  EXPECT_TRUE(request.certificate_request_context.empty());
  const auto* algorithms = find_extension(request.extensions, ExtensionType::signature_algorithms);
  ASSERT_NE(algorithms, nullptr);
  EXPECT_EQ(std::move(parse_signature_algorithms(algorithms->data, ExtensionType::signature_algorithms,
                                                 ExtensionContext::certificate_request))
                .value(),
            default_signature_schemes());
}

TEST(ServerHandshake, AuthenticatesClientCertificate) {
  auto verifier = std::make_shared<RecordingVerifier>();
  ServerHandshake server(client_auth_config(ClientAuthentication::required, verifier));
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  ClientKeys keys = client_keys(io, {hello}, client);
  const auto client_key = test::self_signed(crypto::KeyType::ed25519, {});
  const auto certificate = client_certificate(client_key);
  ASSERT_TRUE(server.handle(certificate, io).ok());
  keys.transcript.update(certificate.encoded);
  EXPECT_EQ(verifier->chain_size, 1u);
  EXPECT_EQ(verifier->purpose, CertificatePurpose::client_auth);
  EXPECT_EQ(verifier->peer_name, "");
  const auto verify = client_certificate_verify(client_key, SignatureScheme::ed25519, keys.transcript);
  ASSERT_TRUE(server.handle(verify, io).ok());
  keys.transcript.update(verify.encoded);
  ASSERT_TRUE(server.handle(client_finished(keys), io).ok());
  EXPECT_TRUE(server.done());
  EXPECT_EQ(io.summary_.peer_certificates, client_key.certificate_chain);
  EXPECT_EQ(io.summary_.client_signature_scheme, std::optional(SignatureScheme::ed25519));
}

TEST(ServerHandshake, RejectsMissingClientCertificateWhenRequired) {
  ServerHandshake server(client_auth_config(ClientAuthentication::required, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  auto handled = server.handle(frame(HandshakeType::certificate, encode_certificate({})), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::certificate_required);
}

TEST(ServerHandshake, RejectsClientCertificateWithRequestContextWeDidNotSend) {
  ServerHandshake server(client_auth_config(ClientAuthentication::optional, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  Certificate certificate;
  certificate.certificate_request_context = {1, 2, 3};
  auto handled = server.handle(frame(HandshakeType::certificate, encode_certificate(certificate)), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, GoesOnWithoutClientCertificateWhenOptional) {
  ServerHandshake server(client_auth_config(ClientAuthentication::optional, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  ClientKeys keys = client_keys(io, {hello}, client);
  const auto empty = frame(HandshakeType::certificate, encode_certificate({}));
  ASSERT_TRUE(server.handle(empty, io).ok());
  keys.transcript.update(empty.encoded);
  ASSERT_TRUE(server.handle(client_finished(keys), io).ok());
  EXPECT_TRUE(server.done());
  EXPECT_TRUE(io.summary_.peer_certificates.empty());
  EXPECT_FALSE(io.summary_.client_signature_scheme.has_value());
}

TEST(ServerHandshake, SendsTheVerifiersAlertForAnUntrustedClientCertificate) {
  ServerHandshake server(client_auth_config(ClientAuthentication::required, pin_spki_sha256({})));
  FakeIo io;
  TestClient client;
  ASSERT_TRUE(server.handle(client.message(), io).ok());
  auto handled = server.handle(client_certificate(test::self_signed(crypto::KeyType::ed25519, {})), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::bad_certificate);
}

TEST(ServerHandshake, RejectsClientCertificateVerifyWithBadSignature) {
  ServerHandshake server(client_auth_config(ClientAuthentication::required, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  ClientKeys keys = client_keys(io, {hello}, client);
  const auto client_key = test::self_signed(crypto::KeyType::ecdsa_p256, {});
  ASSERT_TRUE(server.handle(client_certificate(client_key), io).ok());
  // Signed over the transcript without the client's Certificate: the wrong content.
  auto handled = server.handle(client_certificate_verify(client_key, SignatureScheme::ecdsa_secp256r1_sha256, keys.transcript), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::decrypt_error);
}

TEST(ServerHandshake, RejectsClientCertificateVerifyWithSchemeWeDidNotOffer) {
  auto config = client_auth_config(ClientAuthentication::required, insecure_no_verification());
  config->signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ed25519};
  ServerHandshake server(config);
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  ClientKeys keys = client_keys(io, {hello}, client);
  const auto client_key = test::self_signed(crypto::KeyType::ecdsa_p384, {});
  const auto certificate = client_certificate(client_key);
  ASSERT_TRUE(server.handle(certificate, io).ok());
  keys.transcript.update(certificate.encoded);
  auto handled = server.handle(client_certificate_verify(client_key, SignatureScheme::ecdsa_secp384r1_sha384, keys.transcript), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::illegal_parameter);
}

TEST(ServerHandshake, RejectsClientFinishedWhereCertificateBelongs) {
  ServerHandshake server(client_auth_config(ClientAuthentication::optional, insecure_no_verification()));
  FakeIo io;
  TestClient client;
  const auto hello = client.message();
  ASSERT_TRUE(server.handle(hello, io).ok());
  auto handled = server.handle(client_finished(client_keys(io, {hello}, client)), io);
  ASSERT_FALSE(handled.ok());
  EXPECT_EQ(handled.error().alert, AlertDescription::unexpected_message);
}

}  // namespace
}  // namespace duplex::tls
