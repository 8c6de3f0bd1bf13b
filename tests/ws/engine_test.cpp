#include "duplex/ws/engine.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "duplex/util/asan.hpp"
#include "duplex/util/byte_reader.hpp"

namespace duplex::ws {
namespace {

using Bytes = std::vector<std::uint8_t>;

Bytes bytes(std::string_view text) { return Bytes(text.begin(), text.end()); }

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// RFC 6455 §5.2 frames built by hand (not with the codec under test). `first_byte` is
// FIN | RSV1-3 | opcode; a key makes a masked (client) frame.
Bytes frame(std::uint8_t first_byte, const Bytes& payload, std::optional<MaskingKey> key) {
  Bytes out = {first_byte};
  const std::uint8_t mask_bit = key ? 0x80 : 0;
  const std::uint64_t n = payload.size();
  if (n < 126) {
    out.push_back(static_cast<std::uint8_t>(mask_bit | n));
  } else if (n <= 0xFFFF) {
    out.insert(out.end(), {std::uint8_t(mask_bit | 126), std::uint8_t(n >> 8), std::uint8_t(n)});
  } else {
    out.push_back(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out.push_back(std::uint8_t(n >> shift));
  }
  if (key) out.insert(out.end(), key->begin(), key->end());
  for (std::size_t i = 0; i < payload.size(); ++i)
    out.push_back(key ? std::uint8_t(payload[i] ^ (*key)[i % 4]) : payload[i]);
  return out;
}
constexpr MaskingKey test_key = {0x37, 0xfa, 0x21, 0x3d};
// What a client sends to the server (masked), and what a server sends to the client (not).
Bytes from_client(std::uint8_t first_byte, const Bytes& payload) { return frame(first_byte, payload, test_key); }
Bytes from_server(std::uint8_t first_byte, const Bytes& payload) { return frame(first_byte, payload, std::nullopt); }

Bytes close_body(std::uint16_t code, std::string_view reason = {}) {
  return concat({{std::uint8_t(code >> 8), std::uint8_t(code)}, bytes(reason)});
}

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kText = 0x01, kBinary = 0x02, kCont = 0x00, kClose = 0x08, kPing = 0x09, kPong = 0x0A;

// An event with its views copied, so tests can look at it after the engine moved on.
struct Seen {
  std::string kind;   // text, binary, ping, pong, close, failure
  std::string data;   // payload, close reason or failure message
  std::uint16_t code = 0;
};

Seen copy_event(const Event& event) {
  auto str = [](std::span<const std::uint8_t> s) { return std::string(s.begin(), s.end()); };
  if (auto* m = std::get_if<Message>(&event))
    return {m->type == MessageType::text ? "text" : "binary", str(m->payload)};
  if (auto* p = std::get_if<Ping>(&event)) return {"ping", str(p->payload)};
  if (auto* p = std::get_if<Pong>(&event)) return {"pong", str(p->payload)};
  if (auto* c = std::get_if<CloseReceived>(&event))
    return {"close", std::string(c->reason), static_cast<std::uint16_t>(c->code)};
  const auto& f = std::get<Failure>(event);
  return {"failure", f.message, static_cast<std::uint16_t>(f.code)};
}

// A frame the engine wrote, unmasked.
struct Written {
  FrameHeader header;
  Bytes payload;
};

std::vector<Written> parse_frames(std::span<const std::uint8_t> out) {
  std::vector<Written> frames;
  while (!out.empty()) {
    const DecodedFrameHeader d = decode_frame_header(out);
    if (d.status != FrameHeaderStatus::complete || out.size() < d.size + d.header.payload_length) {
      ADD_FAILURE() << "the engine wrote a truncated frame";
      break;
    }
    Written w{d.header, Bytes(out.begin() + d.size, out.begin() + d.size + d.header.payload_length)};
    for (std::size_t i = 0; i < w.payload.size(); ++i) w.payload[i] ^= d.header.masking_key[i % 4];
    frames.push_back(std::move(w));
    out = out.subspan(d.size + d.header.payload_length);
  }
  return frames;
}

// Drives one engine the way the runtime does: each read is kept alive until drained.
class Peer {
 public:
  explicit Peer(Role role, std::uint64_t max_message_bytes = Config{}.max_message_bytes)
      : config_{max_message_bytes}, engine(role, config_) {}

  std::vector<Seen> feed(const Bytes& data) {
    reads_.push_back(data);
    engine.receive(reads_.back());
    return drain();
  }
  // Feeds `data` in reads of `step` bytes.
  std::vector<Seen> feed_in_pieces(const Bytes& data, std::size_t step) {
    std::vector<Seen> all;
    for (std::size_t at = 0; at < data.size(); at += step) {
      auto seen = feed(Bytes(data.begin() + at, data.begin() + std::min(data.size(), at + step)));
      all.insert(all.end(), seen.begin(), seen.end());
    }
    return all;
  }
  std::vector<Seen> eof() {
    engine.receive_eof();
    return drain();
  }
  std::vector<Seen> drain() {
    std::vector<Seen> seen;
    while (auto event = engine.next_event()) seen.push_back(copy_event(*event));
    return seen;
  }
  Bytes take_output() {
    Bytes out(engine.pending_output().begin(), engine.pending_output().end());
    engine.consume_output(out.size());
    return out;
  }
  std::vector<Written> take_frames() { return parse_frames(take_output()); }

 private:
  Config config_;
  std::deque<Bytes> reads_;

 public:
  Engine engine;
};

void expect_failure(const std::vector<Seen>& seen, CloseCode code) {
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.back().kind, "failure");
  EXPECT_EQ(seen.back().code, static_cast<std::uint16_t>(code)) << seen.back().data;
  EXPECT_FALSE(seen.back().data.empty());
}

// The close frame queued by a failure or an echo carries `code`.
void expect_close_frame(Peer& peer, std::optional<CloseCode> code) {
  const auto frames = peer.take_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.opcode, Opcode::close);
  if (!code) {
    EXPECT_TRUE(frames[0].payload.empty());
    return;
  }
  ASSERT_GE(frames[0].payload.size(), 2u);
  EXPECT_EQ((frames[0].payload[0] << 8) | frames[0].payload[1], static_cast<int>(*code));
}

void expect_fails_with(Role role, const Bytes& input, CloseCode code) {
  Peer peer(role);
  const auto seen = peer.feed(input);
  expect_failure(seen, code);
  expect_close_frame(peer, code);
  EXPECT_TRUE(peer.engine.input_closed());
  EXPECT_TRUE(peer.engine.should_close_transport());
  EXPECT_EQ(peer.engine.send_text("late"), SendResult::closed);
}

// --- RFC 6455 §5.7 examples, byte for byte -----------------------------------------------------

TEST(EngineRfcExamples, ClientReceivesSingleFrameUnmaskedHello) {
  Peer client(Role::client);
  const auto seen = client.feed({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "text");
  EXPECT_EQ(seen[0].data, "Hello");
}

TEST(EngineRfcExamples, ServerReceivesSingleFrameMaskedHello) {
  Peer server(Role::server);
  const auto seen = server.feed({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "text");
  EXPECT_EQ(seen[0].data, "Hello");
}

TEST(EngineRfcExamples, ClientReceivesFragmentedHello) {
  Peer client(Role::client);
  const auto seen = client.feed({0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "text");
  EXPECT_EQ(seen[0].data, "Hello");
}

TEST(EngineRfcExamples, ServerAnswersMaskedPingWithTheRfcUnmaskedPong) {
  Peer server(Role::server);
  // RFC 6455 §5.7: "Unmasked Ping request and masked Ping response" — here the client's ping is
  // masked (as it must be) and the server's pong is the RFC's 0x8a 0x05 "Hello".
  const auto seen = server.feed(from_client(kFin | kPing, bytes("Hello")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_EQ(seen[0].data, "Hello");
  EXPECT_EQ(server.take_output(), (Bytes{0x8a, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
}

TEST(EngineRfcExamples, ClientReceivesRfcUnmaskedPingAndAnswersWithAMaskedPong) {
  Peer client(Role::client);
  const auto seen = client.feed({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "ping");
  const Bytes out = client.take_output();
  ASSERT_EQ(out.size(), 11u);
  EXPECT_EQ(out[0], 0x8a);
  EXPECT_EQ(out[1], 0x85);  // masked, 5 bytes
  const auto frames = parse_frames(out);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload, bytes("Hello"));
}

TEST(EngineRfcExamples, ServerSendsSingleFrameUnmaskedHello) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_text("Hello"), SendResult::ok);
  EXPECT_EQ(server.take_output(), (Bytes{0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
}

TEST(EngineRfcExamples, ServerSendsFragmentedHello) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("Hel"), true, false), SendResult::ok);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("lo"), false, true), SendResult::ok);
  EXPECT_EQ(server.take_output(), (Bytes{0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f}));
}

TEST(EngineRfcExamples, ServerSends256ByteAnd64KiBBinaryHeaders) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_binary(Bytes(256, 0xAB)), SendResult::ok);
  Bytes out = server.take_output();
  ASSERT_EQ(out.size(), 4u + 256u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 4), (Bytes{0x82, 0x7E, 0x01, 0x00}));

  EXPECT_EQ(server.engine.send_binary(Bytes(65536, 0xCD)), SendResult::ok);
  out = server.take_output();
  ASSERT_EQ(out.size(), 10u + 65536u);
  EXPECT_EQ(Bytes(out.begin(), out.begin() + 10),
            (Bytes{0x82, 0x7F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00}));
}

TEST(EngineRfcExamples, ServerReceives256ByteAnd64KiBBinaryMessages) {
  Peer server(Role::server);
  auto seen = server.feed(concat({from_client(kFin | kBinary, Bytes(256, 7)),
                                  from_client(kFin | kBinary, Bytes(65536, 9))}));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].data, std::string(256, '\7'));
  EXPECT_EQ(seen[1].data, std::string(65536, '\11'));
}

// --- masking on send ---------------------------------------------------------------------------

TEST(EngineMasking, ClientMasksEveryFrameWithAFreshKey) {
  Peer client(Role::client);
  for (int i = 0; i < 4; ++i) ASSERT_EQ(client.engine.send_text("same text"), SendResult::ok);
  const auto frames = client.take_frames();
  ASSERT_EQ(frames.size(), 4u);
  for (const auto& f : frames) {
    EXPECT_TRUE(f.header.masked);
    EXPECT_EQ(f.payload, bytes("same text"));
  }
  // Four independent 32-bit keys from the CSPRNG: all equal would mean no fresh key per frame.
  EXPECT_FALSE(frames[0].header.masking_key == frames[1].header.masking_key &&
               frames[1].header.masking_key == frames[2].header.masking_key &&
               frames[2].header.masking_key == frames[3].header.masking_key);
}

TEST(EngineMasking, ServerNeverMasks) {
  Peer server(Role::server);
  ASSERT_EQ(server.engine.send_binary(Bytes(300, 1)), SendResult::ok);
  const auto frames = server.take_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_FALSE(frames[0].header.masked);
}

TEST(EngineMasking, ClientToServerRoundTripsEveryKindOfMessage) {
  Peer client(Role::client);
  Peer server(Role::server);
  const std::string big(70000, 'z');
  ASSERT_EQ(client.engine.send_text("hi ☃"), SendResult::ok);
  ASSERT_EQ(client.engine.send_binary(bytes(big)), SendResult::ok);
  ASSERT_EQ(client.engine.send_ping(bytes("p")), SendResult::ok);
  ASSERT_EQ(client.engine.send_close(CloseCode::going_away, "bye"), SendResult::ok);
  const auto seen = server.feed_in_pieces(client.take_output(), 1000);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].data, "hi ☃");
  EXPECT_EQ(seen[1].data, big);
  EXPECT_EQ(seen[2].kind, "ping");
  EXPECT_EQ(seen[3].kind, "close");
  EXPECT_EQ(seen[3].code, 1001);
  EXPECT_EQ(seen[3].data, "bye");
}

// --- lazy parsing, zero copy, in-place unmasking -----------------------------------------------

TEST(EngineInput, DeliversAWholeMessageInTheInputAsAViewIntoIt) {
  Config config;
  Engine server(Role::server, config);
  Bytes input = from_client(kFin | kBinary, bytes("zero copy please"));
  server.receive(input);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  const auto& message = std::get<Message>(*event);
  EXPECT_EQ(message.payload.data(), input.data() + 6);  // header: 2 bytes + 4 of key
  EXPECT_EQ(as_text(message.payload), "zero copy please");
  // Unmasked in place, in the caller's buffer.
  EXPECT_EQ(std::string(input.begin() + 6, input.end()), "zero copy please");
  EXPECT_FALSE(server.next_event());
}

TEST(EngineInput, ParsesLazilyOneEventPerCall) {
  Config config;
  Engine server(Role::server, config);
  const Bytes second_frame = from_client(kFin | kText, bytes("two"));
  Bytes input = concat({from_client(kFin | kText, bytes("one")), second_frame});
  server.receive(input);
  auto first = server.next_event();
  ASSERT_TRUE(first);
  // The second frame has not been touched yet: still masked.
  EXPECT_EQ(Bytes(input.end() - 3, input.end()), Bytes(second_frame.end() - 3, second_frame.end()));
  auto second = server.next_event();
  ASSERT_TRUE(second);
  EXPECT_EQ(std::get<Message>(*second).text(), "two");
  EXPECT_FALSE(server.next_event());
}

TEST(EngineInput, GivesTheSameEventsForEverySplitIntoTwoReads) {
  const Bytes stream = concat({
      from_client(kFin | kText, bytes("Hello, wörld")),
      from_client(kBinary, Bytes(200, 0x42)),
      from_client(kFin | kPing, bytes("are you there")),
      from_client(kCont, bytes("middle")),
      from_client(kFin | kCont, bytes("end")),
      from_client(kFin | kBinary, Bytes(70000, 0x17)),
      from_client(kFin | kPong, {}),
      from_client(kFin | kClose, close_body(1000, "done")),
  });
  Peer reference(Role::server);
  const auto expected = reference.feed(stream);
  ASSERT_EQ(expected.size(), 6u);
  EXPECT_EQ(expected[1].kind, "ping");
  EXPECT_EQ(expected[2].data, std::string(200, 0x42) + "middleend");
  for (std::size_t cut = 0; cut <= stream.size(); cut += (cut < 400 || cut > stream.size() - 400) ? 1 : 997) {
    Peer server(Role::server);
    auto seen = server.feed(Bytes(stream.begin(), stream.begin() + cut));
    const auto rest = server.feed(Bytes(stream.begin() + cut, stream.end()));
    seen.insert(seen.end(), rest.begin(), rest.end());
    ASSERT_EQ(seen.size(), expected.size()) << "cut at " << cut;
    for (std::size_t i = 0; i < seen.size(); ++i) {
      ASSERT_EQ(seen[i].kind, expected[i].kind) << "cut at " << cut;
      ASSERT_EQ(seen[i].data, expected[i].data) << "cut at " << cut;
      ASSERT_EQ(seen[i].code, expected[i].code) << "cut at " << cut;
    }
  }
}

TEST(EngineInput, GivesTheSameEventsWhenFedOneByteAtATime) {
  const Bytes stream = concat({
      from_client(kText, bytes("frag€")),
      from_client(kFin | kPing, bytes("x")),
      from_client(kFin | kCont, bytes("mented")),
      from_client(kFin | kBinary, Bytes(300, 3)),
      from_client(kFin | kClose, close_body(4000)),
  });
  Peer server(Role::server);
  const auto seen = server.feed_in_pieces(stream, 1);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_EQ(seen[0].data, "x");
  EXPECT_EQ(seen[1].data, "frag€mented");
  EXPECT_EQ(seen[2].data, std::string(300, 3));
  EXPECT_EQ(seen[3].code, 4000);
}

TEST(EngineInput, AssemblesALargeMaskedFrameArrivingInOddSizedReads) {
  Bytes payload(100003);
  for (std::size_t i = 0; i < payload.size(); ++i) payload[i] = static_cast<std::uint8_t>(i * 31);
  Peer server(Role::server);
  const auto seen = server.feed_in_pieces(from_client(kFin | kBinary, payload), 4093);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, std::string(payload.begin(), payload.end()));
}

TEST(EngineInput, KeepsABufferedMessageValidUntilTheNextCall) {
  Config config;
  Engine server(Role::server, config);
  const Bytes frame_bytes = from_client(kFin | kBinary, Bytes(5000, 0x61));
  Bytes first(frame_bytes.begin(), frame_bytes.begin() + 100);
  Bytes second(frame_bytes.begin() + 100, frame_bytes.end());
  second.insert(second.end(), {0x89, 0x80, 1, 2, 3, 4});  // an empty ping after it
  server.receive(first);
  EXPECT_FALSE(server.next_event());
  server.receive(second);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  const auto payload = std::get<Message>(*event).payload;
  // Not a view into `second`: the message was copied aside as it arrived.
  EXPECT_TRUE(payload.data() < second.data() || payload.data() >= second.data() + second.size());
  // Sending (which grows the output buffer) does not disturb it.
  ASSERT_EQ(server.send_binary(Bytes(10000, 1)), SendResult::ok);
  EXPECT_EQ(std::string(payload.begin(), payload.end()), std::string(5000, 'a'));
  auto ping = server.next_event();
  ASSERT_TRUE(ping);
  EXPECT_TRUE(std::holds_alternative<Ping>(*ping));
}

TEST(EngineInput, IsSmall) {
  std::printf("sizeof(Engine) = %zu bytes\n", sizeof(Engine));
  EXPECT_LE(sizeof(Engine), 160u);
}

// --- role rules and malformed frames: 1002 -------------------------------------------------------

TEST(EngineProtocolErrors, ServerFailsOnAnUnmaskedClientFrame) {
  Peer server(Role::server);
  const auto seen = server.feed(from_server(kFin | kText, bytes("Hello")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1002);
  EXPECT_EQ(seen[0].data, "the client sent an unmasked frame (RFC 6455 §5.1)");
  expect_close_frame(server, CloseCode::protocol_error);
}

TEST(EngineProtocolErrors, ClientFailsOnAMaskedServerFrame) {
  expect_fails_with(Role::client, from_client(kFin | kText, bytes("Hello")), CloseCode::protocol_error);
}

TEST(EngineProtocolErrors, FailsOnEachReservedBit) {
  for (std::uint8_t rsv : {0x40, 0x20, 0x10}) {
    expect_fails_with(Role::server, from_client(kFin | rsv | kText, bytes("x")), CloseCode::protocol_error);
  }
}

TEST(EngineProtocolErrors, FailsOnEveryReservedOpcode) {
  for (std::uint8_t op : {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
    expect_fails_with(Role::server, from_client(std::uint8_t(kFin | op), {}), CloseCode::protocol_error);
    expect_fails_with(Role::client, from_server(std::uint8_t(kFin | op), {}), CloseCode::protocol_error);
  }
}

TEST(EngineProtocolErrors, FailsOnAControlFrameOver125Bytes) {
  for (std::uint8_t op : {kPing, kPong, kClose}) {
    expect_fails_with(Role::server, from_client(kFin | op, Bytes(126, 0x30)), CloseCode::protocol_error);
  }
}

TEST(EngineProtocolErrors, FailsOnAControlFrameOver125BytesBeforeItsPayloadArrives) {
  Peer server(Role::server);
  Bytes f = from_client(kFin | kPing, Bytes(126, 0x30));
  f.resize(8);  // header only
  expect_failure(server.feed(f), CloseCode::protocol_error);
}

TEST(EngineProtocolErrors, AcceptsAControlFrameOfExactly125Bytes) {
  Peer server(Role::server);
  const auto seen = server.feed(from_client(kFin | kPing, Bytes(125, 0x30)));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_EQ(seen[0].data.size(), 125u);
}

TEST(EngineProtocolErrors, FailsOnAFragmentedControlFrame) {
  for (std::uint8_t op : {kPing, kPong, kClose}) {
    expect_fails_with(Role::server, from_client(op, {}), CloseCode::protocol_error);
  }
}

TEST(EngineProtocolErrors, FailsOnAContinuationWithNothingToContinue) {
  expect_fails_with(Role::server, from_client(kFin | kCont, bytes("x")), CloseCode::protocol_error);
  expect_fails_with(Role::server, from_client(kCont, bytes("x")), CloseCode::protocol_error);
  // ...also right after a complete fragmented message.
  expect_fails_with(Role::server,
                    concat({from_client(kText, bytes("a")), from_client(kFin | kCont, bytes("b")),
                            from_client(kFin | kCont, bytes("c"))}),
                    CloseCode::protocol_error);
}

TEST(EngineProtocolErrors, FailsOnANewDataFrameInsideAFragmentedMessage) {
  expect_fails_with(Role::server, concat({from_client(kText, bytes("a")), from_client(kFin | kText, bytes("b"))}),
                    CloseCode::protocol_error);
  expect_fails_with(Role::server, concat({from_client(kBinary, bytes("a")), from_client(kBinary, bytes("b"))}),
                    CloseCode::protocol_error);
}

TEST(EngineProtocolErrors, FailsOnA64BitLengthWithTheTopBitSet) {
  expect_fails_with(Role::client, {0x82, 0x7F, 0x80, 0, 0, 0, 0, 0, 0, 1}, CloseCode::protocol_error);
  expect_fails_with(Role::client, {0x82, 0x7F, 0xFF}, CloseCode::protocol_error);  // at once
}

TEST(EngineProtocolErrors, AcceptsANonMinimalLength) {
  Peer client(Role::client);
  const auto seen = client.feed({0x82, 0x7E, 0x00, 0x03, 'a', 'b', 'c'});
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, "abc");
}

TEST(EngineProtocolErrors, ReadsNothingAfterAFailure) {
  Peer server(Role::server);
  auto seen = server.feed(concat({from_server(kFin | kText, bytes("bad")), from_client(kFin | kText, bytes("ok"))}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(server.feed(from_client(kFin | kText, bytes("more"))).empty());
  EXPECT_TRUE(server.eof().empty());
}

// --- fragmentation with control frames interleaved ---------------------------------------------

TEST(EngineFragmentation, AnswersAPingInsideAFragmentedMessageAtOnce) {
  Peer server(Role::server);
  auto seen = server.feed(concat({from_client(kText, bytes("Hel")), from_client(kFin | kPing, bytes("now"))}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "ping");
  // The pong is queued when the ping is parsed, before the message is complete.
  const auto frames = server.take_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.opcode, Opcode::pong);
  EXPECT_EQ(frames[0].payload, bytes("now"));
  seen = server.feed(from_client(kFin | kCont, bytes("lo")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "text");
  EXPECT_EQ(seen[0].data, "Hello");
}

TEST(EngineFragmentation, KeepsAControlFrameSplitAcrossReadsApartFromTheMessage) {
  Peer server(Role::server);
  const Bytes ping = from_client(kFin | kPing, bytes("split ping payload"));
  auto seen = server.feed(concat({from_client(kBinary, bytes("part one ")), Bytes(ping.begin(), ping.begin() + 9)}));
  EXPECT_TRUE(seen.empty());
  seen = server.feed(concat({Bytes(ping.begin() + 9, ping.end()), from_client(kFin | kPong, bytes("pp")),
                             from_client(kFin | kCont, bytes("part two"))}));
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_EQ(seen[0].data, "split ping payload");
  EXPECT_EQ(seen[1].kind, "pong");
  EXPECT_EQ(seen[2].kind, "binary");
  EXPECT_EQ(seen[2].data, "part one part two");
}

TEST(EngineFragmentation, AcceptsEmptyFragments) {
  Peer server(Role::server);
  const auto seen = server.feed(concat({from_client(kText, {}), from_client(kCont, bytes("a")),
                                        from_client(kCont, {}), from_client(kFin | kCont, {})}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].data, "a");
}

TEST(EngineFragmentation, DeliversManyMessagesReusingItsBuffer) {
  Peer server(Role::server);
  for (int i = 0; i < 50; ++i) {
    const std::string a = "message " + std::to_string(i);
    const auto seen = server.feed(concat({from_client(kText, bytes(a)), from_client(kFin | kCont, bytes("!"))}));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].data, a + "!");
  }
}

// --- UTF-8: 1007, failing fast -----------------------------------------------------------------

TEST(EngineUtf8, FailsAsSoonAsInvalidBytesArriveBeforeTheFrameIsComplete) {
  Peer server(Role::server);
  Bytes f = from_client(kFin | kText, concat({{0xFF, 0xFE}, Bytes(1000, 'a')}));
  f.resize(6 + 4 + 2);  // header (2 + 2 + 4) and the two bad bytes only
  const auto seen = server.feed(f);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1007);
  expect_close_frame(server, CloseCode::invalid_payload);
}

TEST(EngineUtf8, FailsInTheFirstFragmentWithoutWaitingForTheLast) {
  Peer server(Role::server);
  const auto seen = server.feed(from_client(kText, {'o', 'k', 0xC0, 0x80}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1007);
}

TEST(EngineUtf8, FailsOnOverlongsSurrogatesAndCodePointsPast10FFFF) {
  expect_fails_with(Role::server, from_client(kFin | kText, {0xC1, 0xBF}), CloseCode::invalid_payload);
  expect_fails_with(Role::server, from_client(kFin | kText, {0xE0, 0x80, 0xAF}), CloseCode::invalid_payload);
  expect_fails_with(Role::server, from_client(kFin | kText, {0xED, 0xA0, 0x80}), CloseCode::invalid_payload);
  expect_fails_with(Role::server, from_client(kFin | kText, {0xF4, 0x90, 0x80, 0x80}), CloseCode::invalid_payload);
  expect_fails_with(Role::client, from_server(kFin | kText, {'a', 0xFF}), CloseCode::invalid_payload);
}

TEST(EngineUtf8, FailsOnAMessageEndingInsideACodePoint) {
  expect_fails_with(Role::server, from_client(kFin | kText, {'a', 0xE2, 0x82}), CloseCode::invalid_payload);
  expect_fails_with(Role::server,
                    concat({from_client(kText, {'a', 0xE2}), from_client(kFin | kCont, {0x82})}),
                    CloseCode::invalid_payload);
}

TEST(EngineUtf8, AcceptsACodePointSplitAcrossFragmentsAndReads) {
  const Bytes stream = concat({from_client(kText, {'a', 0xF0, 0x9F}), from_client(kFin | kPing, {}),
                               from_client(kFin | kCont, {0x8E, 0x89, 'b'})});
  for (std::size_t step = 1; step <= stream.size(); ++step) {
    Peer server(Role::server);
    const auto seen = server.feed_in_pieces(stream, step);
    ASSERT_EQ(seen.size(), 2u) << step;
    EXPECT_EQ(seen[1].data, "a🎉b");
  }
}

TEST(EngineUtf8, DoesNotCheckBinaryMessages) {
  Peer server(Role::server);
  const auto seen = server.feed(from_client(kFin | kBinary, {0xFF, 0xED, 0xA0, 0x80}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "binary");
}

TEST(EngineUtf8, FailsOnACloseReasonThatIsNotUtf8) {
  expect_fails_with(Role::server, from_client(kFin | kClose, concat({close_body(1000), {0xC3}})),
                    CloseCode::invalid_payload);
}

// --- close handshake ---------------------------------------------------------------------------

TEST(EngineClose, EchoesEveryCodeValidOnTheWire) {
  for (std::uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000,
                             3999, 4000, 4999}) {
    Peer server(Role::server);
    const auto seen = server.feed(from_client(kFin | kClose, close_body(code, "reason ✓")));
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].kind, "close");
    EXPECT_EQ(seen[0].code, code);
    EXPECT_EQ(seen[0].data, "reason ✓");
    expect_close_frame(server, CloseCode{code});
    EXPECT_TRUE(server.engine.close_sent());
    EXPECT_TRUE(server.engine.close_received());
  }
}

TEST(EngineClose, AnswersCodesNotValidOnTheWireWith1002) {
  for (std::uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
    expect_fails_with(Role::server, from_client(kFin | kClose, close_body(code)), CloseCode::protocol_error);
  }
}

TEST(EngineClose, AnswersAOneBytePayloadWith1002) {
  expect_fails_with(Role::server, from_client(kFin | kClose, {0x03}), CloseCode::protocol_error);
}

TEST(EngineClose, ReportsAnEmptyCloseAs1005AndEchoesAnEmptyClose) {
  Peer server(Role::server);
  const auto seen = server.feed(from_client(kFin | kClose, {}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "close");
  EXPECT_EQ(seen[0].code, 1005);
  EXPECT_EQ(server.take_output(), (Bytes{0x88, 0x00}));
}

TEST(EngineClose, ReadsNothingAfterTheCloseFrame) {
  Peer server(Role::server);
  const auto seen = server.feed(concat({from_client(kFin | kClose, close_body(1000)),
                                        from_client(kFin | kText, bytes("after")), {0xFF, 0xFF}}));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(server.engine.input_closed());
  EXPECT_TRUE(server.feed(from_client(kFin | kText, bytes("later"))).empty());
  EXPECT_TRUE(server.eof().empty());  // the handshake is done: no 1006
}

TEST(EngineClose, SendsNothingAfterItsClose) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_close(CloseCode::normal, "bye"), SendResult::ok);
  EXPECT_EQ(server.engine.send_text("x"), SendResult::closed);
  EXPECT_EQ(server.engine.send_binary(bytes("x")), SendResult::closed);
  EXPECT_EQ(server.engine.send_fragment(MessageType::binary, bytes("x"), true, false), SendResult::closed);
  EXPECT_EQ(server.engine.send_ping(), SendResult::closed);
  EXPECT_EQ(server.engine.send_pong(), SendResult::closed);
  EXPECT_EQ(server.engine.send_close(), SendResult::closed);
  const auto frames = server.take_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].payload, concat({close_body(1000), bytes("bye")}));
  // A ping arriving now is reported but not answered.
  const auto seen = server.feed(from_client(kFin | kPing, bytes("?")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_TRUE(server.take_output().empty());
}

TEST(EngineClose, StillDeliversMessagesAfterSendingCloseAndDoesNotEchoTheReply) {
  Peer server(Role::server);
  ASSERT_EQ(server.engine.send_close(CloseCode::going_away), SendResult::ok);
  server.take_output();
  EXPECT_FALSE(server.engine.should_close_transport());
  const auto seen = server.feed(concat({from_client(kFin | kText, bytes("in flight")),
                                        from_client(kFin | kClose, close_body(1001))}));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].data, "in flight");
  EXPECT_EQ(seen[1].code, 1001);
  EXPECT_TRUE(server.take_output().empty());
  EXPECT_TRUE(server.engine.should_close_transport());
}

TEST(EngineClose, ServerClosesTheTransportOnceCloseIsSentAndReceived) {
  Peer server(Role::server);
  EXPECT_FALSE(server.engine.should_close_transport());
  server.feed(from_client(kFin | kClose, close_body(1000)));
  EXPECT_TRUE(server.engine.close_sent());
  EXPECT_TRUE(server.engine.should_close_transport());
}

TEST(EngineClose, ClientReportsTheHandshakeDoneToo) {
  Peer client(Role::client);
  ASSERT_EQ(client.engine.send_close(), SendResult::ok);
  EXPECT_FALSE(client.engine.should_close_transport());
  const auto seen = client.feed(from_server(kFin | kClose, close_body(1000)));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_TRUE(client.engine.should_close_transport());
}

TEST(EngineClose, ClosesTheTransportAfterAFailure) {
  Peer client(Role::client);
  client.feed(from_client(kFin | kText, bytes("masked")));
  EXPECT_TRUE(client.engine.should_close_transport());
  EXPECT_TRUE(client.engine.close_sent());
  EXPECT_FALSE(client.engine.close_received());
}

TEST(EngineClose, RefusesInvalidCloseRequestsFromTheApplication) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_close(CloseCode::abnormal_closure), SendResult::invalid);
  EXPECT_EQ(server.engine.send_close(CloseCode{1004}), SendResult::invalid);
  EXPECT_EQ(server.engine.send_close(CloseCode::normal, std::string(124, 'r')), SendResult::invalid);
  EXPECT_EQ(server.engine.send_close(CloseCode::normal, "\xC3"), SendResult::invalid);
  EXPECT_EQ(server.engine.send_close(CloseCode::no_status_received, "x"), SendResult::invalid);
  EXPECT_TRUE(server.take_output().empty());
  EXPECT_EQ(server.engine.send_close(CloseCode::normal, std::string(123, 'r')), SendResult::ok);
}

TEST(EngineClose, SendsAnEmptyCloseFor1005) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_close(CloseCode::no_status_received), SendResult::ok);
  EXPECT_EQ(server.take_output(), (Bytes{0x88, 0x00}));
}

// --- ping / pong -------------------------------------------------------------------------------

TEST(EnginePing, AnswersWithAPongOfTheSamePayload) {
  Peer server(Role::server);
  const Bytes payload = {0, 1, 2, 0xFF, 0xFE};
  const auto seen = server.feed(from_client(kFin | kPing, payload));
  ASSERT_EQ(seen.size(), 1u);
  const auto frames = server.take_frames();
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].header.opcode, Opcode::pong);
  EXPECT_EQ(frames[0].payload, payload);
}

TEST(EnginePing, ReportsAnUnsolicitedPongAndSendsNothing) {
  Peer server(Role::server);
  const auto seen = server.feed(from_client(kFin | kPong, bytes("hb")));
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].kind, "pong");
  EXPECT_EQ(seen[0].data, "hb");
  EXPECT_TRUE(server.take_output().empty());
}

TEST(EnginePing, RefusesControlPayloadsOver125Bytes) {
  Peer client(Role::client);
  EXPECT_EQ(client.engine.send_ping(Bytes(126, 0)), SendResult::invalid);
  EXPECT_EQ(client.engine.send_pong(Bytes(126, 0)), SendResult::invalid);
  EXPECT_EQ(client.engine.send_ping(Bytes(125, 0)), SendResult::ok);
}

// --- limits: 1009 ------------------------------------------------------------------------------

TEST(EngineLimits, FailsOnAFrameOverTheLimitFromItsHeaderAlone) {
  Peer server(Role::server, 10);
  Bytes f = from_client(kFin | kBinary, Bytes(11, 0));
  f.resize(6);  // the header only: nothing of the payload
  const auto seen = server.feed(f);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1009);
  expect_close_frame(server, CloseCode::message_too_big);
}

TEST(EngineLimits, FailsWhenFragmentsAddUpOverTheLimit) {
  Peer server(Role::server, 10);
  auto seen = server.feed(from_client(kBinary, Bytes(6, 0)));
  EXPECT_TRUE(seen.empty());
  Bytes f = from_client(kFin | kCont, Bytes(5, 0));
  f.resize(6);
  seen = server.feed(f);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1009);
}

TEST(EngineLimits, AcceptsAMessageOfExactlyTheLimit) {
  Peer server(Role::server, 10);
  const auto seen = server.feed(concat({from_client(kText, bytes("12345")), from_client(kFin | kPing, bytes("ping")),
                                        from_client(kFin | kCont, bytes("67890"))}));
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[1].data, "1234567890");
}

TEST(EngineLimits, FailsOnAHugeAnnouncedLength) {
  expect_fails_with(Role::client, {0x82, 0x7F, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF},
                    CloseCode::message_too_big);
}

// --- end of transport: 1006 --------------------------------------------------------------------

TEST(EngineEof, FailsWith1006BeforeTheCloseHandshake) {
  Peer server(Role::server);
  const auto seen = server.eof();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1006);
  EXPECT_TRUE(server.take_output().empty());  // nothing to send on a dead transport
  EXPECT_TRUE(server.engine.should_close_transport());
  EXPECT_EQ(server.engine.send_text("x"), SendResult::closed);
  EXPECT_TRUE(server.drain().empty());
}

TEST(EngineEof, DeliversWhatCameBeforeTheEndThenFails) {
  Peer server(Role::server);
  Bytes stream = concat({from_client(kFin | kText, bytes("last words")), from_client(kText, bytes("cut"))});
  stream.pop_back();
  Config config;
  Engine engine(Role::server, config);
  engine.receive(stream);
  engine.receive_eof();
  auto first = engine.next_event();
  ASSERT_TRUE(first);
  EXPECT_EQ(std::get<Message>(*first).text(), "last words");
  auto second = engine.next_event();
  ASSERT_TRUE(second);
  EXPECT_EQ(std::get<Failure>(*second).code, CloseCode::abnormal_closure);
  EXPECT_FALSE(engine.next_event());
}

TEST(EngineEof, FailsWith1006AfterOnlyThisSideSentClose) {
  Peer client(Role::client);
  ASSERT_EQ(client.engine.send_close(), SendResult::ok);
  const auto seen = client.eof();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].code, 1006);
}

// --- sending ------------------------------------------------------------------------------------

TEST(EngineSend, RefusesTextThatIsNotUtf8) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_text("\xED\xA0\x80"), SendResult::invalid);
  EXPECT_TRUE(server.take_output().empty());
}

TEST(EngineSend, ChecksFragmentOrderAndUtf8AcrossFragments) {
  Peer server(Role::server);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("x"), false, true), SendResult::invalid);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("a\xE2\x82"), true, false), SendResult::ok);
  EXPECT_EQ(server.engine.send_text("interleaved"), SendResult::invalid);
  EXPECT_EQ(server.engine.send_ping(bytes("allowed")), SendResult::ok);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("x"), false, true), SendResult::invalid);
  EXPECT_EQ(server.engine.send_fragment(MessageType::text, bytes("\xAC"), false, true), SendResult::ok);
  Peer client(Role::client);
  const auto seen = client.feed(server.take_output());
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].kind, "ping");
  EXPECT_EQ(seen[1].data, "a€");
}

TEST(EngineSend, QueuesOutputUntilConsumed) {
  Peer server(Role::server);
  ASSERT_EQ(server.engine.send_text("abc"), SendResult::ok);
  EXPECT_EQ(server.engine.buffered_amount(), 5u);
  server.engine.consume_output(2);
  EXPECT_EQ(server.engine.buffered_amount(), 3u);
  server.engine.consume_output(3);
  EXPECT_EQ(server.engine.buffered_amount(), 0u);
  server.engine.release_idle_memory();
  EXPECT_TRUE(server.engine.pending_output().empty());
}

}  // namespace
}  // namespace duplex::ws

namespace duplex::ws {
namespace {

// Records what a FrameObserver is shown.
struct RecordingObserver final : FrameObserver {
  struct Frame {
    FrameDirection direction;
    Opcode opcode;
    bool fin;
    bool masked;
    std::uint64_t length;
    std::string payload_start;
  };
  std::vector<Frame> frames;
  void on_frame(FrameDirection direction, const FrameHeader& header, std::span<const std::uint8_t> payload) override {
    frames.push_back({direction, header.opcode, header.fin, header.masked, header.payload_length,
                      std::string(payload.begin(), payload.end())});
  }
};

TEST(EngineFrameObserver, SeesSentAndReceivedFramesWithUnmaskedPayloads) {
  RecordingObserver client_seen, server_seen;
  const Config client_config{.observer = &client_seen};
  const Config server_config{.observer = &server_seen};
  Engine client(Role::client, client_config);
  Engine server(Role::server, server_config);
  ASSERT_EQ(client.send_text("hello"), SendResult::ok);
  std::vector<std::uint8_t> wire(client.pending_output().begin(), client.pending_output().end());
  client.consume_output(wire.size());
  server.receive(wire);
  while (server.next_event()) {
  }
  ASSERT_EQ(client_seen.frames.size(), 1u);
  EXPECT_EQ(client_seen.frames[0].direction, FrameDirection::sent);
  EXPECT_TRUE(client_seen.frames[0].masked);
  EXPECT_EQ(client_seen.frames[0].payload_start, "hello");
  ASSERT_EQ(server_seen.frames.size(), 1u);
  EXPECT_EQ(server_seen.frames[0].direction, FrameDirection::received);
  EXPECT_EQ(server_seen.frames[0].opcode, Opcode::text);
  EXPECT_TRUE(server_seen.frames[0].fin);
  EXPECT_EQ(server_seen.frames[0].length, 5u);
  EXPECT_EQ(server_seen.frames[0].payload_start, "hello");  // unmasked for the reader
}

// --- ASan builds: a view into the engine's own buffer is poisoned once it expires --------------

#ifdef DUPLEX_ASAN

bool all_poisoned(std::span<const std::uint8_t> bytes) {
  for (const std::uint8_t& byte : bytes)
    if (!__asan_address_is_poisoned(&byte)) return false;
  return true;
}

TEST(EngineAsan, PoisonsAnAssembledMessageAtTheNextCallAndReusesItsBuffer) {
  Config config;
  Engine server(Role::server, config);
  Bytes wire = concat({from_client(kText, bytes("fragmented ")), from_client(kFin | kCont, bytes("message"))});
  server.receive(wire);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  const std::span<const std::uint8_t> kept = std::get<Message>(*event).payload;
  EXPECT_EQ(std::get<Message>(*event).text(), "fragmented message");
  EXPECT_FALSE(server.next_event());
  EXPECT_TRUE(all_poisoned(kept));
  // The next message is written where the poisoned one was, and reads back whole.
  Bytes again = concat({from_client(kText, bytes("second ")), from_client(kFin | kCont, bytes("one"))});
  server.receive(again);
  event = server.next_event();
  ASSERT_TRUE(event);
  EXPECT_EQ(std::get<Message>(*event).payload.data(), kept.data());
  EXPECT_EQ(std::get<Message>(*event).text(), "second one");
}

TEST(EngineAsan, PoisonsAControlFrameSplitAcrossReadsButNotTheMessageBeforeIt) {
  Config config;
  Engine server(Role::server, config);
  const Bytes ping = from_client(kFin | kPing, bytes("split ping payload"));
  Bytes first = concat({from_client(kBinary, bytes("part one ")), Bytes(ping.begin(), ping.begin() + 9)});
  server.receive(first);
  EXPECT_FALSE(server.next_event());
  Bytes second = concat({Bytes(ping.begin() + 9, ping.end()), from_client(kFin | kCont, bytes("part two"))});
  server.receive(second);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  const std::span<const std::uint8_t> kept = std::get<Ping>(*event).payload;
  event = server.next_event();  // "part two" is written over the ping's poisoned bytes
  ASSERT_TRUE(event);
  EXPECT_EQ(std::get<Message>(*event).text(), "part one part two");
  EXPECT_TRUE(__asan_address_is_poisoned(kept.data() + kept.size() - 1));
}

TEST(EngineAsan, LeavesTheCallersBytesToTheCaller) {
  Config config;
  Engine server(Role::server, config);
  Bytes wire = from_client(kFin | kText, bytes("a message lying whole in the caller's bytes"));
  server.receive(wire);
  auto event = server.next_event();
  ASSERT_TRUE(event);
  const std::span<const std::uint8_t> view = std::get<Message>(*event).payload;
  EXPECT_FALSE(server.next_event());
  // A view into what receive() was given: its owner decides (the runtime poisons its loop buffer).
  EXPECT_EQ(__asan_region_is_poisoned(const_cast<std::uint8_t*>(view.data()), view.size()), nullptr);
}

#endif  // DUPLEX_ASAN

}  // namespace
}  // namespace duplex::ws
