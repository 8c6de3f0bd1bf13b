// `duplex bench`: a load generator for any WebSocket echo server, so that duplex and a reference
// (bench/beast_echo_server) are measured by the same client in the same run. Figures only.
//
// Each of K threads owns an epoll loop and a share of the N connections. The client is lean on
// purpose: plain TCP, the sans-I/O ws::ClientHandshake and ws::Engine, one read buffer per thread,
// level-triggered epoll, one send() per burst of output. Connections open in batches (a bounded
// number of handshakes in flight per thread), so the server's accept queue is never flooded.
//
// wss:// puts one sans-I/O tls::Connection under each engine: records are decrypted in the
// thread's read buffer and the engine reads the plaintext there; all the WebSocket output a
// connection queued in one pass goes to TLS in one send() (full records), then to the socket.
// ws:// connections have no tls::Connection and take the same path as before.
//
//   echo mode:   D messages in flight per connection, each echo triggers the next send; latency is
//                send time → echo receive time, echoes matched FIFO per connection.
//   idle mode:   N connections that only complete the handshake; the server's VmRSS before and
//                after gives its memory per idle connection.
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <bit>
#include <cerrno>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "commands.hpp"
#include "duplex/http/head.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/ws/engine.hpp"
#include "duplex/ws/handshake.hpp"
#include "duplex/net/url.hpp"
#include "options.hpp"
#include "tls_session.hpp"
#include "unix_time.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kBenchUsage = R"(usage: duplex bench ws[s]://HOST:PORT/PATH [OPTIONS]

Drives any WebSocket echo server and prints one line of figures on standard output.

  --connections N   connections to open (default 100)
  --size BYTES      payload of each message (default 32)
  --depth D         messages in flight per connection (default 1)
  --seconds T       measured time (default 5)
  --warmup W        unmeasured time after all connections are open (default 1)
  --threads K       client threads, each with its own epoll loop (default 1)
  --binary          send binary messages (default: text)

  wss:// (duplex's own TLS: 1.3, or 1.2 with a server that stops there) takes
  --versions 1.2,1.3            the TLS versions to offer (default both)
  --legacy-rsa-key-exchange     also offer TLS 1.2 RSA key transport
  and trusts the server by one of:
  --cafile FILE                 the roots in a PEM file
  --pin-sha256 BASE64           the SHA-256 of the server's SubjectPublicKeyInfo
  --insecure-no-verification    nothing: any certificate is accepted
  (none of them: the system's roots)

  --idle-memory     open N connections and send nothing; needs --server-pid
  --server-pid PID  the server process whose VmRSS is read before and after
  --settle S        seconds to wait after the last handshake before reading (default 2)

echo output:  connections=N size=S depth=D threads=K seconds=T msgs_per_sec=R p50_us=.. p99_us=..
              p999_us=.. client_cpu_pct=C open_s=O opens_per_sec=H errors=E
              (C: the generator's CPU, % of one core; O: time to open every connection (TCP, TLS
              and WebSocket handshakes), H = N / O)
idle output:  connections=N open=M rss_before_kib=.. rss_after_kib=.. bytes_per_connection=B errors=E
)";

using Clock = std::chrono::steady_clock;

std::int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch()).count();
}

struct BenchOptions {
  net::Url url;  // ws:// or wss://
  std::shared_ptr<const tls::CertificateVerifier> verifier;  // wss://: nullptr is the system's roots
  VersionOptions versions;                                   // wss://
  std::uint64_t connections = 100;
  std::uint64_t size = 32;
  std::uint64_t depth = 1;
  double seconds = 5;
  double warmup = 1;
  std::uint64_t threads = 1;
  bool binary = false;
  bool idle_memory = false;
  std::uint64_t server_pid = 0;
  double settle = 2;
};

Result<BenchOptions> parse_bench_options(std::span<const std::string_view> args) {
  const OptionSpec spec{
      .with_value = {"--connections", "--size", "--depth", "--seconds", "--warmup", "--threads",
                     "--server-pid", "--settle", "--cafile", "--pin-sha256", "--versions"},
      .flags = {"--binary", "--idle-memory", "--insecure-no-verification", "--help", "--legacy-rsa-key-exchange"},
  };
  auto parsed = Options::parse(args, spec);
  if (!parsed) return fail(parsed.error());
  const Options& o = *parsed;
  if (o.has("--help")) return fail(Error{0, ""});
  if (o.positional().size() != 1) return fail(Error{2, "bench wants exactly one URL"});
  BenchOptions b;
  auto url = net::parse_url(o.positional()[0]);
  if (!url) return fail(Error{2, url.error().message});
  b.url = std::move(*url);
  const bool trust_given = o.has("--cafile") || o.has("--pin-sha256") || o.has("--insecure-no-verification") ||
                           o.has("--versions") || o.has("--legacy-rsa-key-exchange");
  if (!b.url.secure && trust_given)
    return fail(Error{2, "--cafile, --pin-sha256, --insecure-no-verification, --versions and "
                         "--legacy-rsa-key-exchange are for wss:// URLs"});
  auto versions = read_version_options(o);
  if (!versions) return fail(Error{2, versions.error().message});
  b.versions = std::move(*versions);
  if (b.url.secure) {
    auto verifier = read_verifier(o);
    if (!verifier) return fail(Error{2, verifier.error().message});
    b.verifier = std::move(*verifier);
  }
  auto read_unsigned = [&](std::string_view name, std::uint64_t& field) -> Status<> {
    auto v = o.unsigned_value(name, field);
    if (!v) return fail(v.error());
    field = *v;
    return Unit{};
  };
  auto read_seconds = [&](std::string_view name, double& field) -> Status<> {
    auto v = o.seconds_value(name, field);
    if (!v) return fail(v.error());
    field = *v;
    return Unit{};
  };
  const std::pair<std::string_view, std::uint64_t*> whole_numbers[] = {
      {"--connections", &b.connections}, {"--size", &b.size}, {"--depth", &b.depth},
      {"--threads", &b.threads}, {"--server-pid", &b.server_pid}};
  for (auto [name, field] : whole_numbers)
    if (auto s = read_unsigned(name, *field); !s) return fail(s.error());
  const std::pair<std::string_view, double*> durations[] = {
      {"--seconds", &b.seconds}, {"--warmup", &b.warmup}, {"--settle", &b.settle}};
  for (auto [name, field] : durations)
    if (auto s = read_seconds(name, *field); !s) return fail(s.error());
  b.binary = o.has("--binary");
  b.idle_memory = o.has("--idle-memory");
  if (b.connections == 0 || b.depth == 0 || b.threads == 0)
    return fail(Error{2, "--connections, --depth and --threads must be at least 1"});
  if (b.threads > b.connections) b.threads = b.connections;
  if (b.idle_memory && b.server_pid == 0) return fail(Error{2, "--idle-memory needs --server-pid PID"});
  return b;
}

// Latencies in nanoseconds, log-linear buckets: 128 per power of two, so any percentile is within
// 1% of the truth, in a fixed 58 KiB per thread and with no allocation per message (HdrHistogram's
// idea, in its simplest form).
class Histogram {
 public:
  void record(std::int64_t ns) { ++counts_[index_of(static_cast<std::uint64_t>(std::max<std::int64_t>(ns, 0)))]; }
  void merge(const Histogram& other) {
    for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
  }
  // The value below which a fraction `q` of the samples lie, in nanoseconds (0 with no samples).
  double quantile(double q) const {
    std::uint64_t total = 0;
    for (auto c : counts_) total += c;
    if (total == 0) return 0;
    const auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(total)));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
      seen += counts_[i];
      if (seen >= std::max<std::uint64_t>(rank, 1)) return midpoint_of(i);
    }
    return midpoint_of(counts_.size() - 1);
  }

 private:
  static constexpr int kSubBits = 7;
  static constexpr std::uint64_t kSub = 1u << kSubBits;
  static std::size_t index_of(std::uint64_t v) {
    if (v < kSub) return v;
    const int shift = std::bit_width(v) - 1 - kSubBits;
    return (static_cast<std::size_t>(shift) + 1) * kSub + ((v >> shift) - kSub);
  }
  static double midpoint_of(std::size_t index) {
    if (index < kSub) return static_cast<double>(index);
    const int shift = static_cast<int>(index / kSub) - 1;
    const double low = static_cast<double>((index % kSub + kSub) << shift);
    return low + static_cast<double>(std::uint64_t{1} << shift) / 2;
  }
  std::array<std::uint64_t, (64 - kSubBits + 1) * kSub> counts_{};
};

// What every worker reads; written by the main thread before the workers start, except the
// atomics, which carry the phases.
struct Shared {
  BenchOptions options;
  sockaddr_storage address{};
  socklen_t address_length = 0;
  std::string host_field;  // Host: value
  ws::Config config;
  std::shared_ptr<const tls::ClientConfig> tls_config;  // null for ws://
  std::vector<std::uint8_t> payload;
  std::atomic<std::uint64_t> opened{0};
  std::atomic<std::uint64_t> failed{0};
  // Echoes received in [measure_from, measure_until) count; after measure_until nothing is sent.
  std::atomic<std::int64_t> measure_from{INT64_MAX};
  std::atomic<std::int64_t> measure_until{INT64_MAX};
  // Set once every connection is open (or has failed): echoes start together, so the ramp is not
  // slowed by a server already busy echoing, and every connection gets the whole warm-up.
  std::atomic<bool> go{false};
  std::atomic<bool> stop{false};
};

class Worker {
 public:
  Worker(Shared& shared, std::uint64_t connections) : shared_(shared), to_open_(connections) {}
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  ~Worker() {
    for (auto& c : connections_)
      if (c->fd >= 0) ::close(c->fd);
    if (epoll_ >= 0) ::close(epoll_);
  }

  void run();

  const Histogram& histogram() const { return histogram_; }
  std::uint64_t measured() const { return measured_; }
  std::uint64_t errors() const { return errors_; }
  std::uint64_t open_count() const { return open_count_; }
  // When this thread's last connection finished its WebSocket handshake (now_ns(); 0: none did).
  std::int64_t last_open_ns() const { return last_open_ns_; }

 private:
  // wss:// goes connecting → tls_handshaking → handshaking → open; ws:// skips tls_handshaking.
  enum class State : std::uint8_t { connecting, tls_handshaking, handshaking, open, closed };
  struct Connection {
    int fd = -1;
    State state = State::connecting;
    bool writing = false;  // EPOLLOUT is armed
    std::optional<tls::Connection> tls;  // wss:// only
    std::optional<ws::ClientHandshake> handshake;
    std::size_t request_sent = 0;
    std::string response;
    std::optional<ws::Engine> engine;
    // Send times of the messages in flight, oldest first (a ring of `depth` slots).
    std::vector<std::int64_t> sent_at;
    std::size_t oldest = 0;
    std::size_t in_flight = 0;
  };

  // Handshakes in flight per thread: enough to open 10 000 connections in well under a second,
  // few enough that the server's listen backlog (often 128 or 511) never overflows.
  static constexpr std::size_t kMaxOpening = 64;
  static constexpr int kMaxReportedErrors = 5;

  void open_more();
  void start_sending();
  void open_one();
  void on_event(Connection& c, std::uint32_t events);
  void on_connected(Connection& c);
  void start_upgrade(Connection& c);
  void write_request(Connection& c);
  void read_response(Connection& c);
  bool take_response(Connection& c, std::span<const std::uint8_t> bytes);
  void read_frames(Connection& c);
  bool take_frames(Connection& c, std::span<std::uint8_t> bytes);
  void start_tls(Connection& c);
  void read_tls(Connection& c);
  void write_tls(Connection& c);
  void send_message(Connection& c, std::int64_t now);
  void flush(Connection& c);
  void arm(Connection& c, bool want_write);
  void fail(Connection& c, const std::string& why);

  Shared& shared_;
  std::uint64_t to_open_;
  std::size_t opening_ = 0;
  int epoll_ = -1;
  std::vector<std::unique_ptr<Connection>> connections_;
  std::vector<std::uint8_t> read_buffer_ = std::vector<std::uint8_t>(64 * 1024);
  Histogram histogram_;
  std::uint64_t measured_ = 0;
  std::uint64_t errors_ = 0;
  std::uint64_t open_count_ = 0;
  std::int64_t last_open_ns_ = 0;
  int reported_ = 0;
  bool sending_ = false;
};

void Worker::run() {
  epoll_ = ::epoll_create1(EPOLL_CLOEXEC);
  if (epoll_ < 0) {
    std::fprintf(stderr, "duplex bench: epoll_create1: %s\n", std::strerror(errno));
    errors_ += to_open_;
    shared_.failed += to_open_;
    return;
  }
  connections_.reserve(to_open_);
  open_more();
  std::array<epoll_event, 256> events;
  while (!shared_.stop.load(std::memory_order_relaxed)) {
    const int n = ::epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), 20);
    for (int i = 0; i < n; ++i) on_event(*static_cast<Connection*>(events[i].data.ptr), events[i].events);
    open_more();  // replaces the handshakes that finished or failed
    if (!sending_ && shared_.go.load(std::memory_order_acquire)) start_sending();
  }
}

void Worker::open_more() {
  while (opening_ < kMaxOpening && to_open_ > 0) {
    --to_open_;
    open_one();
  }
}

void Worker::open_one() {
  auto& c = *connections_.emplace_back(std::make_unique<Connection>());
  ++opening_;
  c.fd = ::socket(shared_.address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c.fd < 0) return fail(c, std::string("socket: ") + std::strerror(errno));
  const int one = 1;
  ::setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (::connect(c.fd, reinterpret_cast<const sockaddr*>(&shared_.address), shared_.address_length) < 0 &&
      errno != EINPROGRESS)
    return fail(c, std::string("connect: ") + std::strerror(errno));
  epoll_event ev{.events = EPOLLOUT, .data = {.ptr = &c}};
  c.writing = true;
  if (::epoll_ctl(epoll_, EPOLL_CTL_ADD, c.fd, &ev) < 0) return fail(c, std::string("epoll_ctl: ") + std::strerror(errno));
}

void Worker::on_event(Connection& c, std::uint32_t events) {
  if (c.tls && c.state != State::connecting) {
    if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) read_tls(c);
    if (c.state != State::closed && (events & EPOLLOUT)) write_tls(c);
    return;
  }
  switch (c.state) {
    case State::connecting:
      return on_connected(c);
    case State::tls_handshaking:
      return;  // only with c.tls, handled above
    case State::handshaking:
      if (events & EPOLLOUT) write_request(c);
      if (c.state == State::handshaking && (events & (EPOLLIN | EPOLLERR | EPOLLHUP))) read_response(c);
      return;
    case State::open:
      if (events & (EPOLLIN | EPOLLERR | EPOLLHUP)) read_frames(c);
      if (c.state == State::open && (events & EPOLLOUT)) flush(c);
      return;
    case State::closed:
      return;
  }
}

void Worker::on_connected(Connection& c) {
  int error = 0;
  socklen_t length = sizeof error;
  ::getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &length);
  if (error != 0) return fail(c, std::string("connect: ") + std::strerror(error));
  if (shared_.tls_config) return start_tls(c);
  start_upgrade(c);
  write_request(c);
}

// The WebSocket opening handshake begins: its request is ready to send.
void Worker::start_upgrade(Connection& c) {
  c.state = State::handshaking;
  ws::ClientHandshakeOptions options;
  options.host = shared_.host_field;
  options.target = shared_.options.url.target;
  c.handshake.emplace(std::move(options));
}

void Worker::write_request(Connection& c) {
  const std::string& request = c.handshake->request();
  while (c.request_sent < request.size()) {
    const ssize_t n = ::send(c.fd, request.data() + c.request_sent, request.size() - c.request_sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) return arm(c, true);
    if (n < 0) return fail(c, std::string("send: ") + std::strerror(errno));
    c.request_sent += static_cast<std::size_t>(n);
  }
  arm(c, false);
}

void Worker::read_response(Connection& c) {
  const ssize_t n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
  if (n < 0 && errno == EAGAIN) return;
  if (n < 0) return fail(c, std::string("recv: ") + std::strerror(errno));
  if (n == 0) return fail(c, "the server closed the connection during the handshake");
  take_response(c, std::span(read_buffer_.data(), static_cast<std::size_t>(n)));
}

// Bytes of the handshake response (plaintext); false when the connection failed.
bool Worker::take_response(Connection& c, std::span<const std::uint8_t> received) {
  c.response.append(reinterpret_cast<const char*>(received.data()), received.size());
  const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(c.response.data()), c.response.size());
  const auto end = http::find_head_end(bytes);
  if (!end) {
    if (c.response.size() > http::kDefaultMaxHeadBytes) return fail(c, "the handshake response head is too long"), false;
    return true;
  }
  auto head = http::parse_response_head(bytes.first(*end));
  if (!head) return fail(c, "bad handshake response: " + head.error().message), false;
  if (auto accepted = c.handshake->check_response(*head); !accepted)
    return fail(c, "handshake refused: " + accepted.error().message), false;

  c.state = State::open;
  c.handshake.reset();
  c.engine.emplace(ws::Role::client, shared_.config);
  --opening_;
  ++open_count_;
  last_open_ns_ = now_ns();
  shared_.opened.fetch_add(1, std::memory_order_relaxed);

  // Bytes after the head are already frames (a server may greet first).
  std::vector<std::uint8_t> rest(c.response.begin() + static_cast<std::ptrdiff_t>(*end), c.response.end());
  std::string().swap(c.response);
  if (!rest.empty()) {
    c.engine->receive(rest);
    while (auto event = c.engine->next_event()) {
      if (auto* failure = std::get_if<ws::Failure>(&*event)) return fail(c, failure->message), false;
    }
  }
  return true;
}

void Worker::start_sending() {
  sending_ = true;
  for (auto& c : connections_) {
    if (c->state != State::open) continue;
    c->sent_at.assign(shared_.options.depth, 0);
    const std::int64_t now = now_ns();
    for (std::uint64_t i = 0; i < shared_.options.depth; ++i) send_message(*c, now);
    flush(*c);
  }
}

void Worker::send_message(Connection& c, std::int64_t now) {
  const auto type = shared_.options.binary ? ws::MessageType::binary : ws::MessageType::text;
  c.engine->send(type, shared_.payload);
  c.sent_at[(c.oldest + c.in_flight) % c.sent_at.size()] = now;
  ++c.in_flight;
}

void Worker::read_frames(Connection& c) {
  const ssize_t n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
  if (n < 0 && errno == EAGAIN) return;
  if (n < 0) return fail(c, std::string("recv: ") + std::strerror(errno));
  if (n == 0) {
    if (shared_.stop.load(std::memory_order_relaxed)) return;
    return fail(c, "the server closed the connection");
  }
  if (take_frames(c, std::span(read_buffer_.data(), static_cast<std::size_t>(n)))) flush(c);
}

// WebSocket bytes (plaintext) of an open connection: echoes are counted and answered with the
// next message, queued in the engine. False when the connection failed.
bool Worker::take_frames(Connection& c, std::span<std::uint8_t> bytes) {
  c.engine->receive(bytes);
  const std::int64_t from = shared_.measure_from.load(std::memory_order_relaxed);
  const std::int64_t until = shared_.measure_until.load(std::memory_order_relaxed);
  std::int64_t now = 0;
  while (auto event = c.engine->next_event()) {
    if (auto* message = std::get_if<ws::Message>(&*event)) {
      if (c.in_flight == 0) return fail(c, "the server sent a message nobody asked for"), false;
      if (message->payload.size() != shared_.payload.size())
        return fail(c, "the echo's size differs from the message's"), false;
      if (now == 0) now = now_ns();  // one clock read per burst of echoes read together
      const std::int64_t sent = c.sent_at[c.oldest];
      c.oldest = (c.oldest + 1) % c.sent_at.size();
      --c.in_flight;
      if (now >= from && now < until) {
        ++measured_;
        histogram_.record(now - sent);
      }
      if (now < until) send_message(c, now);
    } else if (auto* failure = std::get_if<ws::Failure>(&*event)) {
      return fail(c, failure->message), false;
    } else if (auto* close = std::get_if<ws::CloseReceived>(&*event)) {
      return fail(c, "the server closed the WebSocket: " + ws::to_string(close->code)), false;
    }
    // Ping: the engine queued the pong; Pong: nothing to do.
  }
  return true;
}

void Worker::flush(Connection& c) {
  auto& engine = *c.engine;
  if (c.tls) {
    // Everything the engine queued in this pass, in one send: records as full as they can be.
    if (engine.buffered_amount() > 0) {
      if (auto sent = c.tls->send(engine.pending_output()); !sent) return fail(c, "TLS: " + sent.error().message);
      engine.consume_output(engine.buffered_amount());
    }
    return write_tls(c);
  }
  while (engine.buffered_amount() > 0) {
    const auto out = engine.pending_output();
    const ssize_t n = ::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) return arm(c, true);
    if (n < 0) return fail(c, std::string("send: ") + std::strerror(errno));
    engine.consume_output(static_cast<std::size_t>(n));
  }
  arm(c, false);
}

void Worker::start_tls(Connection& c) {
  c.state = State::tls_handshaking;
  auto connection = tls::Connection::client(shared_.tls_config, shared_.options.url.host, unix_now());
  if (!connection) return fail(c, "TLS: " + connection.error().message);
  c.tls.emplace(std::move(*connection));
  write_tls(c);  // the ClientHello
}

// Reads records, decrypts them in the read buffer and hands the plaintext to the handshake
// response or the engine, then sends what they queued.
void Worker::read_tls(Connection& c) {
  const ssize_t n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
  if (n < 0 && errno == EAGAIN) return;
  if (n < 0) return fail(c, std::string("recv: ") + std::strerror(errno));
  if (n == 0) {
    if (shared_.stop.load(std::memory_order_relaxed)) return;
    return fail(c, c.state == State::open ? "the server closed the connection"
                                          : "the server closed the connection during the handshake");
  }
  c.tls->receive(std::span(read_buffer_.data(), static_cast<std::size_t>(n)));
  while (auto event = c.tls->next_event()) {
    if (auto* data = std::get_if<tls::ApplicationData>(&*event)) {
      // The engine is done with the record's bytes when its next_event() returns nullopt, before
      // the next record is opened. TLS yields no application data before HandshakeComplete, so the
      // state is handshaking or open here.
      const bool alive = c.state == State::open ? take_frames(c, data->data) : take_response(c, data->data);
      if (!alive) return;
    } else if (std::holds_alternative<tls::HandshakeComplete>(*event)) {
      start_upgrade(c);
      const std::string& request = c.handshake->request();
      if (auto sent = c.tls->send(std::span(reinterpret_cast<const std::uint8_t*>(request.data()), request.size()));
          !sent)
        return fail(c, "TLS: " + sent.error().message);
    } else if (std::holds_alternative<tls::Failure>(*event)) {
      return fail(c, "TLS: " + tls::to_string(*event));
    } else if (std::holds_alternative<tls::CloseNotify>(*event)) {
      if (shared_.stop.load(std::memory_order_relaxed)) return;
      return fail(c, "the server ended TLS (close_notify)");
    }
    // PeerKeyUpdate: the engine queued our answer when one was asked for.
  }
  if (c.engine) return flush(c);
  write_tls(c);
}

// Writes the records TLS has ready; EPOLLOUT stays armed while the socket is full.
void Worker::write_tls(Connection& c) {
  auto& tls = *c.tls;
  for (auto out = tls.pending_output(); !out.empty(); out = tls.pending_output()) {
    const ssize_t n = ::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EAGAIN) return arm(c, true);
    if (n < 0) return fail(c, std::string("send: ") + std::strerror(errno));
    tls.consume_output(static_cast<std::size_t>(n));
  }
  arm(c, false);
}

void Worker::arm(Connection& c, bool want_write) {
  if (c.writing == want_write) return;
  c.writing = want_write;
  epoll_event ev{.events = want_write ? EPOLLIN | EPOLLOUT : EPOLLIN, .data = {.ptr = &c}};
  ::epoll_ctl(epoll_, EPOLL_CTL_MOD, c.fd, &ev);
}

void Worker::fail(Connection& c, const std::string& why) {
  if (c.state == State::connecting || c.state == State::tls_handshaking || c.state == State::handshaking) {
    --opening_;
    shared_.failed.fetch_add(1, std::memory_order_relaxed);
  } else if (c.state == State::open) {
    --open_count_;
  }
  ++errors_;
  if (reported_++ < kMaxReportedErrors) std::fprintf(stderr, "duplex bench: %s\n", why.c_str());
  if (c.fd >= 0) ::close(c.fd);  // also removes it from the epoll set
  c.fd = -1;
  c.state = State::closed;
  c.engine.reset();
  c.handshake.reset();
  c.tls.reset();
}

Status<> resolve(Shared& shared) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const net::Url& url = shared.options.url;
  const std::string port = std::to_string(url.port);
  const int rc = ::getaddrinfo(url.host.c_str(), port.c_str(), &hints, &found);
  if (rc != 0) return fail(Error{1, "cannot resolve " + url.host + ": " + ::gai_strerror(rc)});
  std::memcpy(&shared.address, found->ai_addr, found->ai_addrlen);
  shared.address_length = found->ai_addrlen;
  ::freeaddrinfo(found);
  shared.host_field = url.host_field();
  return Unit{};
}

// Each connection takes a descriptor; 10 000 idle connections need more than the usual 1024.
void raise_descriptor_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

// VmRSS of a process, in KiB, from /proc/PID/status.
std::optional<std::uint64_t> resident_kib(std::uint64_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmRSS:")) return std::strtoull(line.c_str() + 6, nullptr, 10);
  }
  return std::nullopt;
}

void sleep_seconds(double seconds) {
  if (seconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
}

// User plus system time of the whole process (all threads), in seconds.
double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Waits until every connection is open or has failed; false after `limit` seconds.
bool wait_for_handshakes(const Shared& shared, double limit) {
  const auto deadline = Clock::now() + std::chrono::duration<double>(limit);
  while (shared.opened.load() + shared.failed.load() < shared.options.connections) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

}  // namespace

int run_bench(std::span<const std::string_view> args) {
  auto parsed = parse_bench_options(args);
  if (!parsed) {
    if (parsed.error().code == 0) {
      std::fputs(kBenchUsage, stdout);
      return 0;
    }
    std::fprintf(stderr, "duplex bench: %s\n\n%s", parsed.error().message.c_str(), kBenchUsage);
    return 2;
  }
  Shared shared;
  shared.options = std::move(*parsed);
  const BenchOptions& o = shared.options;
  if (auto s = resolve(shared); !s) {
    std::fprintf(stderr, "duplex bench: %s\n", s.error().message.c_str());
    return 1;
  }
  raise_descriptor_limit();
  shared.payload.assign(o.size, 'x');  // ASCII: valid UTF-8 for text messages
  // One key share, X25519, as browsers send: the generator's handshake costs less, so the rate
  // of opening says more about the server (a server without X25519 costs a HelloRetryRequest).
  if (o.url.secure) {
    auto config = std::make_shared<tls::ClientConfig>(
        tls::ClientConfig{.verifier = o.verifier, .key_share_groups = {tls::NamedGroup::x25519}});
    o.versions.apply_to(*config);
    shared.tls_config = std::move(config);
  }

  std::optional<std::uint64_t> rss_before;
  if (o.idle_memory) {
    rss_before = resident_kib(o.server_pid);
    if (!rss_before) {
      std::fprintf(stderr, "duplex bench: cannot read /proc/%" PRIu64 "/status\n", o.server_pid);
      return 1;
    }
  }

  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  for (std::uint64_t i = 0; i < o.threads; ++i) {
    const std::uint64_t share = o.connections / o.threads + (i < o.connections % o.threads ? 1 : 0);
    workers.push_back(std::make_unique<Worker>(shared, share));
  }
  const auto opening_started = Clock::now();
  const std::int64_t opening_started_ns = now_ns();
  for (auto& w : workers) threads.emplace_back([&w] { w->run(); });

  auto finish = [&] {
    shared.stop = true;
    for (auto& t : threads) t.join();
    std::uint64_t errors = 0;
    for (auto& w : workers) errors += w->errors();
    return errors;
  };

  const bool all_settled = wait_for_handshakes(shared, 60);
  const double open_seconds = std::chrono::duration<double>(Clock::now() - opening_started).count();
  std::fprintf(stderr, "duplex bench: %" PRIu64 " of %" PRIu64 " connections open in %.2f s\n",
               shared.opened.load(), o.connections, open_seconds);
  if (!all_settled) std::fprintf(stderr, "duplex bench: some handshakes did not finish within 60 s\n");

  if (o.idle_memory) {
    sleep_seconds(o.settle);
    const auto rss_after = resident_kib(o.server_pid);
    std::uint64_t open = 0;
    for (auto& w : workers) open += w->open_count();
    const std::uint64_t errors = finish();
    if (!rss_after) {
      std::fprintf(stderr, "duplex bench: the server (pid %" PRIu64 ") is gone\n", o.server_pid);
      return 1;
    }
    const double per_connection =
        open == 0 ? 0.0 : (static_cast<double>(*rss_after) - static_cast<double>(*rss_before)) * 1024.0 / static_cast<double>(open);
    std::printf("connections=%" PRIu64 " open=%" PRIu64 " rss_before_kib=%" PRIu64 " rss_after_kib=%" PRIu64
                " bytes_per_connection=%.0f errors=%" PRIu64 "\n",
                o.connections, open, *rss_before, *rss_after, per_connection, errors);
    return errors == 0 ? 0 : 1;
  }

  // Nothing to measure when no connection opened: say so now rather than after the warm-up.
  const bool any_open = shared.opened.load() > 0;
  const std::int64_t from = now_ns() + (any_open ? static_cast<std::int64_t>(o.warmup * 1e9) : 0);
  const std::int64_t until = from + (any_open ? static_cast<std::int64_t>(o.seconds * 1e9) : 0);
  shared.measure_from = from;
  shared.measure_until = until;
  shared.go = true;
  // The generator's own CPU time over the measured window: near 100% per thread means the
  // generator, not the server, may be the bottleneck (add --threads or a core).
  sleep_seconds(static_cast<double>(from - now_ns()) / 1e9);
  const double cpu_from = process_cpu_seconds();
  sleep_seconds(static_cast<double>(until - now_ns()) / 1e9);
  const double cpu_used = process_cpu_seconds() - cpu_from;
  sleep_seconds(0.05);
  const std::uint64_t errors = finish();

  // Until the last handshake, not until the main thread noticed it (it polls); read after the
  // workers are joined.
  std::int64_t last_open_ns = 0;
  for (auto& w : workers) last_open_ns = std::max(last_open_ns, w->last_open_ns());
  const double opened_in = last_open_ns > 0 ? static_cast<double>(last_open_ns - opening_started_ns) / 1e9 : 0.0;
  const std::uint64_t opened_count = shared.opened.load();

  Histogram latency;
  std::uint64_t measured = 0;
  for (auto& w : workers) {
    latency.merge(w->histogram());
    measured += w->measured();
  }
  std::printf("connections=%" PRIu64 " size=%" PRIu64 " depth=%" PRIu64 " threads=%" PRIu64
              " seconds=%g msgs_per_sec=%.0f p50_us=%.1f p99_us=%.1f p999_us=%.1f client_cpu_pct=%.0f"
              " open_s=%.3f opens_per_sec=%.0f errors=%" PRIu64 "\n",
              o.connections, o.size, o.depth, o.threads, o.seconds,
              o.seconds > 0 ? static_cast<double>(measured) / o.seconds : 0.0, latency.quantile(0.50) / 1e3,
              latency.quantile(0.99) / 1e3, latency.quantile(0.999) / 1e3,
              o.seconds > 0 ? 100.0 * cpu_used / o.seconds : 0.0, opened_in,
              opened_in > 0 ? static_cast<double>(opened_count) / opened_in : 0.0, errors);
  return errors == 0 ? 0 : 1;
}

}  // namespace duplex::tool
