// Shared by the client handshake tests: a HandshakeIo that records what the state machine does,
// verifiers that accept or refuse, and a certificate for a test key.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "../../src/tls/client/handshake.hpp"
#include "duplex/tls/handshake_messages.hpp"
#include "duplex/tls/record_protection.hpp"
#include "duplex/x509/der_writer.hpp"
#include "duplex/x509/oid.hpp"

namespace duplex::tls::client_test {

using detail::HandshakeOutcome;
using Bytes = std::vector<std::uint8_t>;

// Records every call in order ("write server_hello", "change_cipher_spec", "read protection"...),
// and seals each protected handshake message as the connection would, so records can be compared
// with the trace's.
class FakeIo : public detail::HandshakeIo {
 public:
  void write_handshake(const HandshakeMessage& message) override {
    calls.push_back("write " + to_string(message.msg_type));
    written.push_back(message);
    if (!write) return;
    Bytes record(write->sealed_record_size(message.encoded.size()));
    auto size = write->seal(ContentType::handshake, message.encoded, record);
    ASSERT_TRUE(size);
    record.resize(*size);
    sealed.push_back(std::move(record));
  }
  void write_change_cipher_spec() override { calls.push_back("change_cipher_spec"); }
  Status set_read_protection(RecordDecrypter protection) override {
    calls.push_back("read protection");
    read = std::move(protection);
    return Unit{};
  }
  void set_write_protection(RecordEncrypter protection) override {
    calls.push_back("write protection");
    write = std::move(protection);
  }
  void set_record_size_limits(std::optional<std::uint16_t> ours, std::optional<std::uint16_t> peers) override {
    calls.push_back("record size limits");
    limits = {ours, peers};
  }
  void set_client_random(std::span<const std::uint8_t> random) override {
    calls.push_back("client random");
    client_random.assign(random.begin(), random.end());
  }
  void log_secret(std::string_view label, const crypto::Secret& secret) override {
    calls.push_back("secret " + std::string(label));
    secrets.emplace_back(std::string(label), Bytes(secret.bytes().begin(), secret.bytes().end()));
  }
  std::int64_t now() const override { return 1'750'000'000; }
  std::int64_t now_ms() const override { return 1'750'000'000'000; }
  HandshakeSummary& summary() override { return summary_; }
  void handshake_complete(HandshakeOutcome result) override {
    calls.push_back("handshake complete");
    outcome = std::move(result);
  }

  std::size_t count(std::string_view call) const { return std::count(calls.begin(), calls.end(), call); }
  std::ptrdiff_t position(std::string_view call) const {
    return std::find(calls.begin(), calls.end(), call) - calls.begin();
  }

  std::vector<std::string> calls;
  std::vector<HandshakeMessage> written;
  std::vector<Bytes> sealed;
  std::optional<RecordDecrypter> read;
  std::optional<RecordEncrypter> write;
  std::optional<std::pair<std::optional<std::uint16_t>, std::optional<std::uint16_t>>> limits;
  Bytes client_random;
  std::vector<std::pair<std::string, Bytes>> secrets;
  std::optional<HandshakeOutcome> outcome;
  HandshakeSummary summary_;
};

// Accepts every chain, remembering what it was asked.
class RecordingVerifier : public CertificateVerifier {
 public:
  Status verify(const PeerCertificates& peer) const override {
    peer_name = std::string(peer.peer_name);
    now = peer.now;
    chain_size = peer.chain.size();
    return Unit{};
  }
  mutable std::string peer_name;
  mutable std::int64_t now = 0;
  mutable std::size_t chain_size = 0;
};

class RejectingVerifier : public CertificateVerifier {
 public:
  Status verify(const PeerCertificates&) const override {
    return reject(AlertDescription::unknown_ca, "the certificate's issuer is not trusted");
  }
};

inline HandshakeMessage frame(HandshakeType type, std::span<const std::uint8_t> body) {
  return HandshakeMessage{type, encode_handshake(type, body)};
}

inline HandshakeMessage message_from(const Bytes& encoded) {
  return HandshakeMessage{static_cast<HandshakeType>(encoded.at(0)), encoded};
}

// A certificate for `key` (the client reads only its SubjectPublicKeyInfo; the verifier decides
// trust, so the signature is filler).
inline Bytes certificate_for(const crypto::PrivateKey& key) {
  x509::der::Writer w;
  auto name = [](x509::der::Writer& w) {
    w.sequence([](x509::der::Writer& w) {
      w.set([](x509::der::Writer& w) {
        w.sequence([](x509::der::Writer& w) {
          w.write_oid(x509::oid::common_name);
          (void)w.write_string(x509::der::tags::utf8_string, "test");
        });
      });
    });
  };
  w.sequence([&](x509::der::Writer& w) {
    w.sequence([&](x509::der::Writer& w) {
      w.explicit_tag(0, [](x509::der::Writer& w) { w.write_integer(2); });
      w.write_integer(1);
      w.sequence([](x509::der::Writer& w) { w.write_oid(x509::oid::ed25519); });
      name(w);
      w.sequence([](x509::der::Writer& w) {
        (void)w.write_time(0);
        (void)w.write_time(2524608000);
      });
      name(w);
      w.write_encoded(key.public_key().spki_der());
    });
    w.sequence([](x509::der::Writer& w) { w.write_oid(x509::oid::ed25519); });
    (void)w.write_bit_string(Bytes(64, 0x22));
  });
  return w.take();
}

inline crypto::PrivateKey generate_key(crypto::KeyType type) { return crypto::PrivateKey::generate(type).value(); }

}  // namespace duplex::tls::client_test
