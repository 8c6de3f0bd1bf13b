// The development CA of `duplex serve` and `duplex ca` (issue 5): on first use, a local CA and a
// server certificate for localhost, 127.0.0.1 and ::1 that it signs, kept under
// $XDG_DATA_HOME/duplex/ (~/.local/share/duplex/ when XDG_DATA_HOME is unset or not absolute):
//
//   ca.pem      the CA certificate: "duplex development CA", ECDSA P-256, 10 years, pathLen 0
//   ca.key      its PKCS #8 key (0600)
//   server.pem  the server certificate, then the CA (so a client that pins the CA's SPKI, such as
//               Chromium's --ignore-certificate-errors-spki-list, finds it in the chain)
//   server.key  its PKCS #8 key (0600)
//
// Later runs reuse them; the server certificate is issued again when it is missing, unreadable,
// not the CA's, or expires within 7 days; the CA is made again only when it is missing or
// expires within 7 days (then the user must trust the new one). Time is an argument.
//
//   auto certificates = tool::ensure_dev_certificates(tool::dev_certificate_directory().value(), now);
//   auto key = tls::CertifiedKey::from_pem(read(certificates->server_certificate), ...);
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include "duplex/util/result.hpp"

namespace duplex::tool {

struct DevCertificates {
  std::filesystem::path directory;
  std::filesystem::path ca_certificate;      // ca.pem
  std::filesystem::path ca_key;              // ca.key
  std::filesystem::path server_certificate;  // server.pem: the leaf, then the CA
  std::filesystem::path server_key;          // server.key
  std::string ca_spki_sha256;      // base64 SHA-256 of the CA's SubjectPublicKeyInfo (RFC 7469 §2.4)
  std::string server_spki_sha256;  // the same for the server certificate
  std::int64_t server_not_after = 0;
  bool created_ca = false;         // this call made a new CA (the user must trust it)
  bool issued_server = false;      // this call issued a new server certificate
};

// $XDG_DATA_HOME/duplex, or $HOME/.local/share/duplex (XDG Base Directory Specification: a
// relative XDG_DATA_HOME is ignored). An error when neither variable helps.
Result<std::filesystem::path> dev_certificate_directory();

// Creates or reuses the files above in `directory` (created 0700 if missing) as of `now` (Unix
// seconds). Errors name the file and what is wrong with it; a CA that exists but cannot be read
// is never overwritten.
Result<DevCertificates> ensure_dev_certificates(const std::filesystem::path& directory, std::int64_t now);

// One line telling a person how to trust the CA (import ca.pem, or Chromium's SPKI flag).
std::string trust_hint(const DevCertificates& certificates);

}  // namespace duplex::tool
