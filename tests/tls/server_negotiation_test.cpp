// The server's choices as pure functions (src/tls/server_negotiation.hpp), and the test
// certificates the handshake tests use.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../src/tls/server/negotiation.hpp"
#include "duplex/x509/certificate.hpp"
#include "server_handshake_test_support.hpp"

namespace duplex::tls {
namespace {

using namespace server_test;

// ---- The pure choices (server_negotiation.hpp) ----

TEST(ServerNegotiation, MatchesDnsNamesExactlyIgnoringCase) {
  EXPECT_TRUE(detail::dns_name_matches("example.com", "EXAMPLE.com"));
  EXPECT_FALSE(detail::dns_name_matches("example.com", "www.example.com"));
  EXPECT_FALSE(detail::dns_name_matches("example.com", "example.co"));
}

TEST(ServerNegotiation, MatchesWildcardForExactlyOneLeftmostLabel) {
  EXPECT_TRUE(detail::dns_name_matches("*.example.com", "www.example.com"));
  EXPECT_TRUE(detail::dns_name_matches("*.example.com", "WWW.EXAMPLE.COM"));
  EXPECT_FALSE(detail::dns_name_matches("*.example.com", "example.com"));
  EXPECT_FALSE(detail::dns_name_matches("*.example.com", "a.b.example.com"));
  EXPECT_FALSE(detail::dns_name_matches("*.example.com", ".example.com"));
  EXPECT_FALSE(detail::dns_name_matches("*.com", "example.com"));
  EXPECT_FALSE(detail::dns_name_matches("w*.example.com", "www.example.com"));
}

TEST(ServerNegotiation, ChoosesNoCipherSuiteWeDoNotImplement) {
  const CipherSuite ours[] = {static_cast<CipherSuite>(0x1304), CipherSuite::tls_aes_256_gcm_sha384};
  const CipherSuite offered[] = {static_cast<CipherSuite>(0x1304), CipherSuite::tls_aes_256_gcm_sha384};
  auto suite = detail::choose_cipher_suite(ours, offered);
  ASSERT_TRUE(suite.ok());
  EXPECT_EQ(suite->suite(), CipherSuite::tls_aes_256_gcm_sha384);
}

TEST(ServerNegotiation, ChoosesMostPreferredMutualGroupWithoutShare) {
  const NamedGroup ours[] = {NamedGroup::secp384r1, NamedGroup::secp256r1};
  const NamedGroup client_groups[] = {NamedGroup::secp256r1, NamedGroup::secp384r1};
  const KeyShareEntry shares[] = {{NamedGroup::x25519, Bytes(32, 1)}};
  auto choice = detail::choose_group(ours, client_groups, shares);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->group, NamedGroup::secp384r1);
  EXPECT_EQ(choice->share, nullptr);
}

TEST(ServerNegotiation, ChoosesNoAlpnWhenServerListsNone) {
  const std::string offered[] = {"h2"};
  auto alpn = detail::choose_alpn({}, offered);
  ASSERT_TRUE(alpn.ok());
  EXPECT_FALSE(alpn->has_value());
}

TEST(TestCertificates, BuildsParsableSelfSignedCertificatesForEveryKeyType) {
  for (auto type : {crypto::KeyType::rsa, crypto::KeyType::ecdsa_p256, crypto::KeyType::ecdsa_p384,
                    crypto::KeyType::ed25519}) {
    const auto key = test::self_signed(type, {"a.example", "*.b.example"});
    auto certificate = x509::parse_certificate(key.certificate_chain.at(0));
    ASSERT_TRUE(certificate.ok()) << certificate.error().message();
    EXPECT_NE(certificate->find_extension(x509::oid::subject_alt_name), nullptr);
    auto public_key = crypto::PublicKey::from_spki_der(certificate->subject_public_key_info.der);
    ASSERT_TRUE(public_key.ok());
    EXPECT_EQ(public_key->type(), type);
  }
}

}  // namespace
}  // namespace duplex::tls
