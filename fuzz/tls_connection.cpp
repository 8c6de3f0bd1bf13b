// Fuzzes the whole TLS 1.3 Connection, either role, fed a peer's bytes: record headers, record
// protection, reassembly, every handshake state and the alerts. Nothing may crash, hang or read out
// of bounds, and once a Failure is reported the connection must stay failed and quiet.
//
// Input: [mode][split][stream...]. mode bit 0: 0 = server (the stream is a client's), 1 = client
// (the stream is a server's answer to our ClientHello). The stream is handed over in two
// receive() calls, cut at `split` (so records spanning reads are exercised too).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "../tests/tls/test_certificates.hpp"
#include "duplex/tls/connection.hpp"

namespace {

using namespace duplex::tls;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

std::shared_ptr<const ServerConfig> server_config() {
  static const auto config = [] {
    auto built = std::make_shared<ServerConfig>();
    built->certificates.push_back(test::self_signed(duplex::crypto::KeyType::ecdsa_p256, {"example.com"}));
    built->alpn_protocols = {"h2", "http/1.1"};
    return built;
  }();
  return config;
}

std::shared_ptr<const ClientConfig> client_config() {
  static const auto config = [] {
    auto built = std::make_shared<ClientConfig>();
    built->verifier = insecure_no_verification();  // lets the fuzzer reach past the Certificate
    built->alpn_protocols = {"h2"};
    return built;
  }();
  return config;
}

// Drains every event; after a Failure nothing else may come.
void drain(Connection& connection) {
  bool failed = false;
  while (auto event = connection.next_event()) {
    check(!failed);
    if (std::holds_alternative<Failure>(*event)) failed = true;
    if (auto* data = std::get_if<ApplicationData>(&*event)) check(!data->data.empty());
  }
  connection.consume_output(connection.pending_output().size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool as_client = (data[0] & 1) != 0;
  std::vector<std::uint8_t> stream(data + 2, data + size);
  const std::size_t split = stream.empty() ? 0 : data[1] % (stream.size() + 1);

  auto made = as_client ? Connection::client(client_config(), "example.com", 1'750'000'000)
                        : Connection::server(server_config(), 1'750'000'000);
  check(made.ok());
  Connection connection = std::move(made).value();
  connection.consume_output(connection.pending_output().size());

  connection.receive(std::span(stream).first(split));
  drain(connection);
  connection.receive(std::span(stream).subspan(split));
  drain(connection);
  connection.receive_eof();
  drain(connection);
  return 0;
}
