// Trust stores: the certificates a verifier accepts as trust anchors (RFC 5280 §6.1.1 d), from a
// PEM bundle, a directory of PEM files, or the system's bundle.
//
//   auto roots = x509::TrustStore::system();             // /etc/ssl/certs/ca-certificates.crt
//   auto roots = x509::TrustStore::from_pem_file("ca.pem");
//   x509::VerifyOptions options{.roots = &*roots, ...};
//
// Certificates that do not parse are skipped and counted (a system bundle may hold a few that
// our strict DER reader refuses); a bundle with no usable certificate at all is an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"

namespace duplex::x509 {

// Debian's bundle (update-ca-certificates), the default roots.
inline constexpr std::string_view kSystemBundle = "/etc/ssl/certs/ca-certificates.crt";

enum class TrustStoreError : std::uint8_t {
  unreadable,      // the file or directory cannot be read
  bad_pem,         // the PEM text is malformed
  no_certificate,  // nothing usable: no CERTIFICATE block, or none that parses
};

struct TrustStoreLoadError {
  TrustStoreError code = TrustStoreError::unreadable;
  std::string path;    // the file or directory concerned, empty for text
  std::string detail;  // the PEM or parse error

  // "cannot read /etc/ssl/certs/ca-certificates.crt: No such file or directory"
  std::string message() const;
};

class TrustStore {
 public:
  TrustStore() = default;

  // Every CERTIFICATE block in `text`.
  static Result<TrustStore, TrustStoreLoadError> from_pem(std::string_view text);
  static Result<TrustStore, TrustStoreLoadError> from_pem_file(const std::string& path);
  // Every regular file in `path` holding CERTIFICATE blocks (other files are ignored), as
  // /etc/ssl/certs is laid out; duplicates (the hashed symlinks) are kept once.
  static Result<TrustStore, TrustStoreLoadError> from_directory(const std::string& path);
  // The system bundle (kSystemBundle).
  static Result<TrustStore, TrustStoreLoadError> system();

  // Adds one DER certificate; false (and nothing added) if it does not parse. Duplicates are
  // kept once.
  bool add_der(std::span<const std::uint8_t> der);
  void add(Certificate certificate);

  const std::vector<Certificate>& certificates() const { return anchors_; }
  std::size_t size() const { return anchors_.size(); }
  bool empty() const { return anchors_.empty(); }
  std::size_t skipped() const { return skipped_; }  // certificates that did not parse

  // The anchors whose subject is `name_der` byte for byte (RFC 5280 §7.1 comparison reduced to
  // the DER, as webpki and Go compare).
  std::vector<const Certificate*> find_by_subject(std::span<const std::uint8_t> name_der) const;
  // Whether this exact certificate (same DER) is an anchor.
  bool contains(const Certificate& certificate) const;

 private:
  Result<Unit, TrustStoreLoadError> add_pem(std::string_view text, const std::string& path);

  std::vector<Certificate> anchors_;
  std::size_t skipped_ = 0;
};

}  // namespace duplex::x509
