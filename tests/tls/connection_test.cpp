// The Connection's record handling before any key is in place: what a server does with records
// that are not a ClientHello, alerts from the peer, the end of the transport, and records split
// across reads. Whole handshakes are in handshake_loopback_test.cpp.
#include "duplex/tls/connection.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;

std::shared_ptr<const ServerConfig> server_config() {
  auto key = crypto::PrivateKey::generate(crypto::KeyType::ecdsa_p256);
  // These tests never reach the Certificate message: any bytes stand for the chain.
  return std::make_shared<ServerConfig>(ServerConfig{.certificates = {CertifiedKey{{{0x30, 0x00}}, *key, {}}}});
}

Connection new_server() {
  auto connection = Connection::server(server_config(), 1'700'000'000);
  EXPECT_TRUE(connection);
  return std::move(*connection);
}

// Feeds `bytes` and returns every event that comes out.
std::vector<Event> feed(Connection& connection, std::vector<std::uint8_t>& bytes) {
  connection.receive(bytes);
  std::vector<Event> events;
  while (auto event = connection.next_event()) events.push_back(std::move(*event));
  return events;
}

Failure only_failure(const std::vector<Event>& events) {
  EXPECT_EQ(events.size(), 1u);
  if (events.empty() || !std::holds_alternative<Failure>(events.back())) {
    ADD_FAILURE() << "no Failure event";
    return {};
  }
  return std::get<Failure>(events.back());
}

std::vector<std::uint8_t> output(Connection& connection) {
  auto out = connection.pending_output();
  return {out.begin(), out.end()};
}

// A fatal alert record in clear: 15 03 03 00 02 02 <description>.
std::vector<std::uint8_t> plaintext_alert(AlertDescription description) {
  return {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, static_cast<std::uint8_t>(description)};
}

TEST(Connection, ServerAnswersUnknownContentTypeWithUnexpectedMessage) {
  auto server = new_server();
  auto bytes = hex("19 03 03 00 01 00");
  const auto failure = only_failure(feed(server, bytes));
  EXPECT_EQ(failure.origin, FailureOrigin::local);
  EXPECT_EQ(failure.error.alert, AlertDescription::unexpected_message);
  EXPECT_EQ(output(server), plaintext_alert(AlertDescription::unexpected_message));
  EXPECT_TRUE(server.is_closed());
}

TEST(Connection, ServerRefusesApplicationDataBeforeKeys) {
  auto server = new_server();
  auto bytes = hex("17 03 03 00 05 01 02 03 04 05");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::unexpected_message);
}

TEST(Connection, ServerRefusesChangeCipherSpecBeforeClientHello) {
  // RFC 8446 §5: a change_cipher_spec is dropped only after the first ClientHello.
  auto server = new_server();
  auto bytes = hex("14 03 03 00 01 01");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::unexpected_message);
}

// The first ClientHello record of a real client, for tests of what a server reads after it.
std::vector<std::uint8_t> client_hello_record() {
  auto config = std::make_shared<ClientConfig>(ClientConfig{.verifier = insecure_no_verification()});
  auto client = Connection::client(config, "example.com", 1'700'000'000);
  EXPECT_TRUE(client);
  return output(*client);
}

TEST(Connection, ServerDropsSeveralChangeCipherSpecsDuringTheHandshake) {
  // RFC 8446 §5: a change_cipher_spec of the byte 0x01 "at any time after the first ClientHello
  // message has been sent or received and before the peer's Finished message has been received
  // [...] MUST simply drop it without further processing" — not only the first one.
  auto server = new_server();
  auto hello = client_hello_record();
  EXPECT_TRUE(feed(server, hello).empty());
  auto ccs = hex("14 03 03 00 01 01  14 03 03 00 01 01  14 03 03 00 01 01");
  EXPECT_TRUE(feed(server, ccs).empty());
  EXPECT_FALSE(server.is_closed());
}

TEST(Connection, ServerRefusesAFloodOfChangeCipherSpecs) {
  // A bound (32, as BoringSSL), so a flood of them cannot keep a handshake going for ever.
  auto server = new_server();
  auto hello = client_hello_record();
  EXPECT_TRUE(feed(server, hello).empty());
  std::vector<std::uint8_t> flood;
  for (int i = 0; i < 33; ++i) {
    const auto ccs = hex("14 03 03 00 01 01");
    flood.insert(flood.end(), ccs.begin(), ccs.end());
  }
  EXPECT_EQ(only_failure(feed(server, flood)).error.alert, AlertDescription::unexpected_message);
}

TEST(Connection, OversizedPlaintextRecordIsRefusedFromItsHeader) {
  // RFC 8446 §5.1: a TLSPlaintext of more than 2^14 bytes → record_overflow, decided before the
  // body arrives.
  auto server = new_server();
  auto bytes = hex("16 03 03 40 01");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::record_overflow);
}

TEST(Connection, ServerReadsAClientHelloInARecordSaying0x0300) {
  // RFC 8446 §5.1: legacy_record_version "MUST be ignored for all purposes" on received records;
  // conformance tools (tlsfuzzer) send their first ClientHello in an SSL 3.0 record.
  auto hello = client_hello_record();
  hello[1] = 0x03;
  hello[2] = 0x00;
  auto server = new_server();
  EXPECT_TRUE(feed(server, hello).empty());
  const auto answer = output(server);
  ASSERT_GT(answer.size(), 5u);
  EXPECT_EQ(answer[0], 0x16);  // the ServerHello, in a record saying 0x0303 (§5.1)
  EXPECT_EQ(answer[1], 0x03);
  EXPECT_EQ(answer[2], 0x03);
}

TEST(Connection, LaterRecordsMayCarryAnyVersion0x03xx) {
  auto server = new_server();
  auto first = hex("15 03 01 00 02 01 5a");  // user_canceled: read and ignored
  EXPECT_TRUE(feed(server, first).empty());
  auto second = hex("15 03 02 00 02 02 28");
  const auto failure = only_failure(feed(server, second));
  EXPECT_EQ(failure.origin, FailureOrigin::peer_alert);
  EXPECT_EQ(failure.error.alert, AlertDescription::handshake_failure);
}

TEST(Connection, RecordWithMajorVersionOtherThan3IsProtocolVersion) {
  auto server = new_server();
  auto bytes = hex("16 02 00 00 05 01 00 00 01 00");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::protocol_version);
}

TEST(Connection, EmptyHandshakeRecordIsUnexpectedMessage) {
  // RFC 8446 §5.4: zero-length Handshake content → unexpected_message.
  auto server = new_server();
  auto bytes = hex("16 03 01 00 00");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::unexpected_message);
}

TEST(Connection, EmptyAlertRecordIsUnexpectedMessage) {
  // RFC 8446 §5.4: zero-length Alert content → unexpected_message.
  auto server = new_server();
  auto bytes = hex("15 03 03 00 00");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::unexpected_message);
}

TEST(Connection, PeerAlertEndsTheConnectionWithoutAnswer) {
  auto server = new_server();
  auto bytes = plaintext_alert(AlertDescription::handshake_failure);
  const auto failure = only_failure(feed(server, bytes));
  EXPECT_EQ(failure.origin, FailureOrigin::peer_alert);
  EXPECT_EQ(failure.error.alert, AlertDescription::handshake_failure);
  EXPECT_TRUE(server.pending_output().empty());  // RFC 8446 §6.2: no alert answers a fatal alert
}

TEST(Connection, AlertOfThreeBytesIsADecodeError) {
  // RFC 8446 §5.1: alerts are never coalesced or fragmented: an alert record holds 2 bytes.
  auto server = new_server();
  auto bytes = hex("15 03 03 00 03 02 28 00");
  EXPECT_EQ(only_failure(feed(server, bytes)).error.alert, AlertDescription::decode_error);
}

TEST(Connection, CloseNotifyIsAnEventNotAFailure) {
  auto server = new_server();
  auto bytes = hex("15 03 03 00 02 01 00");
  auto events = feed(server, bytes);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_TRUE(std::holds_alternative<CloseNotify>(events[0]));
  EXPECT_FALSE(server.is_closed());  // we have not closed our side yet
  server.send_close_notify();
  EXPECT_EQ(output(server), hex("15 03 03 00 02 01 00"));
  EXPECT_TRUE(server.is_closed());
}

TEST(Connection, UserCanceledIsIgnored) {
  // RFC 8446 §6.1: user_canceled is followed by close_notify; it ends nothing itself.
  auto server = new_server();
  auto bytes = hex("15 03 03 00 02 01 5a");
  EXPECT_TRUE(feed(server, bytes).empty());
  EXPECT_FALSE(server.is_closed());
}

TEST(Connection, EndOfTransportDuringHandshakeIsATransportFailure) {
  auto server = new_server();
  server.receive_eof();
  auto event = server.next_event();
  ASSERT_TRUE(event);
  ASSERT_TRUE(std::holds_alternative<Failure>(*event));
  EXPECT_EQ(std::get<Failure>(*event).origin, FailureOrigin::transport);
  EXPECT_TRUE(server.pending_output().empty());
}

TEST(Connection, RecordSplitAcrossReadsIsJoined) {
  // An alert record arriving one byte at a time is read once whole.
  auto server = new_server();
  auto record = plaintext_alert(AlertDescription::decode_error);
  for (std::size_t i = 0; i + 1 < record.size(); ++i) {
    std::vector<std::uint8_t> one{record[i]};
    EXPECT_TRUE(feed(server, one).empty()) << "after byte " << i;
  }
  std::vector<std::uint8_t> last{record.back()};
  EXPECT_EQ(only_failure(feed(server, last)).error.alert, AlertDescription::decode_error);
}

TEST(Connection, BytesNotYetReadSurviveAnotherReceive) {
  // The caller hands over more bytes before draining events: nothing is lost.
  auto server = new_server();
  auto first = hex("15 03 03 00 02 01 5a 15 03");
  auto second = hex("03 00 02 01 00");
  server.receive(first);
  server.receive(second);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  EXPECT_TRUE(std::holds_alternative<CloseNotify>(*event));
}

// ---- Input after the end (RFC 8446 §6.1: "Any data received after a closure alert has been
// received MUST be ignored.") ----

// Hands the connection `count` reads of 64 KiB, draining events after each as a driver does.
void feed_large_reads(Connection& connection, int count) {
  std::vector<std::uint8_t> read(64 * 1024, 0x17);
  for (int i = 0; i < count; ++i) EXPECT_TRUE(feed(connection, read).empty()) << "read " << i;
}

TEST(Connection, InputAfterCloseNotifyIsDiscardedNotBuffered) {
  auto server = new_server();
  auto close_notify = hex("15 03 03 00 02 01 00");
  ASSERT_EQ(feed(server, close_notify).size(), 1u);
  feed_large_reads(server, 16);
  EXPECT_EQ(server.bytes_discarded_after_close(), 16u * 64 * 1024);
  EXPECT_EQ(server.buffered_input_capacity(), 0u);
}

TEST(Connection, InputAfterAFailureIsDiscardedNotBuffered) {
  auto server = new_server();
  auto unknown_type = hex("19 03 03 00 01 00");
  EXPECT_EQ(only_failure(feed(server, unknown_type)).error.alert, AlertDescription::unexpected_message);
  feed_large_reads(server, 16);
  EXPECT_EQ(server.bytes_discarded_after_close(), 16u * 64 * 1024);
  EXPECT_EQ(server.buffered_input_capacity(), 0u);
}

TEST(Connection, BytesAfterCloseNotifyInTheSameReadAreDiscarded) {
  auto server = new_server();
  auto bytes = hex("15 03 03 00 02 01 00  17 03 03 00 05 01 02 03 04 05");
  ASSERT_EQ(feed(server, bytes).size(), 1u);
  EXPECT_EQ(server.bytes_discarded_after_close(), 10u);
}

TEST(Connection, PartialRecordHeldWhenTheEndComesIsFreed) {
  // A record split across reads is copied aside; once the connection ends it is dropped.
  auto server = new_server();
  auto partial = hex("15 03 03 00 02 01");
  EXPECT_TRUE(feed(server, partial).empty());
  EXPECT_GT(server.buffered_input_capacity(), 0u);
  auto rest = hex("00 16 03 03 40");  // the end of close_notify, then part of another header
  ASSERT_EQ(feed(server, rest).size(), 1u);
  EXPECT_EQ(server.buffered_input_capacity(), 0u);
  EXPECT_EQ(server.bytes_discarded_after_close(), 4u);
}

TEST(Connection, NothingCanBeSentBeforeTheHandshake) {
  auto server = new_server();
  const std::uint8_t data[] = {1, 2, 3};
  auto sent = server.send(data);
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().alert, AlertDescription::internal_error);
  EXPECT_TRUE(server.pending_output().empty());
}

TEST(Connection, ServerWithoutCertificatesIsRefused) {
  auto connection = Connection::server(std::make_shared<ServerConfig>(), 0);
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().alert, AlertDescription::internal_error);
}

TEST(Connection, ServerAskingForClientCertificatesNeedsAVerifier) {
  auto config = std::make_shared<ServerConfig>(*server_config());
  config->client_authentication = ClientAuthentication::required;
  auto connection = Connection::server(config, 0);
  ASSERT_FALSE(connection);
  EXPECT_EQ(connection.error().alert, AlertDescription::internal_error);
}

TEST(Connection, ClientQueuesItsClientHelloAtOnce) {
  auto config = std::make_shared<ClientConfig>(ClientConfig{.verifier = insecure_no_verification()});
  auto client = Connection::client(config, "example.com", 1'700'000'000);
  ASSERT_TRUE(client);
  const auto out = client->pending_output();
  ASSERT_GT(out.size(), 9u);
  // RFC 8446 §5.1: a handshake record, 0x0301 on the initial ClientHello, then msg_type 1.
  EXPECT_EQ(out[0], 0x16);
  EXPECT_EQ(out[1], 0x03);
  EXPECT_EQ(out[2], 0x01);
  EXPECT_EQ(out[5], 0x01);
}

}  // namespace
}  // namespace duplex::tls
