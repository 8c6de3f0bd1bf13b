// Private to src/tls: the state of a Connection. connection.cpp reads records and hands out
// events; connection_output.cpp writes records (handshake, alerts, application data).
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <vector>

#include "client/handshake.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/tls/handshake.hpp"
#include "duplex/tls/record_protection.hpp"
#include "handshake_io.hpp"
#include "server/handshake.hpp"

namespace duplex::tls {

struct Connection::Impl final : detail::HandshakeIo {
  Impl(std::int64_t now, std::size_t max_handshake_message_size, KeyLogSink key_log, TraceSink trace)
      : now_ms_(now * 1000), reassembler_(max_handshake_message_size), key_log_(std::move(key_log)), trace_(std::move(trace)) {}

  // ---- detail::HandshakeIo (what the state machines call) ----
  void write_handshake(const HandshakeMessage& message) override;
  void write_change_cipher_spec() override;
  Status set_read_protection(RecordDecrypter protection) override;
  void set_write_protection(RecordEncrypter protection) override;
  void set_record_size_limits(std::optional<std::uint16_t> ours, std::optional<std::uint16_t> peers) override;
  void set_client_random(std::span<const std::uint8_t> client_random) override;
  void log_secret(std::string_view label, const crypto::Secret& secret) override;
  std::int64_t now() const override { return now_ms_ / 1000; }
  std::int64_t now_ms() const override { return now_ms_; }
  HandshakeSummary& summary() override { return summary_; }
  void handshake_complete(detail::HandshakeOutcome outcome) override;

  // ---- reading (connection.cpp) ----
  std::optional<Event> next_event();
  // Nothing more is read once the peer's close_notify arrived or the connection failed.
  bool input_ended() const { return failed_ || peer_closed_; }
  // Drops and counts the input not yet read and frees the buffers that held it.
  void discard_input();
  // The next whole record, from the stash or the caller's buffer; nullopt when more bytes are
  // needed (what is left of the caller's buffer is then stashed).
  std::optional<std::span<std::uint8_t>> next_record();
  std::optional<Event> process_record(std::span<std::uint8_t> record);
  void process_handshake(std::span<const std::uint8_t> content);
  void process_change_cipher_spec(std::span<const std::uint8_t> content);
  void process_alert(std::span<const std::uint8_t> content);
  Status handle_handshake_message(const HandshakeMessage& message);
  Status handle_post_handshake_message(const HandshakeMessage& message);
  Status handle_post_handshake_message(detail::Tls13Outcome& outcome, const HandshakeMessage& message);
  Status handle_post_handshake_message(detail::Tls12Outcome& outcome, const HandshakeMessage& message);
  bool change_cipher_spec_allowed() const;

  // ---- writing (connection_output.cpp) ----
  // Buffered handshake bytes go out as records at each key change and after each flight.
  void flush_handshake();
  void write_plaintext_record(ContentType type, std::span<const std::uint8_t> content);
  void write_protected_record(ContentType type, std::span<const std::uint8_t> content);
  void write_record(ContentType type, std::span<const std::uint8_t> content);
  Status write_application_data(std::span<const std::uint8_t> data);
  Status update_write_keys(KeyUpdateRequest request);
  void send_alert(AlertLevel level, AlertDescription description);
  // Ends the connection: sends the alert (for a local fault) and queues the Failure event.
  void fail(TlsError error, FailureOrigin origin = FailureOrigin::local);

  bool is_client() const { return client_; }
  // Once the handshake is done: its state machine, transcript and buffers are not needed again.
  void release_handshake();
  bool handshake_done() const { return outcome_.has_value(); }

  std::int64_t now_ms_;  // Unix milliseconds: given at construction (in seconds), then by receive()
  bool client_ = false;
  std::optional<detail::ClientHandshake> client_handshake_;
  std::optional<detail::ServerHandshake> server_handshake_;
  HandshakeReassembler reassembler_;
  KeyLogSink key_log_;
  TraceSink trace_;
  HandshakeSummary summary_;

  // Records.
  std::optional<RecordDecrypter> read_protection_;
  std::optional<RecordEncrypter> write_protection_;
  std::optional<std::uint16_t> our_record_size_limit_;
  std::optional<std::uint16_t> peer_record_size_limit_;
  std::array<std::uint8_t, 32> client_random_{};
  bool have_client_random_ = false;
  bool initial_client_hello_written_ = false;  // records after it say 0x0303 (§5.1)
  // RFC 8446 §5: unprotected change_cipher_spec records are dropped during the handshake; §D.4's
  // middlebox compatibility sends one, and a bound keeps a flood of them finite.
  static constexpr int kMaxChangeCipherSpecs = 32;
  int change_cipher_specs_received_ = 0;
  bool alert_sent_ = false;  // a fatal one: nothing but close_notify goes out after it
  bool renegotiation_refused_ = false;  // TLS 1.2: our no_renegotiation went out once
  // The state machine is at a message boundary that changes keys: more bytes in the same record
  // would span the key change (RFC 8446 §5.1).
  bool key_changed_in_record_ = false;

  // After the handshake: the current application traffic secrets (KeyUpdate derives the next).
  std::optional<detail::HandshakeOutcome> outcome_;
  std::vector<NewSessionTicket> session_tickets_;

  // Input: the caller's bytes not yet read, and a record split across receive() calls.
  std::span<std::uint8_t> input_;
  std::vector<std::uint8_t> stash_;
  std::size_t stash_start_ = 0;  // stash_ bytes before it were handed out as records
  bool eof_ = false;
  std::size_t discarded_after_close_ = 0;  // input dropped after the peer's close_notify or a failure

  // Output.
  std::vector<std::uint8_t> handshake_out_;  // handshake bytes not yet in records
  std::vector<std::uint8_t> out_;
  std::size_t out_consumed_ = 0;

  std::deque<Event> events_;
  bool failed_ = false;
  bool peer_closed_ = false;  // close_notify received
  bool we_closed_ = false;    // close_notify sent
};

}  // namespace duplex::tls
