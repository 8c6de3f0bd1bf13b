// How long a received message's bytes live (websocket.hpp: during on_message only). Every build:
// messages of every size, whole and fragmented, over ws:// and wss://, come through intact while
// the runtime reuses its buffers. ASan builds: a view kept past on_message is poisoned.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "../tls/test_certificates.hpp"
#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/util/asan.hpp"
#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using test::connect_on;
using test::echo_behavior;
using test::local;
using test::LoopThread;
using test::RawPeer;
using test::url;

// A server on 127.0.0.1, with TLS (a self-signed ECDSA certificate the client pins) or without.
struct Transport {
  bool tls = false;
  std::shared_ptr<tls::ServerConfig> server_tls;
  ClientOptions client;
  explicit Transport(bool with_tls) : tls(with_tls) {
    if (!tls) return;
    server_tls = std::make_shared<tls::ServerConfig>();
    server_tls->certificates.push_back(tls::test::self_signed(crypto::KeyType::ecdsa_p256, {"localhost"}));
    auto client_tls = std::make_shared<tls::ClientConfig>();
    client_tls->verifier = tls::pin_spki_sha256({tls::spki_sha256(server_tls->certificates.front().certificate_chain.front()).value()});
    client.tls = std::move(client_tls);
  }
  ServerOptions server_options() const {
    ServerOptions options = local();
    options.tls = server_tls;
    return options;
  }
  std::string scheme() const { return tls ? "wss" : "ws"; }
};

// Message `index`: a size from 0 to 140 KB (each frame length form; several TLS records, and more
// than the loop's 128 KiB read, for the large ones) and bytes that name the message, so a stale or
// shifted view shows. About 1.5 MB in all each way: well inside the wait under TSan on a busy host.
std::vector<std::uint8_t> message_bytes(int index) {
  static constexpr std::size_t kSizes[] = {0, 1, 7, 125, 126, 4'000, 65'536, 70'000, 140'000};
  std::vector<std::uint8_t> bytes(kSizes[index % std::size(kSizes)]);
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(index * 31 + i * 7);
  return bytes;
}

// Batches of messages, each sent whole or in three fragments, echoed back and compared byte for
// byte; the next batch goes once the last one came back.
class EchoedBatches {
 public:
  static constexpr int kBatches = 8;
  static constexpr int kPerBatch = 6;

  void send_batch(WebSocket& ws) {
    for (int i = 0; i < kPerBatch; ++i) {
      const int index = sent_++;
      const std::vector<std::uint8_t> bytes = message_bytes(index);
      if (index % 3 == 0) {  // RFC 6455 §5.4: a message in fragments
        const std::span<const std::uint8_t> all(bytes);
        const std::size_t third = all.size() / 3;
        ws.send_fragment(ws::MessageType::binary, all.first(third), true, false);
        ws.send_fragment(ws::MessageType::binary, all.subspan(third, third), false, false);
        ws.send_fragment(ws::MessageType::binary, all.subspan(2 * third), false, true);
      } else {
        ws.send_binary(bytes);
      }
    }
  }
  Behavior behavior() {
    Behavior b;
    b.handlers.on_open = [this](WebSocket& ws) { send_batch(ws); };
    b.handlers.on_message = [this](WebSocket& ws, const ws::Message& message) {
      const int index = received_.load();
      if (!std::ranges::equal(message.payload, message_bytes(index))) ++mismatches_;
      ++received_;
      if (received_ % kPerBatch == 0 && sent_ < kBatches * kPerBatch) send_batch(ws);
    };
    b.handlers.on_error = [this](WebSocket&, std::string_view) { ++errors_; };
    return b;
  }
  int received() const { return received_; }
  int mismatches() const { return mismatches_; }
  int errors() const { return errors_; }

 private:
  int sent_ = 0;  // the client loop's only
  std::atomic<int> received_{0};
  std::atomic<int> mismatches_{0};
  std::atomic<int> errors_{0};
};

void expect_batches_echo_intact(bool with_tls) {
  const Transport transport(with_tls);
  Server server(transport.server_options());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  EchoedBatches batches;
  LoopThread client;
  connect_on(client, url(server, "/echo", transport.scheme()), batches.behavior(), transport.client);
  ASSERT_TRUE(WAIT_FOR(batches.received() == EchoedBatches::kBatches * EchoedBatches::kPerBatch || batches.errors() > 0))
      << batches.received() << " echoes came back";
  EXPECT_EQ(batches.mismatches(), 0);
  EXPECT_EQ(batches.errors(), 0);
}

TEST(MessageLifetime, ManyMessagesWholeAndFragmentedComeThroughIntact) { expect_batches_echo_intact(false); }

TEST(MessageLifetime, ManyMessagesWholeAndFragmentedComeThroughIntactOverTls) { expect_batches_echo_intact(true); }

#ifdef DUPLEX_ASAN

bool all_poisoned(const std::uint8_t* bytes, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i)
    if (!__asan_address_is_poisoned(bytes + i)) return false;
  return true;
}

// What a server's on_message saw of the messages of one read, and what was poisoned when.
struct KeptViews {
  std::mutex mutex;
  std::vector<std::string> texts;
  std::vector<bool> previous_poisoned_in_handler;  // the previous message's first byte, during this on_message
  std::vector<bool> poisoned_after;                // all of this message's bytes, once its read was handled
  std::atomic<int> checked{0};

  Behavior behavior() {
    Behavior b;
    b.handlers.on_message = [this, previous = std::span<const std::uint8_t>()](WebSocket& ws,
                                                                              const ws::Message& message) mutable {
      const std::span<const std::uint8_t> kept = message.payload;  // what a careless handler keeps
      {
        std::lock_guard lock(mutex);
        texts.emplace_back(message.text());
        previous_poisoned_in_handler.push_back(!previous.empty() && __asan_address_is_poisoned(previous.data()));
      }
      previous = kept;
      // Posted tasks run after this iteration's reads are handled, before the next read.
      ws.loop().post([this, kept] {
        std::lock_guard lock(mutex);
        poisoned_after.push_back(all_poisoned(kept.data(), kept.size()));
        ++checked;
      });
    };
    return b;
  }
};

// A raw client's frames, both in one write (so one read): a whole one, then a fragmented one.
TEST(MessageLifetimeAsan, PoisonsAKeptViewOnceOnMessageReturns) {
  KeptViews views;
  Server server(local());
  server.route("/kept", views.behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/kept"));
  const std::string first = "a whole frame of some thirty-two+ bytes";  // spans several 8-byte granules
  ASSERT_EQ(peer.engine.send_text(first), ws::SendResult::ok);
  ASSERT_EQ(peer.engine.send_fragment(ws::MessageType::text, as_bytes(std::string_view("in ")), true, false),
            ws::SendResult::ok);
  ASSERT_EQ(peer.engine.send_fragment(ws::MessageType::text, as_bytes(std::string_view("two parts")), false, true),
            ws::SendResult::ok);
  ASSERT_TRUE(peer.send_frames());
  ASSERT_TRUE(WAIT_FOR(views.checked == 2));
  std::lock_guard lock(views.mutex);
  EXPECT_EQ(views.texts, (std::vector<std::string>{first, "in two parts"}));
  // In the loop's buffer: poisoned as soon as its handler returned, while the read went on.
  EXPECT_EQ(views.previous_poisoned_in_handler, (std::vector<bool>{false, true}));
  // Whole (loop buffer) and fragmented (engine buffer): every byte poisoned afterwards.
  EXPECT_EQ(views.poisoned_after, (std::vector<bool>{true, true}));
}

// TLS decrypts in the loop's buffer: the plaintext a message view covered is poisoned the same way.
TEST(MessageLifetimeAsan, PoisonsAKeptViewOnceOnMessageReturnsOverTls) {
  const Transport transport(true);
  KeptViews views;
  Server server(transport.server_options());
  server.route("/kept", views.behavior());
  ASSERT_TRUE(server.start().ok());
  const std::string first = "a whole frame of some thirty-two+ bytes";
  LoopThread client;
  Behavior sender;
  sender.handlers.on_open = [&](WebSocket& ws) {  // one flush, so one TLS record and one write
    ws.send_text(first);
    ws.send_text("and a second one");
  };
  connect_on(client, url(server, "/kept", "wss"), std::move(sender), transport.client);
  ASSERT_TRUE(WAIT_FOR(views.checked == 2));
  std::lock_guard lock(views.mutex);
  EXPECT_EQ(views.texts, (std::vector<std::string>{first, "and a second one"}));
  EXPECT_EQ(views.previous_poisoned_in_handler, (std::vector<bool>{false, true}));
  EXPECT_EQ(views.poisoned_after, (std::vector<bool>{true, true}));
}

#endif  // DUPLEX_ASAN

}  // namespace
}  // namespace duplex::net
