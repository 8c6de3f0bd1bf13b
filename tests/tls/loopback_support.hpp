// Shared by the loopback tests: a client Connection and a server Connection exchanging bytes in
// memory until neither has anything to send, and what each side saw.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "duplex/tls/certificate_verifier.hpp"
#include "duplex/tls/connection.hpp"
#include "test_certificates.hpp"

namespace duplex::tls::loopback {

using Bytes = std::vector<std::uint8_t>;

constexpr std::int64_t kNow = 1'750'000'000;

// What one side saw, in order ("handshake complete", "data:hello", "failure:bad_certificate").
struct Seen {
  bool handshake_complete = false;
  std::string data;
  std::optional<Failure> failure;
  std::optional<PeerKeyUpdate> key_update;
  bool close_notify = false;
};

inline void drain(Connection& connection, Seen& seen) {
  while (auto event = connection.next_event()) {
    if (std::holds_alternative<HandshakeComplete>(*event)) seen.handshake_complete = true;
    if (auto* data = std::get_if<ApplicationData>(&*event)) seen.data.append(data->data.begin(), data->data.end());
    if (auto* failure = std::get_if<Failure>(&*event)) seen.failure = *failure;
    if (auto* update = std::get_if<PeerKeyUpdate>(&*event)) seen.key_update = *update;
    if (std::holds_alternative<CloseNotify>(*event)) seen.close_notify = true;
  }
}

// Moves what `from` has to send into `to`; false when there was nothing.
inline bool transfer(Connection& from, Connection& to, Seen& seen) {
  const auto pending = from.pending_output();
  if (pending.empty()) return false;
  Bytes buffer(pending.begin(), pending.end());
  from.consume_output(buffer.size());
  to.receive(buffer);
  drain(to, seen);
  return true;
}

struct Loopback {
  Loopback(std::shared_ptr<const ClientConfig> client_config, std::shared_ptr<const ServerConfig> server_config,
           std::string server_name = "example.com")
      : client(Connection::client(std::move(client_config), std::move(server_name), kNow).value()),
        server(Connection::server(std::move(server_config), kNow).value()) {
    pump();
  }

  // Until neither side has anything to send.
  void pump() {
    for (int round = 0; round < 64; ++round) {
      const bool to_server = transfer(client, server, server_seen);
      const bool to_client = transfer(server, client, client_seen);
      if (!to_server && !to_client) return;
    }
    ADD_FAILURE() << "the connections never stopped talking";
  }

  Connection client;
  Connection server;
  Seen client_seen;
  Seen server_seen;
};

inline Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

inline std::shared_ptr<ServerConfig> server_config(crypto::KeyType type = crypto::KeyType::ecdsa_p256) {
  auto config = std::make_shared<ServerConfig>();
  config->certificates.push_back(test::self_signed(type));
  return config;
}

// A client that trusts exactly the server's certificate (by its SPKI pin).
inline std::shared_ptr<ClientConfig> client_config_for(const ServerConfig& server) {
  auto config = std::make_shared<ClientConfig>();
  config->verifier = pin_spki_sha256({spki_sha256(server.certificates.front().certificate_chain.front()).value()});
  return config;
}

inline void expect_established(Loopback& loop) {
  ASSERT_FALSE(loop.client_seen.failure) << to_string(Event(*loop.client_seen.failure));
  ASSERT_FALSE(loop.server_seen.failure) << to_string(Event(*loop.server_seen.failure));
  EXPECT_TRUE(loop.client_seen.handshake_complete);
  EXPECT_TRUE(loop.server_seen.handshake_complete);
}

inline void expect_data_both_ways(Loopback& loop, std::size_t size = 5) {
  std::string to_server(size, 'c'), to_client(size, 's');
  ASSERT_TRUE(loop.client.send(bytes_of(to_server)));
  ASSERT_TRUE(loop.server.send(bytes_of(to_client)));
  loop.pump();
  EXPECT_EQ(loop.server_seen.data, to_server);
  EXPECT_EQ(loop.client_seen.data, to_client);
}

}  // namespace duplex::tls::loopback
