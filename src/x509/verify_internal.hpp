// Shared by verify.cpp (path building) and verify_checks.cpp (the rules for one certificate).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "duplex/crypto/signature.hpp"
#include "duplex/x509/extensions.hpp"
#include "duplex/x509/verify.hpp"

namespace duplex::x509::detail {

struct CheckFailure {
  VerifyReason reason;
  std::string detail;
};

// A certificate with what path building asks of it again and again, decoded once.
struct Candidate {
  Certificate certificate;
  Extensions extensions;
  std::vector<GeneralName> sans;  // empty when there is no SAN
  bool self_issued = false;       // issuer == subject (RFC 5280 §6.1: pathLen and NC skip these)
  bool anchor = false;
  // An anchor checked without the extension profile (VerifyOptions::strict_trust_anchors off).
  bool lenient_profile = false;
  // Set by check_common: the decoded key.
  std::optional<crypto::PublicKey> key;
  // Issuers are checked with check_common once, when first reached: its outcome.
  bool checked = false;
  std::optional<CheckFailure> common_failure;
};

using Check = Result<Unit, CheckFailure>;

// Parses and decodes; the failure is malformed_certificate.
Result<Candidate, CheckFailure> make_candidate(std::span<const std::uint8_t> der);
Result<Candidate, CheckFailure> make_candidate(const Certificate& certificate);

// Rules for any certificate of a path: version, serial, issuer, critical extensions, the
// extension profile, the public key (which is stored in candidate.key).
Check check_common(Candidate& candidate);
// notBefore <= time <= notAfter.
Check check_validity(const Candidate& candidate, std::int64_t time);
// Rules for a certificate that issues the one below it (an intermediate or the anchor).
Check check_issuer_role(const Candidate& candidate, Purpose purpose);
// Rules for the leaf: EKU and keyUsage.
Check check_leaf_role(const Candidate& candidate, Purpose purpose, bool require_digital_signature);
// The peer name against the leaf's SANs (and the CN with the legacy option).
Check check_peer_name(const Candidate& leaf, std::string_view peer_name, bool allow_common_name_fallback);
// `subject`'s signature verified with `issuer`'s key.
Check check_signature(const Candidate& subject, const Candidate& issuer);
// The SignatureScheme for a signature AlgorithmIdentifier made with a key of `key` type; SHA-1
// and MD5 are weak_signature_algorithm.
Result<crypto::SignatureScheme, CheckFailure> signature_scheme_for(const AlgorithmIdentifier& algorithm,
                                                                  crypto::KeyType key);
// `subject` against the CRLs of `issuer` (revocation.cpp); `signatures` is the budget left.
Check check_revocation(const Candidate& subject, const Candidate& issuer,
                       std::span<const CertificateRevocationList> crls, std::int64_t time, std::uint32_t& signatures);

}  // namespace duplex::x509::detail
