// WebSocket connections end to end: a Server and net::connect clients in one process.
#include "duplex/net/websocket.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "duplex/net/client.hpp"
#include "duplex/net/server.hpp"
#include "../skip.hpp"
#include "net_test_support.hpp"

namespace duplex::net {
namespace {

using namespace std::chrono_literals;
using test::LoopThread;
using test::RawPeer;
using test::local;
using test::echo_behavior;
using test::wait_until;

using test::Recorder;
using test::connect_on;
using test::url;

// The server side of the connections of a route, as refs, in the order they opened.
struct ServerSide {
  std::mutex mutex;
  std::vector<ConnectionRef> refs;
  std::atomic<int> closes{0};
  std::atomic<int> drained{0};
  std::atomic<int> pongs{0};
  void hook(Behavior& b) {
    auto previous = b.handlers.on_open;
    b.handlers.on_open = [this, previous](WebSocket& ws) {
      if (previous) previous(ws);
      std::lock_guard lock(mutex);
      refs.push_back(ws.ref());
    };
    b.handlers.on_close = [this](WebSocket&, ws::CloseCode, std::string_view) { ++closes; };
    b.handlers.on_drained = [this](WebSocket&) { ++drained; };
    b.handlers.on_pong = [this](WebSocket&, std::span<const std::uint8_t>) { ++pongs; };
  }
  ConnectionRef first() {
    std::lock_guard lock(mutex);
    return refs.empty() ? ConnectionRef() : refs.front();
  }
};

// Runs `task` on the connection's loop and waits for its result.
template <typename R>
R on_connection(const ConnectionRef& ref, std::function<R(WebSocket&)> task) {
  auto promise = std::make_shared<std::promise<R>>();
  auto future = promise->get_future();
  ref.post([promise, task](WebSocket& ws) { promise->set_value(task(ws)); });
  return future.get();
}

TEST(WebSocket, EchoesTextAndBinary) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  const std::vector<std::uint8_t> binary{0, 1, 2, 255};
  auto ref = connect_on(client, url(server, "/echo"), recorder.behavior([&](WebSocket& ws) {
    EXPECT_EQ(ws.path(), "/echo");
    EXPECT_EQ(ws.send_text("hello"), SendStatus::ok);
    EXPECT_EQ(ws.send_binary(binary), SendStatus::ok);
  }));
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
  recorder.read([&](Recorder& r) {
    EXPECT_EQ(r.messages[0], std::make_pair(ws::MessageType::text, std::string("hello")));
    EXPECT_EQ(r.messages[1].first, ws::MessageType::binary);
    EXPECT_EQ(r.messages[1].second, std::string("\x00\x01\x02\xff", 4));
    return 0;
  });
  ref.close(ws::CloseCode::normal, "bye");
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([&](Recorder& r) {
    EXPECT_EQ(r.closes[0], ws::CloseCode::normal);
    EXPECT_TRUE(r.errors.empty());
    return 0;
  });
  EXPECT_TRUE(WAIT_FOR(server.connection_count() == 0));
}

TEST(WebSocket, EchoesAOneMebibyteMessage) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  std::string big(1 << 20, '\0');
  for (std::size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>('a' + i % 26);
  connect_on(client, url(server, "/echo"), recorder.behavior([&](WebSocket& ws) { ws.send_text(big); }));
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 1));
  recorder.read([&](Recorder& r) { EXPECT_TRUE(r.messages[0].second == big); return 0; });
}

TEST(WebSocket, ServerClosesAfterTheCloseHandshakeAndReportsOnce) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior = echo_behavior();
  side.hook(behavior);
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/echo"));
  (void)peer.engine.send_close(ws::CloseCode::normal);
  ASSERT_TRUE(peer.send_frames());
  auto events = peer.read_events(2);  // the echoed close, then the end of the stream
  ASSERT_GE(events.size(), 1u);
  ASSERT_TRUE(std::holds_alternative<ws::CloseReceived>(events[0]));
  EXPECT_TRUE(peer.engine.close_received());
  std::string rest;
  EXPECT_TRUE(peer.read_to_eof(rest));  // the server closed TCP first (RFC 6455 §7.1.1)
  EXPECT_TRUE(WAIT_FOR(side.closes == 1));
}

TEST(WebSocket, ReportsAProtocolErrorAndCloses1002) {
  Server server(local());
  server.route("/echo", echo_behavior());
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/echo"));
  ASSERT_TRUE(peer.send(std::string("\x81\x05hello", 7)));  // unmasked: RFC 6455 §5.1 forbids it
  auto events = peer.read_events(1);
  ASSERT_EQ(events.size(), 1u);
  auto* close = std::get_if<ws::CloseReceived>(&events[0]);
  ASSERT_NE(close, nullptr);
  EXPECT_EQ(close->code, ws::CloseCode::protocol_error);
}

TEST(WebSocket, IdleTimeoutCloses1001) {
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.idle_timeout = 100ms;
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/echo"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) { EXPECT_EQ(r.closes[0], ws::CloseCode::going_away); return 0; });
}

TEST(WebSocket, PingsKeepALivePeerOpen) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.idle_timeout = 150ms;
  behavior.ping_interval = 40ms;
  side.hook(behavior);
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/echo"), recorder.behavior());
  // Five pongs take more than the idle timeout: the pongs kept the connection open.
  ASSERT_TRUE(WAIT_FOR(side.pongs >= 5));
  EXPECT_EQ(recorder.close_count(), 0u);
  EXPECT_EQ(side.closes, 0);
}

TEST(WebSocket, PingsUnansweredClose1001) {
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.idle_timeout = 0ms;  // so: twice the ping interval
  behavior.ping_interval = 40ms;
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());  // reads, never answers
  ASSERT_TRUE(peer.upgrade("/echo"));
  // One read may hold several frames (two pings, or a ping and the close, on a loaded machine).
  bool pinged = false;
  std::optional<ws::CloseCode> closed;
  while (!closed) {
    auto events = peer.read_events(1);
    ASSERT_FALSE(events.empty()) << "neither a ping nor a close arrived in time";
    for (const auto& event : events) {
      if (std::holds_alternative<ws::Ping>(event)) {
        pinged = true;
        continue;
      }
      auto* close = std::get_if<ws::CloseReceived>(&event);
      ASSERT_NE(close, nullptr);
      closed = close->code;
      break;
    }
  }
  EXPECT_EQ(*closed, ws::CloseCode::going_away);
  EXPECT_TRUE(pinged);
}

// A close code that may not appear on the wire, or a reason that does not fit, is refused, not
// rewritten into another code: nothing is sent and the connection stays open.
TEST(WebSocket, CloseRefusesACodeOrReasonThatMayNotBeSent) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior = echo_behavior();
  side.hook(behavior);
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/echo"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(static_cast<bool>(side.first()))) << "the server never opened";
  const ConnectionRef ref = side.first();
  for (const auto code : {ws::CloseCode::abnormal_closure, ws::CloseCode::tls_handshake, ws::CloseCode{1004},
                          ws::CloseCode{999}, ws::CloseCode{5000}})
    EXPECT_EQ(on_connection<SendStatus>(ref, [&](WebSocket& ws) { return ws.close(code); }), SendStatus::invalid)
        << ws::to_string(code);
  EXPECT_EQ(on_connection<SendStatus>(ref, [](WebSocket& ws) { return ws.close(ws::CloseCode::normal, std::string(124, 'r')); }),
            SendStatus::invalid);
  EXPECT_EQ(ref.close(ws::CloseCode::abnormal_closure), SendStatus::invalid);
  EXPECT_EQ(on_connection<bool>(ref, [](WebSocket& ws) { return ws.closing(); }), false);
  // A valid one still closes, with the code as given.
  EXPECT_EQ(ref.close(ws::CloseCode{4001}, "done"), SendStatus::ok);
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1)) << "the client saw no close";
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.closes[0], ws::CloseCode{4001});
    return 0;
  });
}

// A message sent in fragments as it is produced arrives as one message; the fragments' rules
// (first names the type, nothing else in between) are the caller's to keep, refused otherwise.
TEST(WebSocket, SendsAMessageInFragments) {
  Server server(local());
  std::promise<std::vector<SendStatus>> statuses;
  Behavior behavior;
  behavior.handlers.on_open = [&](WebSocket& ws) {
    const auto bytes = [](std::string_view text) { return as_bytes(text); };
    std::vector<SendStatus> got;
    got.push_back(ws.send_fragment(ws::MessageType::binary, bytes("no first"), false, false));  // invalid
    got.push_back(ws.send_fragment(ws::MessageType::text, bytes("hel"), true, false));
    got.push_back(ws.send_text("in between"));  // invalid: a message is being sent
    got.push_back(ws.ping(bytes("control frames may")));
    got.push_back(ws.send_fragment(ws::MessageType::text, bytes("lo "), false, false));
    got.push_back(ws.send_fragment(ws::MessageType::text, bytes("world"), false, true));
    got.push_back(ws.send_text("after"));
    statuses.set_value(got);
  };
  server.route("/stream", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/stream"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 2));
  auto future = statuses.get_future();
  ASSERT_EQ(future.wait_for(test::kWait), std::future_status::ready);
  EXPECT_EQ(future.get(), (std::vector<SendStatus>{SendStatus::invalid, SendStatus::ok, SendStatus::invalid, SendStatus::ok,
                                                   SendStatus::ok, SendStatus::ok, SendStatus::ok}));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.messages[0], std::make_pair(ws::MessageType::text, std::string("hello world")));
    EXPECT_EQ(r.messages[1].second, "after");
    return 0;
  });
}

TEST(WebSocket, OnPingSeesThePeersPingAndItsQuery) {
  Server server(local());
  std::promise<std::pair<std::string, std::string>> seen;
  Behavior behavior;
  behavior.handlers.on_ping = [&](WebSocket& ws, std::span<const std::uint8_t> payload) {
    seen.set_value({std::string(as_text(payload)), std::string(ws.query())});
  };
  server.route("/q", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  std::atomic<int> pongs{0};
  Behavior client_behavior = recorder.behavior([](WebSocket& ws) {
    EXPECT_EQ(ws.query(), "x=1&y=two");
    ws.ping(as_bytes(std::string_view("are you there")));
  });
  client_behavior.handlers.on_pong = [&](WebSocket&, std::span<const std::uint8_t>) { ++pongs; };
  connect_on(client, url(server, "/q?x=1&y=two"), std::move(client_behavior));
  auto future = seen.get_future();
  ASSERT_EQ(future.wait_for(test::kWait), std::future_status::ready) << "on_ping did not run";
  EXPECT_EQ(future.get(), std::make_pair(std::string("are you there"), std::string("x=1&y=two")));
  ASSERT_TRUE(WAIT_FOR(pongs == 1)) << "the pong did not come back";
}

// --- backpressure: the client stops reading, the server keeps sending ---

struct BackpressureSetup {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server{local()};
  Recorder recorder;
  LoopThread client;
  ConnectionRef client_ref;

  explicit BackpressureSetup(BackpressurePolicy policy) {
    Behavior behavior;
    behavior.high_watermark = 1 << 20;
    behavior.low_watermark = 256 * 1024;
    behavior.on_high_watermark = policy;
    side.hook(behavior);
    server.route("/feed", std::move(behavior));
    EXPECT_TRUE(server.start().ok());
    client_ref = connect_on(client, url(server, "/feed"), recorder.behavior([](WebSocket& ws) { ws.pause_reading(); }));
    EXPECT_TRUE(WAIT_FOR(recorder.read([](Recorder& r) { return r.opened; }) == 1));
  }
  // Sends 256 KiB messages, one per loop iteration, until a send does not return ok.
  // Returns that status and how many were queued.
  std::pair<SendStatus, int> send_until_refused() {
    const std::string chunk(256 * 1024, 'x');
    for (int queued = 0; queued < 2000; ++queued) {  // 500 MiB: far beyond any socket buffer
      const SendStatus status =
          on_connection<SendStatus>(side.first(), [&](WebSocket& ws) { return ws.send_text(chunk); });
      if (status != SendStatus::ok) return {status, queued + (status == SendStatus::backpressure ? 1 : 0)};
    }
    return {SendStatus::ok, 2000};
  }
  // The client reads again: the `queued` messages arrive, then the close with 1008.
  void expect_queued_messages_then_1008(int queued) {
    client_ref.post([](WebSocket& ws) { ws.resume_reading(); });
    ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1)) << "no close reached the client";
    recorder.read([&](Recorder& r) {
      EXPECT_EQ(r.closes[0], ws::CloseCode::policy_violation);
      EXPECT_EQ(r.messages.size(), static_cast<std::size_t>(queued));  // what was queued still came
      return 0;
    });
  }
};

TEST(WebSocket, BackpressureWaitQueuesAndFiresDrained) {
  BackpressureSetup setup(BackpressurePolicy::wait);
  auto [status, queued] = setup.send_until_refused();
  ASSERT_EQ(status, SendStatus::backpressure);
  EXPECT_GT(on_connection<std::size_t>(setup.side.first(), [](WebSocket& ws) { return ws.buffered_amount(); }),
            std::size_t{1} << 20);
  setup.client_ref.post([](WebSocket& ws) { ws.resume_reading(); });
  ASSERT_TRUE(WAIT_FOR(setup.side.drained >= 1));
  ASSERT_TRUE(WAIT_FOR(setup.recorder.message_count() == static_cast<std::size_t>(queued)));
  EXPECT_EQ(setup.side.drained, 1);
}

TEST(WebSocket, BackpressureDropReturnsDroppedAndQueuesNothing) {
  BackpressureSetup setup(BackpressurePolicy::drop);
  auto [status, queued] = setup.send_until_refused();
  ASSERT_EQ(status, SendStatus::dropped);
  // Control frames still go out.
  EXPECT_EQ(on_connection<SendStatus>(setup.side.first(), [](WebSocket& ws) { return ws.ping(); }), SendStatus::ok);
  setup.client_ref.post([](WebSocket& ws) { ws.resume_reading(); });
  ASSERT_TRUE(WAIT_FOR(setup.side.drained >= 1));
  ASSERT_TRUE(WAIT_FOR(setup.recorder.message_count() == static_cast<std::size_t>(queued)));
  // Below the low watermark again: sends are accepted.
  EXPECT_EQ(on_connection<SendStatus>(setup.side.first(), [](WebSocket& ws) { return ws.send_text("more"); }),
            SendStatus::ok);
  ASSERT_TRUE(WAIT_FOR(setup.recorder.message_count() == static_cast<std::size_t>(queued) + 1));
}

TEST(WebSocket, BackpressureCloseSends1008) {
  BackpressureSetup setup(BackpressurePolicy::close);
  auto [status, queued] = setup.send_until_refused();
  ASSERT_EQ(status, SendStatus::closed);
  setup.expect_queued_messages_then_1008(queued);
}

// The peer sends and never reads: policy wait stops reading from it above the high watermark,
// so what the server holds stays bounded (TCP holds the rest back), and once the peer reads
// everything comes back: nothing is lost.
TEST(WebSocket, BackpressureWaitStopsReadingFromAPeerThatDoesNotRead) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior = echo_behavior();
  behavior.high_watermark = 256 * 1024;
  behavior.low_watermark = 64 * 1024;
  side.hook(behavior);
  server.route("/echo", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/echo"));
  ASSERT_TRUE(WAIT_FOR(static_cast<bool>(side.first()))) << "the server never opened";
  // One masked 60,000-byte binary frame, sent again and again; its echo is 4 + 60,000 bytes.
  constexpr std::size_t kPayload = 60'000, kFrames = 1000, kEchoFrame = 4 + kPayload;
  const ws::Config framer_config;
  ws::Engine framer(ws::Role::client, framer_config);
  ASSERT_EQ(framer.send_binary(std::vector<std::uint8_t>(kPayload, 0x5a)), ws::SendResult::ok);
  const std::vector<std::uint8_t> frame(framer.pending_output().begin(), framer.pending_output().end());
  std::atomic<std::size_t> sent{0};
  std::thread sender([&] {
    for (std::size_t i = 0; i < kFrames && peer.send(frame); ++i) ++sent;
  });
  // Wait until the sender is stuck (no frame went out for a second) or done.
  std::size_t last = 0;
  for (auto deadline = std::chrono::steady_clock::now() + 60s; std::chrono::steady_clock::now() < deadline;) {
    last = sent;
    if (last == kFrames || wait_until([&] { return sent != last; }, 1000ms) == false) break;
  }
  EXPECT_LT(last, kFrames) << "the server read all " << kFrames * kPayload / (1 << 20)
                           << " MiB from a peer that reads nothing";
  const std::size_t held = on_connection<std::size_t>(side.first(), [](WebSocket& ws) { return ws.buffered_amount(); });
  EXPECT_LE(held, std::size_t{256 * 1024 + 256 * 1024}) << "bytes queued for a peer that does not read";
  // Now read: every echo arrives, and the sender finishes.
  std::size_t received = peer.leftover.size();
  const std::size_t expected = kFrames * kEchoFrame;
  for (auto deadline = std::chrono::steady_clock::now() + 60s;
       received < expected && std::chrono::steady_clock::now() < deadline;) {
    auto got = peer.read_some(1000ms);
    if (!got) break;
    received += got->size();
  }
  sender.join();
  EXPECT_EQ(sent, kFrames);
  EXPECT_EQ(received, expected) << "echo bytes lost";
}

// A subscriber that reads nothing while the server keeps sending to it (a room): policy wait
// queues up to backpressure_limit, then closes it with backpressure_close_code.
TEST(WebSocket, BackpressureWaitClosesAPeerPastTheLimit) {
  BackpressureSetup setup(BackpressurePolicy::wait);  // high 1 MiB, limit 4 MiB by default
  const std::string chunk(256 * 1024, 'x');
  SendStatus status = SendStatus::ok;
  std::size_t most_held = 0;
  int queued = 0;
  for (; queued < 100; ++queued) {  // 25 MiB: far past the limit
    status = on_connection<SendStatus>(setup.side.first(), [&](WebSocket& ws) {
      const SendStatus sent = ws.send_text(chunk);
      most_held = std::max(most_held, ws.buffered_amount());
      return sent;
    });
    if (status != SendStatus::ok && status != SendStatus::backpressure) break;
  }
  ASSERT_EQ(status, SendStatus::closed);
  EXPECT_LE(most_held, Behavior{}.backpressure_limit + 64);  // the close frame may follow
  setup.expect_queued_messages_then_1008(queued);
}

// --- other threads ---

TEST(WebSocket, SendsFromFourThreadsArriveInOrderPerThread) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior;
  side.hook(behavior);
  server.route("/feed", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/feed"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(static_cast<bool>(side.first())));
  const ConnectionRef ref = side.first();
  constexpr int kThreads = 4, kEach = 500;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([ref, t] {
      for (int i = 0; i < kEach; ++i) ref.send_text(std::to_string(t) + ":" + std::to_string(i));
    });
  for (auto& thread : threads) thread.join();
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == kThreads * kEach));
  std::map<int, int> next;
  recorder.read([&](Recorder& r) {
    for (auto& [type, text] : r.messages) {
      const int t = std::stoi(text.substr(0, text.find(':')));
      const int i = std::stoi(text.substr(text.find(':') + 1));
      EXPECT_EQ(i, next[t]) << "thread " << t;
      next[t] = i + 1;
    }
    return 0;
  });
  // Once the connection is gone the ref is stale, and harmless.
  ref.close();
  ASSERT_TRUE(WAIT_FOR(side.closes == 1));
  ref.send_text("into the void");
  ref.post([](WebSocket&) { ADD_FAILURE() << "ran on a closed connection"; });
  server.shutdown();
  server.wait();
}

// The contract of a ref: once on_close has run, nothing posted through it runs, even while the
// connection still waits (lingers) for the peer's FIN.
TEST(WebSocket, RefPostsAfterOnCloseDoNotRunWhileTheConnectionLingers) {
  ServerSide side;  // before the server: its loops write to it until they stop
  Server server(local());
  Behavior behavior;
  behavior.close_timeout = 10s;  // the linger outlasts the test's checks
  side.hook(behavior);
  server.route("/feed", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  RawPeer peer(server.port());
  ASSERT_TRUE(peer.upgrade("/feed"));
  ASSERT_TRUE(WAIT_FOR(static_cast<bool>(side.first()))) << "the server never opened";
  const ConnectionRef ref = side.first();
  ref.close();
  auto events = peer.read_events(1);
  ASSERT_EQ(events.size(), 1u) << "no close frame from the server";
  ASSERT_TRUE(std::holds_alternative<ws::CloseReceived>(events[0]));
  ASSERT_TRUE(peer.send_frames());  // our close echo; the TCP connection stays open
  ASSERT_TRUE(WAIT_FOR(side.closes == 1)) << "on_close did not run";
  std::atomic<bool> ran{false}, after{false};
  ref.post([&](WebSocket&) { ran = true; });
  ref.send_text("into the void");
  server.loop(0).post([&] { after = true; });  // the same queue: runs after the posts above
  ASSERT_TRUE(WAIT_FOR(after.load()));
  EXPECT_FALSE(ran) << "a task posted through the ref ran after on_close";
  EXPECT_EQ(side.closes, 1);
}

TEST(WebSocket, PublishReachesSubscribersOnEveryLoop) {
  Server server(local(2));
  std::mutex mutex;
  std::set<EventLoop*> loops;
  Behavior behavior;
  behavior.handlers.on_open = [&](WebSocket& ws) {
    ws.subscribe("chat");
    std::lock_guard lock(mutex);
    loops.insert(&ws.loop());
  };
  server.route("/chat", std::move(behavior));
  ASSERT_TRUE(server.start().ok());
  std::vector<std::unique_ptr<Recorder>> recorders;
  LoopThread client;
  // Connect until both loops hold a subscriber (the kernel picks the loop by hash).
  for (int i = 0; i < 64; ++i) {
    recorders.push_back(std::make_unique<Recorder>());
    connect_on(client, url(server, "/chat"), recorders.back()->behavior());
    Recorder& r = *recorders.back();
    ASSERT_TRUE(WAIT_FOR(r.read([](Recorder& x) { return x.opened; }) == 1));
    std::lock_guard lock(mutex);
    if (loops.size() == 2 && i >= 3) break;
  }
  ASSERT_EQ(loops.size(), 2u);
  std::thread publisher([&] { server.publish_text("chat", "hello, room"); });
  publisher.join();
  for (auto& r : recorders) {
    ASSERT_TRUE(WAIT_FOR(r->message_count() == 1));
    r->read([](Recorder& x) { EXPECT_EQ(x.messages[0].second, "hello, room"); return 0; });
  }
  server.publish_text("other", "nobody listens");
  server.publish_text("chat", "second");
  for (auto& r : recorders) ASSERT_TRUE(WAIT_FOR(r->message_count() == 2));
}

// --- the client's errors ---

TEST(Client, ReportsConnectionRefused) {
  // A bound socket that does not listen: its port refuses connections, and nobody can take it.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length);
  Recorder recorder;
  LoopThread client;
  connect_on(client, "ws://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/", recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.closes[0], ws::CloseCode::abnormal_closure);
    EXPECT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("connection refused"), std::string::npos) << r.errors[0];
    return 0;
  });
  ::close(fd);
}

TEST(Client, ReportsTheStatusOfARefusedHandshake) {
  Server server(local());
  ASSERT_TRUE(server.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, url(server, "/missing"), recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_EQ(r.errors.size(), 1u);
    EXPECT_NE(r.errors[0].find("404 Not Found"), std::string::npos) << r.errors[0];
    return 0;
  });
}

TEST(Client, ReportsABadUrl) {
  Recorder recorder;
  LoopThread client;
  connect_on(client, "http://127.0.0.1/", recorder.behavior());
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_NE(r.errors.at(0).find("ws://"), std::string::npos) << r.errors[0];
    return 0;
  });
}

// A server of its own (a blocking socket on a thread) sees the client's extra request headers
// and answers with a Set-Cookie that the client reads in on_open.
TEST(Client, SendsExtraHeadersAndReadsTheResponsesFields) {
  test::RawListener listener;
  ASSERT_TRUE(listener.listening());
  std::promise<std::string> request_seen;
  std::promise<void> done;
  std::thread server([&] {
    pollfd incoming{listener.fd(), POLLIN, 0};
    if (::poll(&incoming, 1, 10'000) <= 0) return;  // no client came: the test reports it
    const int fd = ::accept(listener.fd(), nullptr, nullptr);
    std::string head;
    char buffer[4096];
    while (head.find("\r\n\r\n") == std::string::npos) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 10'000) <= 0) break;
      const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
      if (n <= 0) break;
      head.append(buffer, static_cast<std::size_t>(n));
    }
    auto request = http::parse_request_head(as_bytes(head));
    const std::string key = request ? request->fields.get("Sec-WebSocket-Key").value_or("") : "";
    const std::string response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                                 "Sec-WebSocket-Accept: " + ws::compute_accept(key) +
                                 "\r\nSet-Cookie: session=abc; HttpOnly\r\n\r\n";
    (void)::send(fd, response.data(), response.size(), MSG_NOSIGNAL);
    request_seen.set_value(head);
    done.get_future().wait();
    ::close(fd);
  });
  Recorder recorder;
  LoopThread client;
  std::promise<std::string> cookie;
  ClientOptions options;
  options.headers = {{"Authorization", "Bearer t0k3n"}, {"Cookie", "theme=dark"}};
  connect_on(client, listener.url("/private"), recorder.behavior([&](WebSocket& ws) {
               const http::Fields* fields = ws.response_headers();
               cookie.set_value(fields ? fields->get("Set-Cookie").value_or("<none>") : "<no fields>");
             }),
             options);
  auto request_future = request_seen.get_future();
  auto cookie_future = cookie.get_future();
  const bool answered = request_future.wait_for(test::kWait) == std::future_status::ready;
  const bool opened = answered && cookie_future.wait_for(test::kWait) == std::future_status::ready;
  done.set_value();
  server.join();
  ASSERT_TRUE(answered) << "the server saw no request";
  const std::string request = request_future.get();
  EXPECT_NE(request.find("\r\nAuthorization: Bearer t0k3n\r\n"), std::string::npos) << request;
  EXPECT_NE(request.find("\r\nCookie: theme=dark\r\n"), std::string::npos) << request;
  ASSERT_TRUE(opened) << "on_open did not run";
  EXPECT_EQ(cookie_future.get(), "session=abc; HttpOnly");
}

TEST(Client, RefusesAnExtraHeaderTheHandshakeWrites) {
  Recorder recorder;
  LoopThread client;
  ClientOptions options;
  options.headers = {{"Sec-WebSocket-Key", "forged"}};
  connect_on(client, "ws://127.0.0.1:1/", recorder.behavior(), options);
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_EQ(r.opened, 0);
    EXPECT_NE(r.errors.at(0).find("Sec-WebSocket-Key"), std::string::npos) << r.errors[0];
    return 0;
  });
}

TEST(Client, ReportsAHandshakeTimeout) {
  // Listens (the kernel accepts) but never answers.
  test::RawListener listener;
  ASSERT_TRUE(listener.listening());
  Recorder recorder;
  LoopThread client;
  ClientOptions options;
  options.handshake_timeout = 100ms;
  connect_on(client, listener.url(), recorder.behavior(), options);
  ASSERT_TRUE(WAIT_FOR(recorder.close_count() == 1));
  recorder.read([](Recorder& r) {
    EXPECT_NE(r.errors.at(0).find("in time"), std::string::npos) << r.errors[0];
    return 0;
  });
}

TEST(Client, ConnectsOverIpv6) {
  ServerOptions options = local();
  options.host = "::1";
  Server server(options);
  if (!server.start().ok()) DUPLEX_SKIP_OR_FAIL("no IPv6 loopback here");
  server.shutdown();
  server.wait();
  Server echo(options);
  echo.route("/echo", echo_behavior());
  ASSERT_TRUE(echo.start().ok());
  Recorder recorder;
  LoopThread client;
  connect_on(client, "ws://[::1]:" + std::to_string(echo.port()) + "/echo",
             recorder.behavior([](WebSocket& ws) { ws.send_text("six"); }));
  ASSERT_TRUE(WAIT_FOR(recorder.message_count() == 1));
}

}  // namespace
}  // namespace duplex::net
