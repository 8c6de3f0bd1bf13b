#include "duplex/tls/x509_verifier.hpp"

#include <mutex>

namespace duplex::tls {

AlertDescription alert_for(x509::VerifyReason reason) {
  using R = x509::VerifyReason;
  switch (reason) {
    case R::expired:
    case R::not_yet_valid:
      return AlertDescription::certificate_expired;
    case R::revoked:
      return AlertDescription::certificate_revoked;
    case R::unknown_issuer:
    case R::key_identifier_mismatch:
    case R::path_too_long:
    case R::no_trust_anchors:
      return AlertDescription::unknown_ca;
    case R::unsupported_version:
    case R::unsupported_critical_extension:
    case R::unsupported_public_key:
    case R::unsupported_signature_algorithm:
      return AlertDescription::unsupported_certificate;
    default:
      return AlertDescription::bad_certificate;
  }
}

namespace {

class X509Verifier final : public CertificateVerifier {
 public:
  explicit X509Verifier(std::shared_ptr<const x509::TrustStore> roots) : roots_(std::move(roots)) {}

  std::vector<std::vector<std::uint8_t>> acceptable_issuers() const override {
    // A private CA's few roots are worth naming; the hundred-odd of a system store would make a
    // CertificateRequest of many kilobytes for nothing (no client chooses among them), so then
    // none are named, as most servers do.
    constexpr std::size_t kMaxNamesBytes = 4096;
    std::vector<std::vector<std::uint8_t>> names;
    std::size_t total = 0;
    for (const auto& root : roots_->certificates()) {
      total += root.subject.der.size() + 2;
      if (total > kMaxNamesBytes) return {};
      names.emplace_back(root.subject.der.begin(), root.subject.der.end());
    }
    return names;
  }

  Status verify(const PeerCertificates& peer) const override {
    const bool server = peer.purpose == CertificatePurpose::server_auth;
    x509::VerifyOptions options;
    options.roots = roots_.get();
    options.peer_name = peer.peer_name;
    options.time = peer.now;
    options.purpose = server ? x509::Purpose::server_auth : x509::Purpose::client_auth;
    auto verified = x509::verify_certificate_chain(peer.chain, options);
    if (verified) return Unit{};
    return reject(alert_for(verified.error().reason),
                  std::string(server ? "the server's" : "the client's") + " certificate is not trusted: " +
                      verified.error().message());
  }

 private:
  std::shared_ptr<const x509::TrustStore> roots_;
};

}  // namespace

std::shared_ptr<const CertificateVerifier> x509_verifier(std::shared_ptr<const x509::TrustStore> roots) {
  return std::make_shared<X509Verifier>(std::move(roots));
}

duplex::Result<std::shared_ptr<const CertificateVerifier>, std::string> x509_verifier_from_pem_file(
    const std::string& path) {
  auto roots = x509::TrustStore::from_pem_file(path);
  if (!roots) return fail(roots.error().message());
  return x509_verifier(std::make_shared<const x509::TrustStore>(std::move(*roots)));
}

std::shared_ptr<const CertificateVerifier> system_x509_verifier(std::string* error) {
  static std::once_flag once;
  static std::shared_ptr<const CertificateVerifier> verifier;
  static std::string problem;
  std::call_once(once, [] {
    auto roots = x509::TrustStore::system();
    if (roots)
      verifier = x509_verifier(std::make_shared<const x509::TrustStore>(std::move(*roots)));
    else
      problem = roots.error().message();
  });
  if (!verifier && error) *error = problem;
  return verifier;
}

}  // namespace duplex::tls
