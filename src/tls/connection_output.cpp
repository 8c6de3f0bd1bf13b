// The Connection's writing side: handshake flights, alerts, application data and KeyUpdate, as
// records in the output buffer; and the HandshakeIo calls the state machines make.
#include <algorithm>
#include <cstring>
#include <string>

#include "connection_impl.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/key_update.hpp"

namespace duplex::tls {

namespace {


}  // namespace

// ---- HandshakeIo ----

void Connection::Impl::write_handshake(const HandshakeMessage& message) {
  if (trace_) trace_(TraceRecord{TraceDirection::sent, summary_.version, &message});
  handshake_out_.insert(handshake_out_.end(), message.encoded.begin(), message.encoded.end());
}

void Connection::Impl::write_change_cipher_spec() {
  flush_handshake();
  if (trace_) trace_(TraceRecord{TraceDirection::sent, summary_.version, nullptr});
  // RFC 5246 §7.1, RFC 8446 §5: "a single byte value 0x01".
  static constexpr std::uint8_t kChangeCipherSpec[] = {0x01};
  write_plaintext_record(ContentType::change_cipher_spec, kChangeCipherSpec);
}

Status Connection::Impl::set_read_protection(RecordDecrypter protection) {
  // RFC 8446 §5.1: "Handshake messages MUST NOT span key changes. Implementations MUST verify
  // that all messages immediately preceding a key change align with a record boundary; if not,
  // then they MUST terminate the connection with an "unexpected_message" alert."
  if (!reassembler_.empty())
    return reject(AlertDescription::unexpected_message,
                  "the peer's handshake record goes on past a key change (RFC 8446 §5.1)");
  if (our_record_size_limit_) {
    if (auto set = protection.set_record_size_limit(*our_record_size_limit_); !set) return set;
  }
  read_protection_ = std::move(protection);
  key_changed_in_record_ = true;
  return Unit{};
}

void Connection::Impl::set_write_protection(RecordEncrypter protection) {
  flush_handshake();
  // The state machine checked the peer's value (64 .. 2^14 + 1, RFC 8449 §4).
  if (peer_record_size_limit_) (void)protection.set_record_size_limit(*peer_record_size_limit_);
  write_protection_ = std::move(protection);
}

void Connection::Impl::set_record_size_limits(std::optional<std::uint16_t> ours, std::optional<std::uint16_t> peers) {
  // RFC 8449 §4: TLS 1.3 counts the content type byte and padding; 2^14 + 1 is the most.
  auto clamp = [](std::optional<std::uint16_t> limit) -> std::optional<std::uint16_t> {
    if (!limit) return std::nullopt;
    return static_cast<std::uint16_t>(std::min<std::size_t>(*limit, kMaxInnerPlaintextSize));
  };
  our_record_size_limit_ = clamp(ours);
  peer_record_size_limit_ = clamp(peers);
  summary_.peer_record_size_limit = peers;
}

void Connection::Impl::set_client_random(std::span<const std::uint8_t> client_random) {
  std::copy_n(client_random.begin(), std::min(client_random.size(), client_random_.size()), client_random_.begin());
  have_client_random_ = true;
}

void Connection::Impl::log_secret(std::string_view label, const crypto::Secret& secret) {
  if (!key_log_ || !have_client_random_) return;
  key_log_(format_keylog_line(label, client_random_, secret.bytes()));
}

void Connection::Impl::handshake_complete(detail::HandshakeOutcome outcome) {
  outcome_.emplace(std::move(outcome));
  events_.push_back(HandshakeComplete{});
}

// ---- records out ----

void Connection::Impl::flush_handshake() {
  if (handshake_out_.empty()) return;
  // Coalesced: a whole flight (EncryptedExtensions ... Finished) in as few records as the limit
  // allows (RFC 8446 §5.1 allows it).
  const std::size_t chunk = write_protection_ ? write_protection_->max_content_size() : kMaxPlaintextSize;
  std::span<const std::uint8_t> bytes(handshake_out_);
  while (!bytes.empty()) {
    const std::size_t n = std::min(chunk, bytes.size());
    write_record(ContentType::handshake, bytes.first(n));
    bytes = bytes.subspan(n);
  }
  handshake_out_.clear();
}

void Connection::Impl::write_record(ContentType type, std::span<const std::uint8_t> content) {
  if (write_protection_)
    write_protected_record(type, content);
  else
    write_plaintext_record(type, content);
}

void Connection::Impl::write_plaintext_record(ContentType type, std::span<const std::uint8_t> content) {
  // RFC 8446 §5.1: legacy_record_version "MAY also be 0x0301" on the initial ClientHello, as
  // older middleboxes expect; 0x0303 everywhere else.
  const bool initial_client_hello = is_client() && !initial_client_hello_written_ && type == ContentType::handshake;
  const std::uint16_t version = initial_client_hello ? 0x0301 : kLegacyRecordVersion;
  const auto header = encode_record_header({type, version, static_cast<std::uint16_t>(content.size())});
  out_.insert(out_.end(), header.begin(), header.end());
  out_.insert(out_.end(), content.begin(), content.end());
  if (type == ContentType::handshake && is_client()) initial_client_hello_written_ = true;
}

void Connection::Impl::write_protected_record(ContentType type, std::span<const std::uint8_t> content) {
  const std::size_t start = out_.size();
  out_.resize(start + write_protection_->sealed_record_size(content.size()));
  // Encrypted from the caller's bytes straight into the output: no copy first.
  auto sealed = write_protection_->seal(type, content, std::span(out_).subspan(start));
  // Sealing fails only for our own mistakes (a record over the limit, a used-up sequence number);
  // the bytes are dropped and the connection ends.
  if (!sealed) {
    out_.resize(start);
    if (!failed_) {
      failed_ = true;
      events_.push_back(Failure{sealed.error(), FailureOrigin::local});
    }
    return;
  }
  out_.resize(start + *sealed);
}

Status Connection::Impl::write_application_data(std::span<const std::uint8_t> data) {
  while (!data.empty()) {
    // RFC 8446 §5.5: rekey before the AEAD's safety margin runs out.
    if (write_protection_->key_update_due()) {
      if (auto updated = update_write_keys(KeyUpdateRequest::update_not_requested); !updated) return updated;
    }
    const std::size_t n = std::min(write_protection_->max_content_size(), data.size());
    write_protected_record(ContentType::application_data, data.first(n));
    if (failed_) return reject(AlertDescription::internal_error, "a record could not be sealed");
    data = data.subspan(n);
  }
  return Unit{};
}

Status Connection::Impl::update_write_keys(KeyUpdateRequest request) {
  if (!std::holds_alternative<detail::Tls13Outcome>(*outcome_))
    return reject(AlertDescription::internal_error,
                  "KeyUpdate is a TLS 1.3 message (RFC 8446 §4.6.3): this connection does not speak TLS 1.3");
  // RFC 8446 §4.6.3: the KeyUpdate goes under the old keys, everything after under the new.
  const auto message = encode_handshake(HandshakeType::key_update, encode_key_update(KeyUpdate{request}));
  if (trace_) {
    const HandshakeMessage traced{HandshakeType::key_update, message};
    trace_(TraceRecord{TraceDirection::sent, summary_.version, &traced});
  }
  write_protected_record(ContentType::handshake, message);
  if (failed_) return reject(AlertDescription::internal_error, "the KeyUpdate could not be sealed");
  auto& outcome = std::get<detail::Tls13Outcome>(*outcome_);
  crypto::Secret& ours =
      is_client() ? outcome.client_application_traffic_secret : outcome.server_application_traffic_secret;
  ours = next_traffic_secret(outcome.suite, ours);
  auto next = RecordEncrypter::tls13(outcome.suite, ours);
  if (peer_record_size_limit_) (void)next.set_record_size_limit(*peer_record_size_limit_);
  write_protection_ = std::move(next);
  return Unit{};
}

void Connection::Impl::send_alert(AlertLevel level, AlertDescription description) {
  if (alert_sent_ && description != AlertDescription::close_notify) return;
  const std::uint8_t alert[] = {static_cast<std::uint8_t>(level), static_cast<std::uint8_t>(description)};
  write_record(ContentType::alert, alert);
  if (level == AlertLevel::fatal) alert_sent_ = true;
}

void Connection::Impl::fail(TlsError error, FailureOrigin origin) {
  if (failed_) return;
  if (origin == FailureOrigin::local && !we_closed_) {
    // What the handshake had queued is dropped: the peer gets the alert, not a half flight.
    handshake_out_.clear();
    send_alert(AlertLevel::fatal, error.alert);
  }
  failed_ = true;
  input_ = {};
  events_.push_back(Failure{std::move(error), origin});
}

}  // namespace duplex::tls
