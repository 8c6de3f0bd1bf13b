// A TLS 1.3 connection, client or server, sans-I/O (DESIGN.md principle 1): bytes in, bytes and
// events out, the time passed in. The epoll runtime, the tests, the fuzzers and `duplex tls` all
// drive this one object:
//
//   bytes from the transport ──► receive(span) ──► next_event() … until nullopt
//   application ───────────────► send(data) / send_close_notify() / send_key_update()
//   pending_output() ──────────► bytes for the transport, then consume_output(n)
//
// receive() takes the caller's *mutable* buffer: records are decrypted where they lie (rustls'
// design, STYLE example 2) and ApplicationData events are views into that buffer. Only a record
// split across receive() calls is copied aside. Events are decoded lazily, one next_event() at a
// time, so a view stays valid until the next next_event() or receive(); the caller keeps its
// buffer unchanged until next_event() returns nullopt.
//
// The handshake runs inside: a client's ClientHello is in pending_output() as soon as it is made;
// HandshakeComplete comes when application data may flow. Every failure ends the connection with
// one Failure event, the alert (already queued in pending_output() when it is ours) and a
// sentence naming the cause.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "duplex/crypto/secret.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/key_update.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/new_session_ticket.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {

// What was negotiated, filled in as the handshake goes (all set at HandshakeComplete).
struct HandshakeSummary {
  // tls1_3 or tls1_2 once the hellos agreed (RFC 8446 §4.2.1); none before.
  ProtocolVersion version{};
  CipherSuite cipher_suite{};
  NamedGroup group{};  // the (EC)DHE group; none for TLS 1.2 RSA key transport
  bool hello_retry_request = false;
  // The scheme of the server's CertificateVerify (either role sees it).
  SignatureScheme server_signature_scheme{};
  // The client's, when it authenticated with a certificate.
  std::optional<SignatureScheme> client_signature_scheme;
  std::string alpn_protocol;  // empty when none was negotiated
  std::string server_name;    // the SNI the client sent (empty if none)
  // The peer's certificates, DER, end-entity first (empty when a client sent none).
  std::vector<std::vector<std::uint8_t>> peer_certificates;
  // TLS 1.2: the master secret is RFC 7627's extended one (the peer agreed to it). TLS 1.3's key
  // schedule binds the whole handshake by design, so it says true there too.
  bool extended_master_secret = false;
  // RFC 8449: the limit the peer set on the records we send, when it sent one.
  std::optional<std::uint16_t> peer_record_size_limit;
};

// The handshake finished: application data may be sent and will arrive.
struct HandshakeComplete {};
// Application data, decrypted in place: a view into the buffer given to receive().
struct ApplicationData {
  std::span<std::uint8_t> data;
};
// The peer sent close_notify (RFC 8446 §6.1): it will send nothing more. We may still send; call
// send_close_notify() to close our side too.
struct CloseNotify {};
// The peer updated its sending keys (RFC 8446 §4.6.3); when it asked us to update ours, our
// KeyUpdate is already queued.
struct PeerKeyUpdate {
  bool update_requested = false;
};
// Who ended the connection.
enum class FailureOrigin : std::uint8_t {
  local,       // we found the fault; `error.alert` is the alert we sent (already queued)
  peer_alert,  // the peer sent the fatal alert `error.alert`
  transport,   // the transport ended before close_notify (no alert; `error.alert` is close_notify)
};
// The connection is over, with a sentence naming the cause.
struct Failure {
  TlsError error;
  FailureOrigin origin = FailureOrigin::local;
};

using Event = std::variant<HandshakeComplete, ApplicationData, CloseNotify, PeerKeyUpdate, Failure>;

// "handshake complete", "application data (12 bytes)", "failure: sent decode_error: ...".
std::string to_string(const Event& event);

class Connection {
 public:
  // A client for `server_name` (a DNS name, sent as SNI, or an IP literal, not sent): the
  // ClientHello is queued at once. `now` (Unix seconds) is what certificates are checked against.
  // Fails (internal_error) for a configuration that cannot make a ClientHello.
  static Result<Connection> client(std::shared_ptr<const ClientConfig> config, std::string server_name,
                                   std::int64_t now);
  // A server; it waits for the ClientHello. Fails for a configuration without certificates, or
  // one that asks for client certificates without a client_verifier.
  static Result<Connection> server(std::shared_ptr<const ServerConfig> config, std::int64_t now);

  ~Connection();
  Connection(Connection&&) noexcept;
  Connection& operator=(Connection&&) noexcept;

  // Bytes from the transport. The buffer stays the caller's; it must be left untouched until
  // next_event() returns nullopt (records are decrypted in it).
  void receive(std::span<std::uint8_t> bytes);
  // The same, with the time now in Unix milliseconds, which the connection keeps from then on:
  // what certificates are checked against, and what ticket ages are measured with (RFC 8446
  // §4.6.1). The runtime passes its loop's clock on every read.
  void receive(std::span<std::uint8_t> bytes, std::int64_t now_unix_ms);
  // The transport ended. Without the peer's close_notify first this is a Failure (a truncation
  // an attacker could cause, RFC 8446 §6.1).
  void receive_eof();
  std::optional<Event> next_event();

  // Application data, cut into records no larger than the peer allows. internal_error before
  // HandshakeComplete or after the connection ended or we closed our side.
  Status send(std::span<const std::uint8_t> data);
  // RFC 8446 §6.1: closes our sending side; nothing is sent after it.
  void send_close_notify();
  // RFC 8446 §4.6.3: a KeyUpdate, and new sending keys after it. With update_requested, the peer
  // answers with its own.
  Status send_key_update(KeyUpdateRequest request);

  std::span<const std::uint8_t> pending_output() const;
  void consume_output(std::size_t count);
  // Frees the output and carry-over buffers when nothing waits in them, so an idle connection
  // holds only its keys (the runtime calls it after a flush, as it does for the WebSocket engine).
  void release_idle_memory();

  bool is_client() const;
  bool handshake_complete() const;
  // True once the connection failed, or both sides sent close_notify.
  bool is_closed() const;
  // Whether we may still send: after HandshakeComplete and before our close_notify or a failure.
  bool can_send() const;
  const HandshakeSummary& summary() const;
  // RFC 8446 §4.6.1: the tickets the server sent (the last 8 are kept; resumption comes later).
  std::span<const NewSessionTicket> session_tickets() const;

  // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored."
  // Once the connection has ended for reading (the peer's close_notify, or a failure), what
  // receive() is given is dropped at once, never buffered; this counts those bytes, and the unread
  // rest of the input when the end came (the bytes after the close_notify or failing record).
  std::size_t bytes_discarded_after_close() const;
  // The memory held for input between receive() calls (a record split across reads, copied
  // aside): 0 when nothing is held, and always 0 once the connection ended for reading.
  std::size_t buffered_input_capacity() const;

  // RFC 8446 §7.5 exporter (after HandshakeComplete).
  Result<crypto::Secret> export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                                std::size_t length) const;

  struct Impl;

 private:
  explicit Connection(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace duplex::tls
