// The text of `duplex tls connect --trace` (issue 3): every handshake message decoded field by
// field, with the names RFC 8446 gives the fields, as a person learning TLS would otherwise read
// it in Wireshark.
//
//   ClientHello, 196 bytes
//     legacy_version: 0x0303 (TLS 1.2)
//     random: cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7
//     legacy_session_id: 0 bytes
//     cipher_suites: TLS_AES_128_GCM_SHA256, TLS_CHACHA20_POLY1305_SHA256, TLS_AES_256_GCM_SHA384
//     legacy_compression_methods: 00
//     extensions:
//       server_name: server
//       supported_groups: x25519, secp256r1, ...
//       key_share: x25519 (32 bytes)
//       ...
//
// The text is built from the peer's bytes: nothing here throws on bad input or reads out of
// bounds; a message that does not parse is named, followed by the parser's sentence
// ("  (does not parse: decode_error: the ClientHello's cipher_suites is truncated (...))").
// Text from the peer (host names, ALPN names, certificate names) is printed with every byte
// outside printable ASCII as \xNN, so a peer cannot send escape sequences to the terminal.
#pragma once

#include <string>

#include "duplex/tls/alert.hpp"
#include "duplex/tls/config.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/handshake.hpp"

namespace duplex::tls {

// Several lines, each ending in '\n': "<MessageName>, <N> bytes" (N counts the 4-byte header,
// as RFC 8448 counts "ClientHello (196 octets)"), then the fields indented by two spaces.
// Byte strings longer than 32 bytes are shown as their first 32 bytes in hex and "…".
// `version` is what the hellos agreed on: TLS 1.2's Certificate, CertificateRequest and Finished
// have their own forms (RFC 5246 §7.4); before the ServerHello every message reads the same.
std::string describe_handshake_message(const HandshakeMessage& message,
                                       ProtocolVersion version = ProtocolVersion::tls1_3);

// "ChangeCipherSpec, 1 byte ...", saying what it does in `version` (ProtocolVersion{} reads as
// TLS 1.2's meaning, for a record before the hellos agreed).
std::string describe_change_cipher_spec(ProtocolVersion version);

// One record of --trace: its message, or its ChangeCipherSpec.
std::string describe_trace_record(const TraceRecord& record);

// One line, without '\n': "Alert: fatal, handshake_failure (40)".
std::string describe_alert(AlertLevel level, AlertDescription description);

}  // namespace duplex::tls
