// The runtime with TLS underneath: a Server with ServerOptions::tls and net::connect clients on
// wss://, in one process; plus HTTPS routes and refusals a raw TLS peer sees.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "../tls/test_certificates.hpp"
#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/connection.hpp"
#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using namespace std::chrono_literals;
using test::connect_on;
using test::echo_behavior;
using test::local;
using test::LoopThread;
using test::Recorder;
using test::url;

struct Pki {
  std::shared_ptr<tls::ServerConfig> server = std::make_shared<tls::ServerConfig>();
  tls::Sha256 pin{};
  Pki() {
    server->certificates.push_back(tls::test::self_signed(crypto::KeyType::ecdsa_p256, {"localhost"}));
    pin = tls::spki_sha256(server->certificates.front().certificate_chain.front()).value();
  }
  std::shared_ptr<tls::ClientConfig> client(std::vector<tls::Sha256> pins) const {
    auto config = std::make_shared<tls::ClientConfig>();
    config->verifier = tls::pin_spki_sha256(std::move(pins));
    return config;
  }
  ClientOptions client_options() const {
    ClientOptions options;
    options.tls = client({pin});
    return options;
  }
};

ServerOptions tls_local(const Pki& pki) {
  ServerOptions options = local();
  options.tls = pki.server;
  return options;
}

TEST(Wss, EchoesMessagesOverTls13) {
  Pki pki;
  Server server(tls_local(pki));
  std::atomic<bool> server_saw_tls{false};
  Behavior behavior = echo_behavior();
  behavior.handlers.on_open = [&](WebSocket& ws) {
    server_saw_tls = ws.tls() != nullptr && ws.tls()->version == tls::ProtocolVersion::tls1_3;
  };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  std::string suite;
  const std::string big(100'000, 'x');  // several TLS records, several reads
  connect_on(client, url(server, "/echo", "wss"), recorder.behavior([&](WebSocket& ws) {
               ASSERT_NE(ws.tls(), nullptr);
               suite = tls::to_string(ws.tls()->cipher_suite);
               ws.send_text("hello over TLS");
               ws.send_text(big);
             }),
             pki.client_options());
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
  recorder.read([&](Recorder& r) {
    EXPECT_EQ(r.messages[0].second, "hello over TLS");
    EXPECT_TRUE(r.messages[1].second == big);
    EXPECT_TRUE(r.errors.empty());
    return 0;
  });
  EXPECT_TRUE(server_saw_tls);
  EXPECT_EQ(suite, "TLS_AES_128_GCM_SHA256");
}

// TLS 1.2 under the same runtime: a server limited to TLS 1.2 and a client that offers both, and
// the other way round; the echo, the close and the summary on both sides.
void expect_tls12_echo(Pki& pki, ClientOptions client_options) {
  Server server(tls_local(pki));
  std::atomic<bool> server_saw_tls12{false};
  Behavior behavior = echo_behavior();
  behavior.handlers.on_open = [&](WebSocket& ws) {
    server_saw_tls12 = ws.tls() != nullptr && ws.tls()->version == tls::ProtocolVersion::tls1_2;
  };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  std::string suite;
  const std::string big(100'000, 'y');  // several TLS 1.2 records, several reads
  auto ref = connect_on(client, url(server, "/echo", "wss"), recorder.behavior([&](WebSocket& ws) {
                          ASSERT_NE(ws.tls(), nullptr);
                          EXPECT_EQ(ws.tls()->version, tls::ProtocolVersion::tls1_2);
                          suite = tls::to_string(ws.tls()->cipher_suite);
                          ws.send_text("hello over TLS 1.2");
                          ws.send_text(big);
                        }),
                        std::move(client_options));
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
  recorder.read([&](Recorder& r) {
    EXPECT_EQ(r.messages[0].second, "hello over TLS 1.2");
    EXPECT_TRUE(r.messages[1].second == big);
    EXPECT_TRUE(r.errors.empty());
    return 0;
  });
  EXPECT_TRUE(server_saw_tls12);
  EXPECT_EQ(suite, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  ref.close(ws::CloseCode::normal, "bye");
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
}

TEST(Wss, EchoesOverTls12WithATls12OnlyServer) {
  Pki pki;
  pki.server->versions = {tls::ProtocolVersion::tls1_2};
  expect_tls12_echo(pki, pki.client_options());
}

TEST(Wss, EchoesOverTls12WithATls12OnlyClient) {
  Pki pki;
  auto options = pki.client_options();
  auto config = pki.client({pki.pin});
  config->versions = {tls::ProtocolVersion::tls1_2};
  options.tls = config;
  expect_tls12_echo(pki, std::move(options));
}

TEST(Wss, CloseHandshakeEndsCleanly) {
  Pki pki;
  Server server(tls_local(pki));
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  auto ref = connect_on(client, url(server, "/echo", "wss"), recorder.behavior(), pki.client_options());
  ASSERT_TRUE(WAIT_FOR(recorder.read([](Recorder& r) { return r.opened; }) == 1));
  ref.close(ws::CloseCode::normal, "bye");
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.closes[0], ws::CloseCode::normal);
    EXPECT_TRUE(r.errors.empty()) << r.errors[0];
    return 0;
  });
}

TEST(Wss, ClientRefusesAServerWhosePinDoesNotMatch) {
  Pki pki;
  Server server(tls_local(pki));
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  ClientOptions options;
  options.tls = pki.client({tls::Sha256{}});
  connect_on(client, url(server, "/echo", "wss"), recorder.behavior(), options);
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.errors.size(), 1u);
    if (r.errors.empty()) return 0;
    EXPECT_NE(r.errors[0].find("bad_certificate"), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[0].find("pinned"), std::string::npos) << r.errors[0];
    return 0;
  });
}

// A wss:// connect without ClientOptions::tls uses tls::ClientConfig{}'s default: the system's
// roots, which do not know our test certificate.
TEST(Wss, ConnectWithoutTlsConfigurationVerifiesAgainstTheSystemRoots) {
  Pki pki;
  Server server(tls_local(pki));
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, "wss://localhost:" + std::to_string(server.port()) + "/echo", recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1)) << "the client never closed";
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.errors.size(), 1u);
    if (r.errors.empty()) return 0;
    EXPECT_EQ(r.errors[0].find("ClientOptions::tls"), std::string::npos) << r.errors[0];
    EXPECT_NE(r.errors[0].find("unknown_ca"), std::string::npos) << r.errors[0];
    return 0;
  });
}

// Fail closed at configuration time: a TLS config no connection could use stops start(), with a
// sentence; before, such a server started and answered plain-TCP requests in clear.
TEST(Wss, ServerAskingForClientCertificatesWithoutAVerifierDoesNotStart) {
  Pki pki;
  pki.server->client_authentication = tls::ClientAuthentication::required;
  Server server(tls_local(pki));
  server.http_route("/", [](const http::RequestHead&) { return HttpResponse{.body = "in clear?"}; });
  auto started = server.start();
  ASSERT_FALSE(started.ok()) << "the server started with a TLS config that cannot make a connection";
  EXPECT_NE(started.error().message.find("client_verifier"), std::string::npos) << started.error().message;
}

TEST(Wss, ServerWhoseKeyFitsNoSignatureSchemeDoesNotStart) {
  Pki pki;  // an ECDSA P-256 certificate
  pki.server->signature_schemes = {tls::SignatureScheme::rsa_pss_rsae_sha256};
  Server server(tls_local(pki));
  auto started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("signature scheme"), std::string::npos) << started.error().message;
}

TEST(Wss, ServerWithNoCipherSuiteDoesNotStart) {
  Pki pki;
  pki.server->cipher_suites.clear();
  Server server(tls_local(pki));
  auto started = server.start();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("cipher suite"), std::string::npos) << started.error().message;
}

// The client side of failing closed: a config no handshake could succeed with fails the connect
// with its sentence, before any connection is made.
TEST(Wss, ClientWithAnUnusableTlsConfigFailsBeforeConnecting) {
  Pki pki;
  ClientOptions options = pki.client_options();
  auto config = std::make_shared<tls::ClientConfig>(*options.tls);
  config->key_share_groups = {tls::NamedGroup::secp384r1};  // not in supported_groups below
  config->supported_groups = {tls::NamedGroup::x25519};
  options.tls = config;
  Recorder recorder;
  LoopThread client;
  connect_on(client, "wss://127.0.0.1:1/", recorder.behavior(), options);  // nothing listens there
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.errors.size(), 1u);
    if (r.errors.empty()) return 0;
    EXPECT_NE(r.errors[0].find("not in supported_groups"), std::string::npos) << r.errors[0];
    return 0;
  });
}

// With mutual TLS the upgrade hook sees the client's certificate, and can decide on it.
TEST(Wss, UpgradeHookSeesTheClientCertificate) {
  Pki pki;
  const tls::CertifiedKey client_key = tls::test::self_signed(crypto::KeyType::ed25519, {"client.example"});
  pki.server->client_authentication = tls::ClientAuthentication::required;
  pki.server->client_verifier = tls::pin_spki_sha256({tls::spki_sha256(client_key.certificate_chain.front()).value()});
  Server server(tls_local(pki));
  std::atomic<std::size_t> certificates{0};
  Behavior behavior = echo_behavior();
  behavior.handlers.on_upgrade = [&](const UpgradeRequest& request) -> UpgradeDecision {
    const tls::HandshakeSummary* summary = request.tls();
    if (!summary || summary->peer_certificates.empty()) return UpgradeRefusal{.status = 403};
    certificates = summary->peer_certificates.size();
    return summary->peer_certificates.front() == client_key.certificate_chain.front()
               ? UpgradeDecision{UpgradeAccept{}}
               : UpgradeDecision{UpgradeRefusal{.status = 403}};
  };
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  ClientOptions options = pki.client_options();
  auto config = std::make_shared<tls::ClientConfig>(*options.tls);
  config->client_certificate = client_key;
  options.tls = config;
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/echo", "wss"), recorder.behavior([](WebSocket& ws) { ws.send_text("it is me"); }),
             options);
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 1)) << "the hook refused the client's certificate";
  EXPECT_EQ(certificates, 1u);
}

TEST(Wss, PlainClientAgainstTlsServerFailsWithoutHurtingOthers) {
  // A ws:// client speaks HTTP to a TLS server: that one connection fails (the server answers
  // with an alert); a wss:// client still gets through.
  Pki pki;
  Server server(tls_local(pki));
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder plain, secure;
  LoopThread client;  // declared after what its loop writes to, so it stops first
  connect_on(client, url(server, "/echo"), plain.behavior());
  ASSERT_TRUE(WAIT_FOR(plain.close_count() == 1));
  plain.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    return 0;
  });
  connect_on(client, url(server, "/echo", "wss"),
             secure.behavior([](WebSocket& ws) { ws.send_text("still fine"); }), pki.client_options());
  ASSERT_TRUE(WAIT_FOR(secure.message_count() == 1));
}

TEST(Wss, HttpRoutesAreServedOverTls) {
  Pki pki;
  Server server(tls_local(pki));
  server.http_route("/", [](const http::RequestHead&) {
    return HttpResponse{.status = 200, .content_type = "text/plain", .body = "over https"};
  });
  ASSERT_TRUE(server.start().ok());
  // A blocking raw socket driven by a tls::Connection: the HTTPS client.
  test::RawPeer peer(server.port());
  auto tls_client = tls::Connection::client(pki.client({pki.pin}), "localhost", 1'750'000'000).value();
  std::string response;
  bool sent = false;
  for (int round = 0; round < 50 && response.find("over https") == std::string::npos; ++round) {
    ASSERT_TRUE(peer.send(tls_client.pending_output()));
    tls_client.consume_output(tls_client.pending_output().size());
    const auto got = peer.read_some();
    if (!got) break;
    std::vector<std::uint8_t> bytes(got->begin(), got->end());
    tls_client.receive(bytes);
    while (auto event = tls_client.next_event()) {
      if (std::holds_alternative<tls::HandshakeComplete>(*event) && !sent) {
        const std::string request = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        ASSERT_TRUE(tls_client.send(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size())));
        sent = true;
      }
      if (auto* data = std::get_if<tls::ApplicationData>(&*event)) response.append(data->data.begin(), data->data.end());
      ASSERT_FALSE(std::holds_alternative<tls::Failure>(*event)) << tls::to_string(*event);
    }
  }
  EXPECT_NE(response.find("HTTP/1.1 200"), std::string::npos) << response;
  EXPECT_NE(response.find("over https"), std::string::npos) << response;
}

}  // namespace
}  // namespace duplex::net
