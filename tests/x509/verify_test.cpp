#include "duplex/x509/verify.hpp"

#include <gtest/gtest.h>

#include "test_pki.hpp"

namespace duplex::x509 {
namespace {

using test_pki::Bytes;
using test_pki::issue;
using test_pki::Issued;
using test_pki::kNow;

constexpr const char* kServerAuth = "1.3.6.1.5.5.7.3.1";
constexpr const char* kClientAuth = "1.3.6.1.5.5.7.3.2";

struct Pki {
  Issued root = issue({.subject = "Test Root", .ca = true});
  Issued intermediate = issue({.subject = "Test Intermediate", .ca = true}, &root);
  Issued leaf = issue({.subject = "www.example.com", .eku = {kServerAuth}, .dns_names = {"www.example.com"}},
                      &intermediate);
  TrustStore roots;
  Pki() { roots.add_der(root.der); }
};

Result<VerifiedPath, VerificationError> verify(const std::vector<Bytes>& chain, const TrustStore& roots,
                                               std::string_view name = "www.example.com", bool explain = false) {
  return verify_certificate_chain(chain, {.roots = &roots, .peer_name = name, .time = kNow, .explain = explain});
}

void expect_failure(const Result<VerifiedPath, VerificationError>& result, VerifyReason reason, std::size_t index) {
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, reason) << result.error().message();
  EXPECT_EQ(result.error().certificate_index, index) << result.error().message();
  EXPECT_FALSE(result.error().message().empty());
}

TEST(Verify, AcceptsLeafIntermediateRoot) {
  Pki pki;
  auto path = verify({pki.leaf.der, pki.intermediate.der}, pki.roots);
  ASSERT_TRUE(path.ok()) << path.error().message();
  ASSERT_EQ(path->certificates.size(), 3u);
  EXPECT_EQ(path->certificates[0].subject.text, "CN=www.example.com");
  EXPECT_EQ(path->certificates[2].subject.text, "CN=Test Root");
}

TEST(Verify, BuildsPathFromExtraAndOutOfOrderIntermediates) {
  Pki pki;
  const Issued stranger = issue({.subject = "Unrelated CA", .ca = true});
  auto path = verify({pki.leaf.der, stranger.der, pki.intermediate.der}, pki.roots);
  ASSERT_TRUE(path.ok()) << path.error().message();
  EXPECT_EQ(path->certificates.size(), 3u);
}

TEST(Verify, RejectsExpiredLeaf) {
  Pki pki;
  const Issued leaf = issue({.subject = "old", .not_after = kNow - 1, .dns_names = {"www.example.com"}}, &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::expired, 0);
}

TEST(Verify, AcceptsTimeEqualToNotAfter) {
  Pki pki;
  const Issued leaf = issue({.subject = "edge", .not_after = kNow, .dns_names = {"www.example.com"}}, &pki.intermediate);
  EXPECT_TRUE(verify({leaf.der, pki.intermediate.der}, pki.roots).ok());
}

TEST(Verify, RejectsNotYetValidIntermediate) {
  Pki pki;
  const Issued intermediate = issue({.subject = "Test Intermediate", .not_before = kNow + 10, .ca = true,
                                     .key = pki.intermediate.key}, &pki.root);
  expect_failure(verify({pki.leaf.der, intermediate.der}, pki.roots), VerifyReason::not_yet_valid, 1);
}

TEST(Verify, RejectsUnknownIssuer) {
  Pki pki;
  expect_failure(verify({pki.leaf.der}, pki.roots), VerifyReason::unknown_issuer, 0);
}

TEST(Verify, RejectsBadSignature) {
  Pki pki;
  // Same issuer name and key identifier, another key: the signature cannot verify.
  Issued impostor = issue({.subject = "Test Intermediate", .ca = true}, &pki.root);
  impostor.key_id = pki.intermediate.key_id;
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &impostor);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::bad_signature, 0);
}

TEST(Verify, SaysWhenOnlyTheKeyIdentifierDiffers) {
  Pki pki;
  // An issuer of the right name, whose key is not the one the leaf's AKI names.
  const Issued rekeyed = issue({.subject = "Test Intermediate", .ca = true}, &pki.root);
  expect_failure(verify({pki.leaf.der, rekeyed.der}, pki.roots), VerifyReason::key_identifier_mismatch, 0);
}

TEST(Verify, RejectsIssuerThatIsNotCa) {
  Pki pki;
  const Issued not_ca = issue({.subject = "Not A CA", .key_usage = 1u << 0}, &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &not_ca);
  expect_failure(verify({leaf.der, not_ca.der}, pki.roots), VerifyReason::not_a_ca, 1);
}

TEST(Verify, RejectsPathLenExceeded) {
  const Issued root = issue({.subject = "Root", .ca = true, .path_len = 0});
  const Issued intermediate = issue({.subject = "Intermediate", .ca = true}, &root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  TrustStore roots;
  roots.add_der(root.der);
  expect_failure(verify({leaf.der, intermediate.der}, roots), VerifyReason::path_len_exceeded, 2);
}

TEST(Verify, RejectsIssuerWithoutKeyCertSign) {
  Pki pki;
  const Issued intermediate = issue({.subject = "No Sign", .ca = true, .key_usage = 1u << 0}, &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  // cA without keyCertSign is inconsistent (RFC 5280 §4.2.1.3, §4.2.1.9) before it is unusable.
  expect_failure(verify({leaf.der, intermediate.der}, pki.roots), VerifyReason::invalid_extension, 1);
}

TEST(Verify, RejectsLeafWithClientAuthOnlyForServer) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .eku = {kClientAuth}, .dns_names = {"www.example.com"}}, &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::extended_key_usage_missing, 0);
}

TEST(Verify, AcceptsClientAuthLeafForClientPurpose) {
  Pki pki;
  const Issued leaf = issue({.subject = "client", .eku = {kClientAuth}, .emails = {"a@example.com"}}, &pki.intermediate);
  auto path = verify_certificate_chain(std::vector<Bytes>{leaf.der, pki.intermediate.der},
                                       {.roots = &pki.roots, .time = kNow, .purpose = Purpose::client_auth});
  EXPECT_TRUE(path.ok()) << path.error().message();
}

TEST(Verify, RejectsCaWhoseEkuExcludesThePurpose) {
  Pki pki;
  const Issued intermediate = issue({.subject = "Client CA", .ca = true, .eku = {kClientAuth}}, &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  expect_failure(verify({leaf.der, intermediate.der}, pki.roots), VerifyReason::extended_key_usage_missing, 1);
}

TEST(Verify, RejectsLeafKeyUsageWithoutDigitalSignature) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .key_usage = 1u << 2, .dns_names = {"www.example.com"}}, &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::key_usage_missing, 0);
}

TEST(Verify, RejectsNameOutsidePermittedSubtree) {
  const Issued root = issue({.subject = "Root", .ca = true, .permitted_dns = {"example.org"}});
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &root);
  TrustStore roots;
  roots.add_der(root.der);
  expect_failure(verify({leaf.der}, roots), VerifyReason::name_constraint_violated, 0);
}

TEST(Verify, RejectsNameInExcludedSubtreeOfIntermediate) {
  Pki pki;
  const Issued intermediate = issue({.subject = "Constrained", .ca = true, .excluded_dns = {"example.com"}}, &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  expect_failure(verify({leaf.der, intermediate.der}, pki.roots), VerifyReason::name_constraint_violated, 0);
}

TEST(Verify, AcceptsIpInsidePermittedRange) {
  const Issued root = issue({.subject = "Root", .ca = true, .permitted_ip = {{192, 0, 2, 0, 255, 255, 255, 0}}});
  const Issued leaf = issue({.subject = "x", .ip_addresses = {{192, 0, 2, 7}}}, &root);
  TrustStore roots;
  roots.add_der(root.der);
  EXPECT_TRUE(verify({leaf.der}, roots, "192.0.2.7").ok());
  const Issued outside = issue({.subject = "y", .ip_addresses = {{198, 51, 100, 7}}}, &root);
  expect_failure(verify({outside.der}, roots, "198.51.100.7"), VerifyReason::name_constraint_violated, 0);
}

TEST(Verify, RejectsNameMismatch) {
  Pki pki;
  expect_failure(verify({pki.leaf.der, pki.intermediate.der}, pki.roots, "mail.example.com"), VerifyReason::name_mismatch, 0);
}

TEST(Verify, MatchesWildcardForOneLabelOnly) {
  Pki pki;
  const Issued leaf = issue({.subject = "w", .dns_names = {"*.example.com"}}, &pki.intermediate);
  EXPECT_TRUE(verify({leaf.der, pki.intermediate.der}, pki.roots, "WWW.Example.COM").ok());
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots, "a.b.example.com"), VerifyReason::name_mismatch, 0);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots, "example.com"), VerifyReason::name_mismatch, 0);
}

TEST(Verify, MatchesIpAgainstIpSanOnly) {
  Pki pki;
  const Issued leaf = issue({.subject = "ip", .dns_names = {"192.0.2.1"}, .ip_addresses = {Bytes(15, 0) }}, &pki.intermediate);
  // A 15-byte iPAddress is malformed: the certificate is refused as such.
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots, "192.0.2.1"), VerifyReason::malformed_certificate, 0);
  Bytes v6(16, 0);
  v6[15] = 1;
  const Issued good = issue({.subject = "ip", .dns_names = {"192.0.2.1"}, .ip_addresses = {v6}}, &pki.intermediate);
  EXPECT_TRUE(verify({good.der, pki.intermediate.der}, pki.roots, "::1").ok());
  expect_failure(verify({good.der, pki.intermediate.der}, pki.roots, "192.0.2.1"), VerifyReason::name_mismatch, 0);
}

TEST(Verify, UsesCommonNameOnlyWithLegacyOptionAndNoSan) {
  Pki pki;
  const Issued leaf = issue({.subject = "legacy.example.com"}, &pki.intermediate);
  const std::vector<Bytes> chain{leaf.der, pki.intermediate.der};
  expect_failure(verify(chain, pki.roots, "legacy.example.com"), VerifyReason::name_mismatch, 0);
  auto legacy = verify_certificate_chain(chain, {.roots = &pki.roots, .peer_name = "legacy.example.com", .time = kNow,
                                                 .allow_common_name_fallback = true});
  EXPECT_TRUE(legacy.ok()) << legacy.error().message();
  const Issued with_san = issue({.subject = "legacy.example.com", .dns_names = {"other.example.com"}}, &pki.intermediate);
  auto refused = verify_certificate_chain(std::vector<Bytes>{with_san.der, pki.intermediate.der},
                                          {.roots = &pki.roots, .peer_name = "legacy.example.com", .time = kNow,
                                           .allow_common_name_fallback = true});
  expect_failure(refused, VerifyReason::name_mismatch, 0);
}

TEST(Verify, TrustsLeafThatIsItselfAnAnchor) {
  const Issued self_signed = issue({.subject = "dev.example", .dns_names = {"dev.example"}});
  TrustStore roots;
  roots.add_der(self_signed.der);
  auto path = verify({self_signed.der}, roots, "dev.example");
  ASSERT_TRUE(path.ok()) << path.error().message();
  EXPECT_EQ(path->certificates.size(), 1u);
  expect_failure(verify({self_signed.der}, roots, "other.example"), VerifyReason::name_mismatch, 0);
}

TEST(Verify, NameMismatchListsTheFirstNames) {
  Pki pki;
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) names.push_back("n" + std::to_string(i) + ".example.com");
  const Issued leaf = issue({.subject = "many", .dns_names = names}, &pki.intermediate);
  auto result = verify({leaf.der, pki.intermediate.der}, pki.roots, "other.example.com");
  expect_failure(result, VerifyReason::name_mismatch, 0);
  EXPECT_NE(result.error().message().find("DNS:n0.example.com"), std::string::npos);
  EXPECT_NE(result.error().message().find("and 12 more"), std::string::npos) << result.error().message();
}

TEST(Verify, RejectsInvalidPeerName) {
  Pki pki;
  expect_failure(verify({pki.leaf.der, pki.intermediate.der}, pki.roots, "bad_name.example.com"),
                 VerifyReason::invalid_peer_name, 0);
}

TEST(Verify, RejectsUnknownCriticalExtension) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .extra = {{"1.2.3.4", true, {0x05, 0x00}}}},
                            &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::unsupported_critical_extension, 0);
  const Issued ignored = issue({.subject = "x", .dns_names = {"www.example.com"}, .extra = {{"1.2.3.4", false, {0x05, 0x00}}}},
                               &pki.intermediate);
  EXPECT_TRUE(verify({ignored.der, pki.intermediate.der}, pki.roots).ok());
}

TEST(Verify, RefusesSha1Signatures) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .signature_oid = "1.2.840.113549.1.1.5"},
                            &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::weak_signature_algorithm, 0);
}

TEST(Verify, RejectsLeafWithoutAuthorityKeyIdentifier) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .authority_key_id = false}, &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::invalid_extension, 0);
}

TEST(Verify, AcceptsEmptySubjectWithCriticalSan) {
  Pki pki;
  const Issued leaf = issue({.subject = "", .dns_names = {"www.example.com"}}, &pki.intermediate);
  auto path = verify({leaf.der, pki.intermediate.der}, pki.roots);
  EXPECT_TRUE(path.ok()) << path.error().message();
}

TEST(Verify, RejectsCriticalAuthorityInfoAccess) {
  Pki pki;
  const Bytes aia = {0x30, 0x17, 0x30, 0x15, 0x06, 0x08, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01,
                     0x86, 0x09, 'h', 't', 't', 'p', ':', '/', '/', 'o', 'x'};
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .extra = {{"1.3.6.1.5.5.7.1.1", true, aia}}},
                            &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::invalid_extension, 0);
}

TEST(Verify, RejectsNameConstraintsOutsideCa) {
  Pki pki;
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .permitted_dns = {"example.com"}},
                            &pki.intermediate);
  expect_failure(verify({leaf.der, pki.intermediate.der}, pki.roots), VerifyReason::invalid_extension, 0);
}

TEST(Verify, RejectsCaWithNonCriticalBasicConstraints) {
  Pki pki;
  const Issued intermediate = issue({.subject = "Soft CA", .basic_constraints = false, .key_usage = (1u << 5),
                                     .extra = {{"2.5.29.19", false, {0x30, 0x03, 0x01, 0x01, 0xff}}}},
                                    &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  expect_failure(verify({leaf.der, intermediate.der}, pki.roots), VerifyReason::invalid_extension, 1);
}

TEST(Verify, RejectsIntermediateWithoutSubjectKeyIdentifier) {
  Pki pki;
  const Issued intermediate = issue({.subject = "No SKI", .ca = true, .subject_key_id = false}, &pki.root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &intermediate);
  expect_failure(verify({leaf.der, intermediate.der}, pki.roots), VerifyReason::invalid_extension, 1);
}

TEST(Verify, HoldsAnchorsToTheIssuanceProfileOnlyWhenStrict) {
  // A root of an older profile: no SKI, a non-critical basicConstraints.
  const Issued root = issue({.subject = "Old Profile Root", .basic_constraints = false, .key_usage = (1u << 5),
                             .subject_key_id = false, .extra = {{"2.5.29.19", false, {0x30, 0x03, 0x01, 0x01, 0xff}}}});
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &root);
  TrustStore roots;
  roots.add_der(root.der);
  EXPECT_TRUE(verify({leaf.der}, roots).ok());
  auto strict = verify_certificate_chain(std::vector<Bytes>{leaf.der}, {.roots = &roots, .peer_name = "www.example.com",
                                                                       .time = kNow, .strict_trust_anchors = true});
  expect_failure(strict, VerifyReason::invalid_extension, 1);
}

TEST(Verify, VerifiesRsaAndEd25519Signatures) {
  const Issued root = issue({.subject = "RSA Root", .ca = true, .key_type = crypto::KeyType::rsa});
  const Issued intermediate = issue({.subject = "Ed CA", .ca = true, .key_type = crypto::KeyType::ed25519}, &root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}, .key_type = crypto::KeyType::ecdsa_p384},
                            &intermediate);
  TrustStore roots;
  roots.add_der(root.der);
  auto path = verify({leaf.der, intermediate.der}, roots);
  EXPECT_TRUE(path.ok()) << path.error().message();
}

TEST(Verify, TriesAnotherIssuerWhenTheFirstIsExpired) {
  Pki pki;
  // Two certificates for the same intermediate (same name, same key): one expired.
  const Issued expired = issue({.subject = "Test Intermediate", .not_after = kNow - 100, .ca = true,
                                .key = pki.intermediate.key}, &pki.root);
  auto path = verify({pki.leaf.der, expired.der, pki.intermediate.der}, pki.roots, "www.example.com", true);
  ASSERT_TRUE(path.ok()) << path.error().message();
  ASSERT_EQ(path->attempts.size(), 1u);
  EXPECT_EQ(path->attempts[0].reason, VerifyReason::expired);
  EXPECT_EQ(path->attempts[0].certificate_index, 1u);
}

TEST(Verify, ReportsExpiredIssuerRatherThanUnknownIssuer) {
  Pki pki;
  const Issued expired = issue({.subject = "Test Intermediate", .not_after = kNow - 100, .ca = true,
                                .key = pki.intermediate.key}, &pki.root);
  auto result = verify({pki.leaf.der, expired.der}, pki.roots, "www.example.com", true);
  expect_failure(result, VerifyReason::expired, 1);
  EXPECT_EQ(result.error().attempts.size(), 1u);
}

TEST(Verify, FollowsCrossSignedRoot) {
  // The leaf's issuer is trusted only through a cross-signature by an old root.
  const Issued old_root = issue({.subject = "Old Root", .ca = true});
  const Issued new_root = issue({.subject = "New Root", .ca = true});
  const Issued cross = issue({.subject = "New Root", .ca = true, .key = new_root.key}, &old_root);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &new_root);
  TrustStore roots;
  roots.add_der(old_root.der);
  auto path = verify({leaf.der, cross.der}, roots);
  ASSERT_TRUE(path.ok()) << path.error().message();
  EXPECT_EQ(path->certificates.back().subject.text, "CN=Old Root");
}

TEST(Verify, StopsOnCycles) {
  const Issued root = issue({.subject = "Root", .ca = true});
  const Issued a_key = issue({.subject = "A", .ca = true});
  const Issued b_key = issue({.subject = "B", .ca = true});
  const Issued a_by_b = issue({.subject = "A", .ca = true, .key = a_key.key}, &b_key);
  const Issued b_by_a = issue({.subject = "B", .ca = true, .key = b_key.key}, &a_key);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &a_key);
  TrustStore roots;
  roots.add_der(root.der);
  expect_failure(verify({leaf.der, a_by_b.der, b_by_a.der}, roots), VerifyReason::unknown_issuer, 2);
}

TEST(Verify, StopsWhenTheBudgetIsSpent) {
  Pki pki;
  std::vector<Bytes> chain{pki.leaf.der};
  // Many candidates for the leaf's issuer, none signed by the root.
  for (int i = 0; i < 8; ++i) {
    const Issued stranger = issue({.subject = "Orphan", .ca = true});
    chain.push_back(issue({.subject = "Test Intermediate", .ca = true, .key = pki.intermediate.key}, &stranger).der);
  }
  VerifyOptions options{.roots = &pki.roots, .peer_name = "www.example.com", .time = kNow};
  options.budget.signatures = 3;
  expect_failure(verify_certificate_chain(chain, options), VerifyReason::budget_exhausted, 1);
}

TEST(Verify, RejectsPathLongerThanMaxIntermediates) {
  Pki pki;
  const Issued second = issue({.subject = "Second", .ca = true}, &pki.intermediate);
  const Issued leaf = issue({.subject = "x", .dns_names = {"www.example.com"}}, &second);
  const std::vector<Bytes> chain{leaf.der, second.der, pki.intermediate.der};
  EXPECT_TRUE(verify(chain, pki.roots).ok());
  auto result = verify_certificate_chain(chain, {.roots = &pki.roots, .peer_name = "www.example.com", .time = kNow,
                                                 .max_intermediates = 1});
  expect_failure(result, VerifyReason::path_too_long, 2);
}

TEST(Verify, RejectsWithoutTrustAnchors) {
  Pki pki;
  TrustStore empty;
  expect_failure(verify({pki.leaf.der}, empty), VerifyReason::no_trust_anchors, 0);
  expect_failure(verify_certificate_chain(std::vector<Bytes>{}, {.roots = &pki.roots}), VerifyReason::empty_chain, 0);
}

TEST(Verify, RejectsMalformedLeaf) {
  Pki pki;
  Bytes broken = pki.leaf.der;
  broken.pop_back();
  expect_failure(verify({broken}, pki.roots), VerifyReason::malformed_certificate, 0);
}

TEST(Verify, FormatsTimes) { EXPECT_EQ(format_time(1711929600), "2024-04-01T00:00:00Z"); }

}  // namespace
}  // namespace duplex::x509
