// Key logging in the NSS key log format (RFC 9850 / what SSLKEYLOGFILE holds), so Wireshark or
// tshark can decrypt a capture. Off unless asked for: by the SSLKEYLOGFILE environment variable
// (read at run time, with a warning on standard error) or by handing a KeyLogSink to the config.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace duplex::tls {

// Receives one line ("CLIENT_HANDSHAKE_TRAFFIC_SECRET <client random> <secret>", no line break)
// per secret, in the order the secrets are made. Called from the thread that drives the
// connection; a sink shared by several threads must be thread-safe (open_key_log_file's is).
using KeyLogSink = std::function<void(std::string_view line)>;

// Appends lines to `path` (created with mode 0600 when missing), one write per line under a
// mutex. nullptr (and a sentence in `error`) when the file cannot be opened.
KeyLogSink open_key_log_file(const std::string& path, std::string* error = nullptr);

// The sink of the file named by SSLKEYLOGFILE, or an empty sink when it is unset or empty. When
// it is set, prints once to standard error: "duplex: SSLKEYLOGFILE is set: TLS secrets are being
// written to <path>". One sink per process, shared by every caller.
KeyLogSink key_log_from_environment();

}  // namespace duplex::tls
