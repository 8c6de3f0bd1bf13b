// The Connection's public face and its reading side: records in, events out.
#include "duplex/tls/connection.hpp"

#include <algorithm>
#include <string>

#include "connection_impl.hpp"
#include "duplex/tls/key_schedule.hpp"
#include "duplex/tls/key_update.hpp"
#include "duplex/tls/new_session_ticket.hpp"

namespace duplex::tls {

// ---- construction ----

Result<Connection> Connection::client(std::shared_ptr<const ClientConfig> config, std::string server_name,
                                      std::int64_t now) {
  if (!config) return reject(AlertDescription::internal_error, "no ClientConfig was given");
  auto impl = std::make_unique<Impl>(now, config->max_handshake_message_size, config->key_log, config->trace);
  impl->client_ = true;
  impl->client_handshake_.emplace(config, std::move(server_name));
  if (auto started = impl->client_handshake_->start(*impl); !started) return fail(started.error());
  impl->flush_handshake();
  return Connection(std::move(impl));
}

Result<Connection> Connection::server(std::shared_ptr<const ServerConfig> config, std::int64_t now) {
  if (!config) return reject(AlertDescription::internal_error, "no ServerConfig was given");
  // The same check net::Server::start() makes: a config no connection could use is refused.
  if (auto checked = check_config(*config); !checked) return fail(checked.error());
  auto impl = std::make_unique<Impl>(now, config->max_handshake_message_size, config->key_log, config->trace);
  impl->server_handshake_.emplace(config);
  return Connection(std::move(impl));
}

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Connection::~Connection() = default;
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;

// ---- the public API ----

void Connection::receive(std::span<std::uint8_t> bytes) {
  Impl& c = *impl_;
  // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored";
  // nor is anything read after a failure. Dropped, not kept: the peer may go on sending.
  if (c.input_ended()) {
    c.discard_input();
    c.discarded_after_close_ += bytes.size();
    return;
  }
  // Whatever the caller had not let us read yet is stashed first, so nothing is lost.
  if (!c.input_.empty()) c.stash_.insert(c.stash_.end(), c.input_.begin(), c.input_.end());
  c.input_ = bytes;
}

void Connection::receive(std::span<std::uint8_t> bytes, std::int64_t now_unix_ms) {
  impl_->now_ms_ = now_unix_ms;
  receive(bytes);
}

void Connection::receive_eof() { impl_->eof_ = true; }

std::optional<Event> Connection::next_event() { return impl_->next_event(); }

Status Connection::send(std::span<const std::uint8_t> data) {
  if (!can_send())
    return reject(AlertDescription::internal_error,
                  impl_->failed_       ? "the connection has failed: nothing more can be sent"
                  : impl_->we_closed_  ? "close_notify was sent: nothing more can be sent (RFC 8446 §6.1)"
                                       : "the handshake is not complete: application data cannot be sent yet");
  return impl_->write_application_data(data);
}

void Connection::send_close_notify() {
  Impl& c = *impl_;
  if (c.failed_ || c.we_closed_) return;
  c.flush_handshake();
  // RFC 8446 §6.1: "Each party MUST send a "close_notify" alert before closing its write side".
  c.send_alert(AlertLevel::warning, AlertDescription::close_notify);
  c.we_closed_ = true;
}

Status Connection::send_key_update(KeyUpdateRequest request) {
  if (!can_send()) return reject(AlertDescription::internal_error, "a KeyUpdate needs an open, established connection");
  return impl_->update_write_keys(request);
}

std::span<const std::uint8_t> Connection::pending_output() const {
  return std::span<const std::uint8_t>(impl_->out_).subspan(impl_->out_consumed_);
}

void Connection::consume_output(std::size_t count) {
  Impl& c = *impl_;
  c.out_consumed_ += std::min(count, c.out_.size() - c.out_consumed_);
  if (c.out_consumed_ == c.out_.size()) {
    c.out_.clear();
    c.out_consumed_ = 0;
  }
}

bool Connection::is_client() const { return impl_->is_client(); }

void Connection::release_idle_memory() {
  Impl& c = *impl_;
  if (c.out_consumed_ == c.out_.size()) {
    std::vector<std::uint8_t>().swap(c.out_);
    c.out_consumed_ = 0;
  }
  if (c.stash_start_ == c.stash_.size() && c.input_.empty()) {
    std::vector<std::uint8_t>().swap(c.stash_);
    c.stash_start_ = 0;
  }
}

void Connection::Impl::release_handshake() {
  // Called after the message that completed the handshake was handled (never from inside it).
  client_handshake_.reset();
  server_handshake_.reset();
  std::vector<std::uint8_t>().swap(handshake_out_);
  if (reassembler_.empty()) reassembler_ = HandshakeReassembler(reassembler_.max_message_size());
}
bool Connection::handshake_complete() const { return impl_->handshake_done(); }
bool Connection::is_closed() const { return impl_->failed_ || (impl_->peer_closed_ && impl_->we_closed_); }
bool Connection::can_send() const { return impl_->handshake_done() && !impl_->failed_ && !impl_->we_closed_; }
const HandshakeSummary& Connection::summary() const { return impl_->summary_; }
std::span<const NewSessionTicket> Connection::session_tickets() const { return impl_->session_tickets_; }
std::size_t Connection::bytes_discarded_after_close() const { return impl_->discarded_after_close_; }
std::size_t Connection::buffered_input_capacity() const { return impl_->stash_.capacity(); }

Result<crypto::Secret> Connection::export_keying_material(std::string_view label, std::span<const std::uint8_t> context,
                                                         std::size_t length) const {
  if (!impl_->outcome_)
    return reject(AlertDescription::internal_error, "keying material can be exported only after the handshake");
  struct Export {
    std::string_view label;
    std::span<const std::uint8_t> context;
    std::size_t length;
    Result<crypto::Secret> operator()(const detail::Tls13Outcome& outcome) const {
      return tls_exporter(outcome.suite.hash(), outcome.exporter_master_secret, label, context, length);
    }
    // RFC 5705 §4: with the context (an empty one is still a context, as in OpenSSL's
    // SSL_export_keying_material with use_context).
    Result<crypto::Secret> operator()(const detail::Tls12Outcome& outcome) const {
      return outcome.master.export_keying_material(label, context, length);
    }
  };
  return std::visit(Export{label, context, length}, *impl_->outcome_);
}

std::string to_string(const Event& event) {
  struct Describe {
    std::string operator()(const HandshakeComplete&) const { return "handshake complete"; }
    std::string operator()(const ApplicationData& data) const {
      return "application data (" + std::to_string(data.data.size()) + " bytes)";
    }
    std::string operator()(const CloseNotify&) const { return "close_notify received"; }
    std::string operator()(const PeerKeyUpdate& update) const {
      return update.update_requested ? "the peer updated its keys and asked us to update ours"
                                     : "the peer updated its keys";
    }
    std::string operator()(const Failure& failure) const {
      switch (failure.origin) {
        case FailureOrigin::local: return "failure: sent " + to_string(failure.error);
        case FailureOrigin::peer_alert: return "failure: received " + to_string(failure.error);
        case FailureOrigin::transport: return "failure: " + failure.error.message;
      }
      return "failure";
    }
  };
  return std::visit(Describe{}, event);
}

// ---- reading records ----

std::optional<Event> Connection::Impl::next_event() {
  for (;;) {
    if (!events_.empty()) {
      Event event = std::move(events_.front());
      events_.pop_front();
      return event;
    }
    // RFC 8446 §6.1: "Any data received after a closure alert has been received MUST be ignored."
    if (input_ended()) {
      discard_input();
      return std::nullopt;
    }
    auto record = next_record();
    if (!record) {
      if (failed_) continue;  // a bad record header: the Failure is queued
      if (eof_ && input_.empty()) {
        fail(TlsError{AlertDescription::close_notify,
                      handshake_done() ? "the peer closed the connection without close_notify: the data may be "
                                         "truncated (RFC 8446 §6.1)"
                                       : "the peer closed the connection during the handshake"},
             FailureOrigin::transport);
        continue;
      }
      return std::nullopt;
    }
    if (auto event = process_record(*record)) return event;
  }
}

void Connection::Impl::discard_input() {
  // Called between records only: no view handed out by the last next_event() is still in use.
  discarded_after_close_ += input_.size() + (stash_.size() - stash_start_);
  input_ = {};
  std::vector<std::uint8_t>().swap(stash_);
  stash_start_ = 0;
  if (!reassembler_.empty()) reassembler_ = HandshakeReassembler(reassembler_.max_message_size());
}

std::optional<std::span<std::uint8_t>> Connection::Impl::next_record() {
  if (stash_start_ == stash_.size()) {
    stash_.clear();
    stash_start_ = 0;
  }
  // Records split across receive() calls: complete the first from the caller's bytes, header
  // first, so the header is checked before the body is buffered.
  if (!stash_.empty()) {
    auto stashed = [&] { return stash_.size() - stash_start_; };
    auto take = [&](std::size_t wanted) {
      const std::size_t n = std::min(wanted, input_.size());
      stash_.insert(stash_.end(), input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(n));
      input_ = input_.subspan(n);
    };
    if (stashed() < kRecordHeaderSize) take(kRecordHeaderSize - stashed());
    auto header = read_record_header(std::span(stash_).subspan(stash_start_));
    if (!header) {
      fail(header.error());
      return std::nullopt;
    }
    if (!*header) return std::nullopt;
    const std::size_t size = (*header)->record_size();
    if (stashed() < size) take(size - stashed());
    if (stashed() < size) return std::nullopt;
    auto record = std::span(stash_).subspan(stash_start_, size);
    stash_start_ += size;
    return record;
  }
  auto header = read_record_header(input_);
  if (!header) {
    fail(header.error());
    return std::nullopt;
  }
  if (!*header || input_.size() < (*header)->record_size()) {
    // Part of a record: keep it aside until the rest arrives.
    stash_.assign(input_.begin(), input_.end());
    input_ = {};
    return std::nullopt;
  }
  auto record = input_.first((*header)->record_size());
  input_ = input_.subspan(record.size());
  return record;
}

bool Connection::Impl::change_cipher_spec_allowed() const {
  // RFC 8446 §5: "at any time after the first ClientHello message has been sent or received and
  // before the peer's Finished message has been received".
  if (handshake_done()) return false;
  if (is_client()) return true;
  return server_handshake_ && !server_handshake_->expecting_first_client_hello();
}

std::optional<Event> Connection::Impl::process_record(std::span<std::uint8_t> record) {
  const auto outer_type = static_cast<ContentType>(record[0]);
  std::span<std::uint8_t> content = record.subspan(kRecordHeaderSize);
  ContentType type = outer_type;

  if (outer_type == ContentType::change_cipher_spec) {
    process_change_cipher_spec(content);
    return std::nullopt;
  }

  const bool clear_alert = outer_type == ContentType::alert && !handshake_done() && content.size() == 2;
  if (read_protection_ && !clear_alert) {
    // Q: why accept an unprotected alert during the handshake? A: a peer that fails before it
    // has our keys (or after we switched ours) can only say why in clear; showing the user its
    // real reason beats "unexpected_message". Nothing is accepted from it but the end. (Two bytes:
    // TLS 1.2 protects alerts under their own type after ChangeCipherSpec, and a protected one is
    // never that short.)
    auto opened = read_protection_->open(record);
    if (!opened) {
      fail(opened.error());
      return std::nullopt;
    }
    type = opened->type;
    content = opened->content;
  } else if (outer_type == ContentType::application_data) {
    fail(TlsError{AlertDescription::unexpected_message,
                  "the peer sent application data before the handshake keys were in place (RFC 8446 §5)"});
    return std::nullopt;
  }

  // RFC 8446 §5.4: "Implementations MUST NOT send Handshake and Alert records that have a
  // zero-length TLSInnerPlaintext.content; if such a message is received, the receiving
  // implementation MUST terminate the connection with an "unexpected_message" alert."
  if (content.empty() && (type == ContentType::handshake || type == ContentType::alert)) {
    fail(TlsError{AlertDescription::unexpected_message,
                  "the peer sent a protected " + to_string(type) + " record with no content (RFC 8446 §5.4)"});
    return std::nullopt;
  }

  switch (type) {
    case ContentType::handshake:
      process_handshake(content);
      return std::nullopt;
    case ContentType::alert:
      process_alert(content);
      return std::nullopt;
    case ContentType::application_data:
      if (!handshake_done()) {
        // We accept no early data (§4.2.10), and a server's data before our Finished is not
        // possible: the client completes on sending it.
        fail(TlsError{AlertDescription::unexpected_message,
                      "the peer sent application data before the handshake was complete (RFC 8446 §2)"});
        return std::nullopt;
      }
      // RFC 8446 §5.1: "Zero-length fragments of Application Data MAY be sent".
      if (content.empty()) return std::nullopt;
      return ApplicationData{content};
    default:
      fail(TlsError{AlertDescription::unexpected_message,
                    "the peer sent a record of content type " + to_string(type) + " (RFC 8446 §5)"});
      return std::nullopt;
  }
}

void Connection::Impl::process_change_cipher_spec(std::span<const std::uint8_t> content) {
  // RFC 5246 §7.1: "The message consists of a single byte of value 1"; RFC 8446 §5: "An
  // implementation which receives any other change_cipher_spec value [...] MUST abort the
  // handshake with an "unexpected_message" alert."
  const bool well_formed = content.size() == 1 && content[0] == 0x01;
  if (trace_ && well_formed) trace_(TraceRecord{TraceDirection::received, summary_.version, nullptr});
  if (well_formed && !handshake_done()) {
    // In TLS 1.2 it is a message of the handshake: the peer's keys change here (RFC 5246 §7.1),
    // and the state machine says whether it was due.
    auto taken = is_client() ? client_handshake_->handle_change_cipher_spec(*this)
                             : server_handshake_->handle_change_cipher_spec(*this);
    if (!taken) return fail(taken.error());
    if (*taken) return flush_handshake();
  }
  // TLS 1.3 (RFC 8446 §5): an unprotected change_cipher_spec of the single byte 0x01 is dropped
  // during the handshake; "any other change_cipher_spec value" or one outside the handshake →
  // unexpected_message.
  if (!change_cipher_spec_allowed()) {
    fail(TlsError{AlertDescription::unexpected_message,
                  "the peer sent a change_cipher_spec record outside the handshake (RFC 8446 §5)"});
  } else if (!well_formed) {
    fail(TlsError{AlertDescription::unexpected_message,
                  "the peer's change_cipher_spec record is not the single byte 0x01 (RFC 8446 §5)"});
  } else if (++change_cipher_specs_received_ > kMaxChangeCipherSpecs) {
    // Q: §5 drops them "at any time" in the window: why a limit? A: so a peer cannot keep a
    // handshake busy for ever, 6 bytes at a time. BoringSSL stops at 32 too (rustls at 2).
    fail(TlsError{AlertDescription::unexpected_message,
                  "the peer sent more than " + std::to_string(kMaxChangeCipherSpecs) +
                      " change_cipher_spec records during the handshake (RFC 8446 §5)"});
  }
}

void Connection::Impl::process_handshake(std::span<const std::uint8_t> content) {
  key_changed_in_record_ = false;
  if (auto received = reassembler_.receive(content); !received) return fail(received.error());
  while (auto message = reassembler_.next()) {
    if (key_changed_in_record_) {
      // RFC 8446 §5.1: "Handshake messages MUST NOT span key changes": a message after the one
      // that changed keys was protected with the old keys.
      return fail(TlsError{AlertDescription::unexpected_message,
                           "the peer's " + to_string(message->msg_type) +
                               " followed a key change in the same record (RFC 8446 §5.1)"});
    }
    if (trace_) trace_(TraceRecord{TraceDirection::received, summary_.version, &*message});
    if (auto handled = handle_handshake_message(*message); !handled) return fail(handled.error());
    if (failed_) return;
  }
  if (key_changed_in_record_ && reassembler_.has_partial_message())
    return fail(TlsError{AlertDescription::unexpected_message,
                         "a handshake message spans a key change (RFC 8446 §5.1)"});
}

Status Connection::Impl::handle_handshake_message(const HandshakeMessage& message) {
  if (!handshake_done()) {
    Status handled = is_client() ? client_handshake_->handle(message, *this) : server_handshake_->handle(message, *this);
    if (handled) flush_handshake();
    if (handled && handshake_done()) release_handshake();
    return handled;
  }
  return handle_post_handshake_message(message);
}

Status Connection::Impl::handle_post_handshake_message(const HandshakeMessage& message) {
  return std::visit([&](auto& outcome) { return handle_post_handshake_message(outcome, message); }, *outcome_);
}

// RFC 5246 §7.4.1.1, RFC 5746 §4: nothing may follow a TLS 1.2 handshake but a request to
// renegotiate, which we refuse: the first with a warning no_renegotiation (RFC 5246 §7.2.2: "the
// recipient [...] may respond with a no_renegotiation alert"), a second by ending the connection.
Status Connection::Impl::handle_post_handshake_message(detail::Tls12Outcome&, const HandshakeMessage& message) {
  const auto renegotiation = is_client() ? HandshakeType::hello_request : HandshakeType::client_hello;
  if (message.msg_type != renegotiation)
    return reject(AlertDescription::unexpected_message,
                  "the peer sent a " + to_string(message.msg_type) + " after the TLS 1.2 handshake (RFC 5246 §7.4)");
  if (renegotiation_refused_)
    return reject(AlertDescription::unexpected_message,
                  "the peer asked to renegotiate again after our no_renegotiation: we never renegotiate "
                  "(RFC 5746 §4)");
  renegotiation_refused_ = true;
  send_alert(AlertLevel::warning, AlertDescription::no_renegotiation);
  return Unit{};
}

// RFC 8446 §4.6: what may follow a TLS 1.3 handshake.
Status Connection::Impl::handle_post_handshake_message(detail::Tls13Outcome& outcome, const HandshakeMessage& message) {
  switch (message.msg_type) {
    case HandshakeType::new_session_ticket: {
      if (!is_client())
        return reject(AlertDescription::unexpected_message,
                      "the client sent a NewSessionTicket (RFC 8446 §4.6.1: only servers send them)");
      auto ticket = parse_new_session_ticket(message.body());
      if (!ticket) return duplex::fail(ticket.error());
      if (session_tickets_.size() == 8) session_tickets_.erase(session_tickets_.begin());
      session_tickets_.push_back(std::move(*ticket));
      return Unit{};
    }
    case HandshakeType::key_update: {
      auto update = parse_key_update(message.body());
      if (!update) return duplex::fail(update.error());
      // RFC 8446 §7.2: the peer's next application traffic secret, and keys from it.
      crypto::Secret& peer_secret =
          is_client() ? outcome.server_application_traffic_secret : outcome.client_application_traffic_secret;
      peer_secret = next_traffic_secret(outcome.suite, peer_secret);
      auto next = RecordDecrypter::tls13(outcome.suite, peer_secret);
      if (our_record_size_limit_) (void)next.set_record_size_limit(*our_record_size_limit_);
      read_protection_ = std::move(next);
      key_changed_in_record_ = true;
      const bool requested = update->request_update == KeyUpdateRequest::update_requested;
      // RFC 8446 §4.6.3: "If the request_update field is set to "update_requested", then the
      // receiver MUST send a KeyUpdate of its own with request_update set to
      // "update_not_requested" prior to sending its next Application Data record." Not after
      // our close_notify: nothing is sent then.
      if (requested && !we_closed_) {
        if (auto sent = update_write_keys(KeyUpdateRequest::update_not_requested); !sent) return sent;
      }
      events_.push_back(PeerKeyUpdate{requested});
      return Unit{};
    }
    case HandshakeType::certificate_request:
      return reject(AlertDescription::unexpected_message,
                    "the server asked for a certificate after the handshake, which we did not offer "
                    "(post_handshake_auth, RFC 8446 §4.6.2)");
    default:
      return reject(AlertDescription::unexpected_message,
                    "the peer sent a " + to_string(message.msg_type) + " after the handshake (RFC 8446 §4.6)");
  }
}

void Connection::Impl::process_alert(std::span<const std::uint8_t> content) {
  // RFC 8446 §5.1: "Alert messages MUST NOT be fragmented across records, and multiple alert
  // messages MUST NOT be coalesced into a single TLSPlaintext record".
  if (content.size() != 2)
    return fail(TlsError{AlertDescription::decode_error, "the peer's alert record holds " +
                                                             std::to_string(content.size()) +
                                                             " bytes instead of 2 (RFC 8446 §5.1, §6)"});
  const auto description = static_cast<AlertDescription>(content[1]);
  if (description == AlertDescription::close_notify) {
    peer_closed_ = true;
    events_.push_back(CloseNotify{});
    return;
  }
  // RFC 8446 §6.1: user_canceled "SHOULD be followed by a close_notify"; it ends nothing itself.
  if (description == AlertDescription::user_canceled) return;
  // RFC 8446 §6: every other alert is fatal whatever its level says.
  fail(TlsError{description, "the peer ended the connection with the alert " + to_string(description)},
       FailureOrigin::peer_alert);
}

}  // namespace duplex::tls
