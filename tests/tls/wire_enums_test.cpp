// The open wire enums: known values print their RFC name, unknown ones their hex code.
#include <gtest/gtest.h>

#include "duplex/tls/alert.hpp"
#include "duplex/tls/cipher_suite.hpp"
#include "duplex/tls/content_type.hpp"
#include "duplex/tls/extension_type.hpp"
#include "duplex/tls/handshake_type.hpp"
#include "duplex/tls/named_group.hpp"
#include "duplex/tls/protocol_version.hpp"
#include "duplex/tls/signature_scheme.hpp"

namespace duplex::tls {
namespace {

TEST(WireEnums, PrintKnownValuesByName) {
  EXPECT_EQ(to_string(AlertLevel::fatal), "fatal");
  EXPECT_EQ(to_string(AlertDescription::decode_error), "decode_error");
  EXPECT_EQ(to_string(AlertDescription::no_application_protocol), "no_application_protocol");
  EXPECT_EQ(to_string(AlertDescription::no_renegotiation), "no_renegotiation");
  EXPECT_EQ(to_string(ContentType::handshake), "handshake");
  EXPECT_EQ(to_string(HandshakeType::certificate_verify), "certificate_verify");
  EXPECT_EQ(to_string(ExtensionType::record_size_limit), "record_size_limit");
  EXPECT_EQ(to_string(NamedGroup::x25519), "x25519");
  EXPECT_EQ(to_string(SignatureScheme::rsa_pss_rsae_sha256), "rsa_pss_rsae_sha256");
  EXPECT_EQ(to_string(CipherSuite::tls_chacha20_poly1305_sha256), "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(to_string(ProtocolVersion::tls1_3), "TLS 1.3");
}

TEST(WireEnums, KeepUnknownValuesAndPrintThemInHex) {
  EXPECT_EQ(to_string(AlertDescription{0x7f}), "0x7f");
  EXPECT_EQ(to_string(AlertLevel{3}), "0x03");
  EXPECT_EQ(to_string(ContentType{0x18}), "0x18");
  EXPECT_EQ(to_string(HandshakeType{3}), "0x03");
  EXPECT_EQ(to_string(ExtensionType{0xfe0d}), "0xfe0d");
  EXPECT_EQ(to_string(NamedGroup{0x11ec}), "0x11ec");
  EXPECT_EQ(to_string(SignatureScheme{0x0202}), "0x0202");
  EXPECT_EQ(to_string(CipherSuite{0xc02b}), "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  EXPECT_EQ(to_string(CipherSuite{0xc013}), "0xc013");  // ECDHE-RSA-AES128-SHA: CBC, not ours
  EXPECT_EQ(to_string(ProtocolVersion{0x7f1c}), "0x7f1c");
  EXPECT_EQ(static_cast<std::uint16_t>(NamedGroup{0x0a0a}), 0x0a0a);  // GREASE survives
}

TEST(WireEnums, UseTheRfcCodes) {
  EXPECT_EQ(static_cast<int>(AlertDescription::missing_extension), 109);
  EXPECT_EQ(static_cast<int>(AlertDescription::certificate_required), 116);
  EXPECT_EQ(static_cast<int>(ExtensionType::record_size_limit), 28);
  EXPECT_EQ(static_cast<int>(ExtensionType::key_share), 51);
  EXPECT_EQ(static_cast<int>(CipherSuite::tls_aes_256_gcm_sha384), 0x1302);
  EXPECT_EQ(static_cast<int>(HandshakeType::key_update), 24);
}

}  // namespace
}  // namespace duplex::tls
