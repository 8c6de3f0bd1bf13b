// Private to src/tls: what a handshake state machine (client_handshake.cpp, server_handshake.cpp)
// may do to its connection. The Connection implements it; the state machines own the transcript,
// the key schedule and every decision, and the connection owns records, buffers and events.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <variant>

#include "duplex/crypto/secret.hpp"
#include "duplex/tls/connection.hpp"
#include "duplex/tls/error.hpp"
#include "duplex/tls/handshake.hpp"
#include "duplex/tls/record_protection.hpp"
#include "duplex/tls/tls12_key_schedule.hpp"
#include "duplex/tls/traffic_keys.hpp"

namespace duplex::tls::detail {

// What a TLS 1.3 handshake hands over, so the connection can run KeyUpdate (RFC 8446 §4.6.3,
// §7.2) and the exporter (§7.5), and resumption can make tickets (§4.6.1).
struct Tls13Outcome {
  Tls13Suite suite;
  crypto::Secret client_application_traffic_secret;  // _0
  crypto::Secret server_application_traffic_secret;  // _0
  crypto::Secret exporter_master_secret;
  // Derive-Secret(Master Secret, "res master", ClientHello...client Finished) (§7.1).
  crypto::Secret resumption_master_secret;
};

// What a TLS 1.2 handshake hands over: the session's master secret (with its randoms and suite),
// for the exporter (RFC 5705) and, later, resumption (only when extended(), RFC 7627 §5.3).
struct Tls12Outcome {
  Tls12MasterSecret master;
};

// Handed over when the handshake is done: one alternative per version.
using HandshakeOutcome = std::variant<Tls13Outcome, Tls12Outcome>;

class HandshakeIo {
 public:
  virtual ~HandshakeIo() = default;

  // Sends one whole handshake message (header + body, as encode_handshake makes it) in handshake
  // records under the current write protection, and shows it to the trace. The state machine
  // adds it to its transcript itself.
  virtual void write_handshake(const HandshakeMessage& message) = 0;
  // RFC 8446 §D.4 middlebox compatibility: one change_cipher_spec record (0x01), unprotected.
  virtual void write_change_cipher_spec() = 0;

  // Records read from now on are opened with `protection`. unexpected_message when part of a
  // handshake message is still waiting (§5.1: "Handshake messages MUST NOT span key changes").
  virtual Status set_read_protection(RecordDecrypter protection) = 0;
  // Records written from now on are sealed with `protection` (the peer's record_size_limit, when
  // it sent one, is applied to it).
  virtual void set_write_protection(RecordEncrypter protection) = 0;
  // RFC 8449 §4: `ours` is the limit we advertised and the peer accepted (enforced on what we
  // read), `peers` the limit the peer advertised (obeyed on what we write); nullopt for either
  // leaves 2^14 + 1. Takes effect on the protections set after the call.
  virtual void set_record_size_limits(std::optional<std::uint16_t> ours, std::optional<std::uint16_t> peers) = 0;

  // The client random of this connection, for key log lines (set before the first log_secret).
  virtual void set_client_random(std::span<const std::uint8_t> client_random) = 0;
  // One key log line for `secret` under `label` (keylog::k*), when key logging is on.
  virtual void log_secret(std::string_view label, const crypto::Secret& secret) = 0;

  // Unix seconds, as given to the connection: what certificates are checked against.
  virtual std::int64_t now() const = 0;
  // Unix milliseconds, as of the last receive() that gave the time (ticket ages, RFC 8446 §4.6.1).
  virtual std::int64_t now_ms() const = 0;
  // What the handshake has negotiated so far; filled in as it goes.
  virtual HandshakeSummary& summary() = 0;

  // The handshake is done; application data may flow. The client calls it after sending its
  // Finished, the server after checking the client's.
  virtual void handshake_complete(HandshakeOutcome outcome) = 0;
};

}  // namespace duplex::tls::detail
