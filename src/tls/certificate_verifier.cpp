#include "duplex/tls/certificate_verifier.hpp"

#include <algorithm>

#include "duplex/crypto/hash.hpp"
#include "duplex/util/base64.hpp"
#include "duplex/x509/certificate.hpp"

namespace duplex::tls {

Result<Sha256> spki_sha256(std::span<const std::uint8_t> certificate_der) {
  auto certificate = x509::parse_certificate(certificate_der);
  if (!certificate)
    return reject(AlertDescription::bad_certificate, "the end-entity certificate does not parse: " +
                                                         certificate.error().message());
  const auto digest = crypto::hash(crypto::HashAlgorithm::sha256, certificate->subject_public_key_info.der);
  Sha256 out{};
  std::copy_n(digest.bytes().begin(), out.size(), out.begin());
  return out;
}

namespace {

class SpkiPinVerifier final : public CertificateVerifier {
 public:
  explicit SpkiPinVerifier(std::vector<Sha256> pins) : pins_(std::move(pins)) {}

  Status verify(const PeerCertificates& peer) const override {
    if (peer.chain.empty())
      return reject(AlertDescription::bad_certificate, "the peer sent no certificate to check against the pin");
    auto hash = spki_sha256(peer.chain.front());
    if (!hash) return fail(hash.error());
    // Pins are public values: an ordinary comparison is fine.
    if (std::find(pins_.begin(), pins_.end(), *hash) != pins_.end()) return Unit{};
    return reject(AlertDescription::bad_certificate,
                  "the certificate's public key (SPKI SHA-256 " + base64_encode(*hash) +
                      ") matches none of the pinned keys (RFC 7469 §2.4)");
  }

 private:
  std::vector<Sha256> pins_;
};

class InsecureNoVerification final : public CertificateVerifier {
 public:
  Status verify(const PeerCertificates&) const override { return Unit{}; }
};

}  // namespace

std::shared_ptr<const CertificateVerifier> pin_spki_sha256(std::vector<Sha256> pins) {
  return std::make_shared<SpkiPinVerifier>(std::move(pins));
}

std::shared_ptr<const CertificateVerifier> insecure_no_verification() {
  return std::make_shared<InsecureNoVerification>();
}

}  // namespace duplex::tls
