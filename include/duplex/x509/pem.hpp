// PEM (RFC 7468): "-----BEGIN LABEL-----", base64 lines, "-----END LABEL-----". A file may hold
// several blocks; text outside them (such as OpenSSL's "subject=" lines) is ignored, as
// RFC 7468 §2 allows.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"

namespace duplex::x509 {

enum class PemError : std::uint8_t {
  missing_end,      // a BEGIN line without its END line
  label_mismatch,   // END names another label than BEGIN
  bad_label,        // a label outside RFC 7468 §3's grammar
  bad_base64,       // the body is not strict base64 once its lines are joined
  headers,          // RFC 1421 headers (e.g. "Proc-Type: 4,ENCRYPTED"): an encrypted key
  no_block,         // no block of the kind asked for
};

std::string_view describe(PemError error);

struct PemBlock {
  std::string label;              // "CERTIFICATE", "PRIVATE KEY", ...
  std::vector<std::uint8_t> der;  // the decoded body
};

// Every block in `text`, in order. Lines end in LF or CRLF; spaces and tabs around a body line
// are allowed, inside one they are not. No block at all is not an error (an empty list).
Result<std::vector<PemBlock>, PemError> parse_pem(std::string_view text);

// The DER of every CERTIFICATE block (other blocks skipped); no_block if there is none.
Result<std::vector<std::vector<std::uint8_t>>, PemError> pem_certificates(std::string_view text);

enum class PrivateKeyFormat : std::uint8_t {
  pkcs8,  // "PRIVATE KEY": PKCS#8 PrivateKeyInfo (RFC 5208 / RFC 5958)
  ec,     // "EC PRIVATE KEY": SEC 1 ECPrivateKey (RFC 5915)
  rsa,    // "RSA PRIVATE KEY": PKCS#1 RSAPrivateKey (RFC 8017 §A.1.2)
};

struct PemPrivateKey {
  PrivateKeyFormat format = PrivateKeyFormat::pkcs8;
  std::vector<std::uint8_t> der;
};

// The first private key block (ENCRYPTED PRIVATE KEY is not one: it needs a password); no_block
// if there is none.
Result<PemPrivateKey, PemError> pem_private_key(std::string_view text);

// One block with 64-character lines and LF line ends (RFC 7468 §2).
std::string write_pem(std::string_view label, std::span<const std::uint8_t> der);

}  // namespace duplex::x509
