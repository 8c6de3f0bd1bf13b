// RFC 5280 §6.3: a certificate against the CRLs of its issuer that the caller supplied.
#include <algorithm>

#include "duplex/x509/oid.hpp"
#include "verify_internal.hpp"

namespace duplex::x509::detail {

namespace {

Failure<CheckFailure> unusable(const CertificateRevocationList& crl, std::string why) {
  return fail(CheckFailure{VerifyReason::invalid_crl, "has a CRL from " + crl.issuer.text + " that " + std::move(why)});
}

// The rules a CRL of the right issuer must meet before it can say anything.
Check check_crl(const CertificateRevocationList& crl, const Candidate& issuer, std::int64_t time) {
  // RFC 5280 §6.3.3 (f): "If a key usage extension is present in the CRL issuer's certificate,
  // verify that the cRLSign bit is set."
  if (const auto& usage = issuer.extensions.key_usage; usage && !usage->has(KeyUsageBit::crl_sign))
    return unusable(crl, "was signed by a key whose keyUsage lacks cRLSign");
  // RFC 5280 §5.2.3: "conforming CRL issuers MUST include" the cRLNumber, "marked non-critical".
  const Extension* number = crl.find_extension(oid::crl_number);
  if (!number) return unusable(crl, "has no cRLNumber (RFC 5280 §5.2.3)");
  if (number->critical) return unusable(crl, "has a critical cRLNumber (RFC 5280 §5.2.3)");
  // RFC 5280 §5.2: a critical CRL extension we do not process (a delta CRL indicator, an
  // issuingDistributionPoint that scopes the CRL) makes the CRL unusable for us.
  for (const auto& extension : crl.extensions)
    if (extension.critical && !(extension.oid == oid::authority_key_identifier))
      return unusable(crl, "has the critical extension " + extension.oid.dotted() + ", which is not processed");
  for (const auto& entry : crl.revoked)
    for (const auto& extension : entry.extensions)
      if (extension.critical)
        return unusable(crl, "has an entry with the critical extension " + extension.oid.dotted() +
                                 " (an indirect CRL), which is not processed");
  // RFC 5280 §6.3.3 (a): the CRL must be current.
  if (time < crl.this_update) return unusable(crl, "is not valid yet (thisUpdate " + format_time(crl.this_update) + ")");
  if (crl.next_update && time > *crl.next_update)
    return unusable(crl, "is stale (nextUpdate " + format_time(*crl.next_update) + ")");
  return Unit{};
}

}  // namespace

Check check_revocation(const Candidate& subject, const Candidate& issuer,
                       std::span<const CertificateRevocationList> crls, std::int64_t time, std::uint32_t& signatures) {
  for (const auto& crl : crls) {
    if (!std::ranges::equal(crl.issuer.der, issuer.certificate.subject.der)) continue;
    if (!issuer.key) continue;
    if (signatures == 0)
      return fail(CheckFailure{VerifyReason::budget_exhausted, "would need more signature checks than the budget allows"});
    --signatures;
    auto scheme = signature_scheme_for(crl.signature_algorithm, issuer.key->type());
    if (!scheme)
      return unusable(crl, "is signed with an algorithm that is refused or not supported (" +
                               crl.signature_algorithm.algorithm.dotted() + ")");
    // A CRL of the same name that this key did not sign belongs to another issuer (a re-keyed or
    // cross-signed CA): it says nothing about this certificate.
    if (crl.signature_value.unused_bits != 0 ||
        !issuer.key->verify(*scheme, crl.tbs, crl.signature_value.bytes))
      continue;
    if (auto usable = check_crl(crl, issuer, time); !usable) return usable;
    if (crl.revokes(subject.certificate.serial)) {
      const auto entry = std::ranges::find_if(crl.revoked, [&](const RevokedCertificate& revoked) {
        return std::ranges::equal(revoked.serial, subject.certificate.serial);
      });
      // RFC 5280 §6.3.3 (i): revoked whatever the verification time, once listed.
      return fail(CheckFailure{VerifyReason::revoked, "was revoked on " + format_time(entry->revocation_date) +
                                                          " by " + crl.issuer.text});
    }
  }
  return Unit{};
}

}  // namespace duplex::x509::detail
