#include "duplex/x509/crl.hpp"

#include <gtest/gtest.h>

#include "duplex/x509/verify.hpp"
#include "test_pki.hpp"

namespace duplex::x509 {
namespace {

using test_pki::Bytes;
using test_pki::issue;
using test_pki::issue_crl;
using test_pki::Issued;
using test_pki::kNow;

struct Pki {
  Issued root = issue({.subject = "CRL Root", .ca = true});
  Issued leaf = issue({.subject = "leaf", .dns_names = {"www.example.com"}, .serial = 0x4242}, &root);
  TrustStore roots;
  Pki() { roots.add_der(root.der); }
};

Result<VerifiedPath, VerificationError> verify_with(const Pki& pki, const std::vector<Bytes>& crl_ders,
                                                    std::vector<CertificateRevocationList>& crls) {
  for (const auto& der : crl_ders) {
    auto crl = parse_crl(der);
    EXPECT_TRUE(crl.ok()) << crl.error().message();
    if (crl) crls.push_back(std::move(*crl));
  }
  return verify_certificate_chain(std::vector<Bytes>{pki.leaf.der},
                                  {.roots = &pki.roots, .peer_name = "www.example.com", .time = kNow, .crls = crls});
}

TEST(Crl, ParsesFields) {
  Pki pki;
  const Bytes der = issue_crl({.revoked_serials = {{0x42, 0x42}, {0x01}}}, pki.root);
  auto crl = parse_crl(der);
  ASSERT_TRUE(crl.ok()) << crl.error().message();
  EXPECT_EQ(crl->version, 2);
  EXPECT_EQ(crl->issuer.text, "CN=CRL Root");
  EXPECT_EQ(crl->this_update, test_pki::kYearAgo);
  EXPECT_EQ(crl->next_update, test_pki::kInAYear);
  ASSERT_EQ(crl->revoked.size(), 2u);
  EXPECT_TRUE(crl->revokes(Bytes{0x42, 0x42}));
  EXPECT_FALSE(crl->revokes(Bytes{0x42}));
  EXPECT_NE(crl->find_extension(oid::crl_number), nullptr);
}

TEST(Crl, RejectsTrailingBytes) {
  Pki pki;
  Bytes der = issue_crl({}, pki.root);
  der.push_back(0);
  auto trailing = parse_crl(der);
  ASSERT_FALSE(trailing.ok());
  EXPECT_EQ(trailing.error().code, CrlError::malformed);
  EXPECT_EQ(trailing.error().der_error, der::DerError::trailing_data);
}

TEST(Crl, RevokedLeafIsRefused) {
  Pki pki;
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.revoked_serials = {{0x42, 0x42}}}, pki.root)}, crls);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, VerifyReason::revoked);
  EXPECT_EQ(result.error().certificate_index, 0u);
}

TEST(Crl, UnlistedLeafIsAccepted) {
  Pki pki;
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.revoked_serials = {{0x01}}}, pki.root)}, crls);
  EXPECT_TRUE(result.ok()) << result.error().message();
}

TEST(Crl, CrlOfAnotherKeyWithTheSameNameIsIgnored) {
  Pki pki;
  const Issued impostor = issue({.subject = "CRL Root", .ca = true});
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.revoked_serials = {{0x42, 0x42}}}, impostor)}, crls);
  EXPECT_TRUE(result.ok()) << result.error().message();
}

TEST(Crl, StaleCrlIsUnusable) {
  Pki pki;
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.next_update = kNow - 1}, pki.root)}, crls);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, VerifyReason::invalid_crl);
}

TEST(Crl, CrlWithoutNumberIsUnusable) {
  Pki pki;
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.crl_number = false}, pki.root)}, crls);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, VerifyReason::invalid_crl);
}

TEST(Crl, CriticalUnknownCrlExtensionIsUnusable) {
  Pki pki;
  std::vector<CertificateRevocationList> crls;
  auto result = verify_with(pki, {issue_crl({.extra = {{"2.5.29.28", true, {0x30, 0x00}}}}, pki.root)}, crls);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, VerifyReason::invalid_crl);
}

TEST(Crl, IssuerWithoutCrlSignCannotRevoke) {
  Pki pki;
  const Issued root = issue({.subject = "No CRL Sign", .ca = true, .key_usage = (1u << 5)});
  const Issued leaf = issue({.subject = "leaf", .dns_names = {"www.example.com"}}, &root);
  TrustStore roots;
  roots.add_der(root.der);
  auto crl = parse_crl(issue_crl({}, root));
  ASSERT_TRUE(crl.ok());
  std::vector<CertificateRevocationList> crls{*crl};
  auto result = verify_certificate_chain(std::vector<Bytes>{leaf.der},
                                         {.roots = &roots, .peer_name = "www.example.com", .time = kNow, .crls = crls});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, VerifyReason::invalid_crl);
}

}  // namespace
}  // namespace duplex::x509
