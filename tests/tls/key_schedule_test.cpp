// The TLS 1.3 key schedule against RFC 8448 §3 (Simple 1-RTT Handshake) byte for byte, and the
// parts RFC 8448 has no vector for (SHA-384, KeyUpdate, exporter, key log) by their properties.
#include "duplex/tls/key_schedule.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "duplex/crypto/hash.hpp"
#include "duplex/tls/record_layer.hpp"
#include "duplex/tls/tls13_record_protection.hpp"
#include "rfc8448_trace.hpp"
#include "tls_test_support.hpp"

namespace duplex::tls {
namespace {

using test::hex;
using Bytes = std::vector<std::uint8_t>;

Bytes bytes_of(std::span<const std::uint8_t> span) { return Bytes(span.begin(), span.end()); }
Bytes bytes_of(const crypto::Secret& secret) { return bytes_of(secret.bytes()); }
Bytes bytes_of(const crypto::Digest& digest) { return bytes_of(digest.bytes()); }
crypto::Digest digest_of(std::string_view text) { return crypto::Digest(hex(text)); }

Tls13Suite suite(CipherSuite cipher_suite) { return *Tls13Suite::from(cipher_suite); }
const Tls13Suite kAes128 = suite(CipherSuite::tls_aes_128_gcm_sha256);

// Every value below is RFC 8448 §3's, in the order the trace shows it.
// "{server}  derive secret for handshake "tls13 derived"", IKM: the x25519 shared secret.
const char* const kSharedSecret =
    "8b d4 05 4f b5 5b 9d 63 fd fb ac f9 f0 4b 9f 0d 35 e6 d6 3f 53 75 63 ef d4 62 72 90 0f 89 49 2d";
const char* const kEarlySecret =
    "33 ad 0a 1c 60 7e c0 3b 09 e6 cd 98 93 68 0c e2 10 ad f3 00 aa 1f 26 60 e1 b2 2e 10 f1 70 f9 2a";
const char* const kHandshakeSecret =
    "1d c8 26 e9 36 06 aa 6f dc 0a ad c1 2f 74 1b 01 04 6a a6 b9 9f 69 1e d2 21 a9 f0 ca 04 3f be ac";
// Transcript-Hash(ClientHello, ServerHello): the "hash" of "derive secret "tls13 c hs traffic"".
const char* const kHelloHash =
    "86 0c 06 ed c0 78 58 ee 8e 78 f0 e7 42 8c 58 ed d6 b4 3f 2c a3 e6 e9 5f 02 ed 06 3c f0 e1 ca d8";
const char* const kClientHandshakeTrafficSecret =
    "b3 ed db 12 6e 06 7f 35 a7 80 b3 ab f4 5e 2d 8f 3b 1a 95 07 38 f5 2e 96 00 74 6a 0e 27 a5 5a 21";
const char* const kServerHandshakeTrafficSecret =
    "b6 7b 7d 69 0c c1 6c 4e 75 e5 42 13 cb 2d 37 b4 e9 c9 12 bc de d9 10 5d 42 be fd 59 d3 91 ad 38";
const char* const kMasterSecret =
    "18 df 06 84 3d 13 a0 8b f2 a4 49 84 4c 5f 8a 47 80 01 bc 4d 4c 62 79 84 d5 a4 1d a8 d0 40 29 19";
// Transcript-Hash(ClientHello...server Finished): the "hash" of "derive secret "tls13 c ap traffic"".
const char* const kServerFinishedHash =
    "96 08 10 2a 0f 1c cc 6d b6 25 0b 7b 7e 41 7b 1a 00 0e aa da 3d aa e4 77 7a 76 86 c9 ff 83 df 13";
const char* const kClientApplicationTrafficSecret =
    "9e 40 64 6c e7 9a 7f 9d c0 5a f8 88 9b ce 65 52 87 5a fa 0b 06 df 00 87 f7 92 eb b7 c1 75 04 a5";
const char* const kServerApplicationTrafficSecret =
    "a1 1a f9 f0 55 31 f8 56 ad 47 11 6b 45 a9 50 32 82 04 b4 f4 4b fb 6b 3a 4b 4f 1f 3f cb 63 16 43";
const char* const kExporterMasterSecret =
    "fe 22 f8 81 17 6e da 18 eb 8f 44 52 9e 67 92 c5 0c 9a 3f 89 45 2f 68 d8 ae 31 1b 43 09 d3 cf 50";
// Transcript-Hash(ClientHello...client Finished): the "hash" of "derive secret "tls13 res master"".
const char* const kClientFinishedHash =
    "20 91 45 a9 6e e8 e2 a1 22 ff 81 00 47 cc 95 26 84 65 8d 60 49 e8 64 29 42 6d b8 7c 54 ad 14 3d";
const char* const kResumptionMasterSecret =
    "7d f2 35 f2 03 1d 2a 05 12 87 d0 2b 02 41 b0 bf da f8 6c c8 56 23 1f 2d 5a ba 46 c4 34 ec 19 6c";
const char* const kServerFinishedKey =
    "00 8d 3b 66 f8 16 ea 55 9f 96 b5 37 e8 85 c3 1f c0 68 bf 49 2c 65 2f 01 f2 88 a1 d8 cd c1 9f c8";
const char* const kServerVerifyData =
    "9b 9b 14 1d 90 63 37 fb d2 cb dc e7 1d f4 de da 4a b4 2c 30 95 72 cb 7f ff ee 54 54 b7 8f 07 18";
const char* const kClientFinishedKey =
    "b8 0a d0 10 15 fb 2f 0b d6 5f f7 d4 da 5d 6b f8 3f 84 82 1d 1f 87 fd c7 d3 c7 5b 5a 7b 42 d9 c4";
const char* const kClientVerifyData =
    "a8 ec 43 6d 67 76 34 ae 52 5a c1 fc eb e1 1a 03 9e c1 76 94 fa c6 e9 85 27 b6 42 f2 ed d5 ce 61";

HandshakeTrafficSecrets rfc8448_handshake_stage() {
  return EarlySecret::without_psk(kAes128)
      .derive_handshake_secret(hex(kSharedSecret))
      .derive_handshake_traffic_secrets(digest_of(kHelloHash));
}

MasterSecret rfc8448_master_stage() {
  return rfc8448_handshake_stage().derive_master_secret(digest_of(kServerFinishedHash));
}

// The server's flight (EncryptedExtensions..Finished) in the clear, from the RFC's record.
Bytes rfc8448_server_flight() {
  auto record = test::rfc8448::server_handshake_record();
  auto protection = Tls13RecordProtection::from_key_and_iv(crypto::AeadAlgorithm::aes_128_gcm,
                                                      hex("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"),
                                                      hex("5d 31 3e b2 67 12 76 ee 13 00 0b 30"));
  auto opened = protection->open(record);
  EXPECT_TRUE(opened) << to_string(opened.error());
  return opened ? bytes_of(opened->content) : Bytes{};
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes all;
  for (const auto& part : parts) all.insert(all.end(), part.begin(), part.end());
  return all;
}

TEST(KeySchedule, SuitesMapToTheirHashAndAead) {
  EXPECT_EQ(kAes128.hash(), crypto::HashAlgorithm::sha256);
  EXPECT_EQ(kAes128.aead(), crypto::AeadAlgorithm::aes_128_gcm);
  const auto aes256 = suite(CipherSuite::tls_aes_256_gcm_sha384);
  EXPECT_EQ(aes256.hash(), crypto::HashAlgorithm::sha384);
  EXPECT_EQ(aes256.aead(), crypto::AeadAlgorithm::aes_256_gcm);
  const auto chacha = suite(CipherSuite::tls_chacha20_poly1305_sha256);
  EXPECT_EQ(chacha.hash(), crypto::HashAlgorithm::sha256);
  EXPECT_EQ(chacha.aead(), crypto::AeadAlgorithm::chacha20_poly1305);
  EXPECT_FALSE(Tls13Suite::from(static_cast<CipherSuite>(0xc02b)));
}

TEST(KeySchedule, HkdfExpandLabelBuildsTheRfc8448DerivedSecret) {
  // "{server}  derive secret for handshake "tls13 derived"": expanded.
  auto derived = hkdf_expand_label(crypto::HashAlgorithm::sha256, hex(kEarlySecret), "derived",
                                   crypto::hash(crypto::HashAlgorithm::sha256, {}).bytes(), 32);
  ASSERT_TRUE(derived);
  EXPECT_EQ(bytes_of(*derived),
            hex("6f 26 15 a1 08 c7 02 c5 67 8f 54 fc 9d ba b6 97 16 c0 76 18 9c 48 25 0c eb ea c3 57 6c 36 11 ba"));
}

TEST(KeySchedule, HkdfExpandLabelRejectsOversizedLabel) {
  const std::string label(250, 'x');
  auto expanded = hkdf_expand_label(crypto::HashAlgorithm::sha256, hex(kEarlySecret), label, {}, 32);
  ASSERT_FALSE(expanded);
  EXPECT_EQ(expanded.error().alert, AlertDescription::internal_error);
}

TEST(KeySchedule, Rfc8448EarlyAndHandshakeSecrets) {
  auto early = EarlySecret::without_psk(kAes128);
  EXPECT_EQ(bytes_of(early.secret()), hex(kEarlySecret));
  auto handshake = std::move(early).derive_handshake_secret(hex(kSharedSecret));
  EXPECT_EQ(bytes_of(handshake.secret()), hex(kHandshakeSecret));
}

TEST(KeySchedule, Rfc8448TranscriptHashesOfTheMessages) {
  using test::rfc8448::client_hello;
  using test::rfc8448::server_hello;
  const auto sha256 = crypto::HashAlgorithm::sha256;
  EXPECT_EQ(bytes_of(crypto::hash(sha256, concat({client_hello(), server_hello()}))), hex(kHelloHash));
  const auto flight = rfc8448_server_flight();
  EXPECT_EQ(bytes_of(crypto::hash(sha256, concat({client_hello(), server_hello(), flight}))), hex(kServerFinishedHash));
  const auto client_finished = concat({hex("14 00 00 20"), hex(kClientVerifyData)});
  EXPECT_EQ(bytes_of(crypto::hash(sha256, concat({client_hello(), server_hello(), flight, client_finished}))),
            hex(kClientFinishedHash));
}

TEST(KeySchedule, Rfc8448HandshakeTrafficSecretsAndKeys) {
  const auto stage = rfc8448_handshake_stage();
  EXPECT_EQ(bytes_of(stage.client_handshake_traffic_secret()), hex(kClientHandshakeTrafficSecret));
  EXPECT_EQ(bytes_of(stage.server_handshake_traffic_secret()), hex(kServerHandshakeTrafficSecret));

  // "{server}  derive write traffic keys for handshake data".
  const auto server = derive_traffic_keys(kAes128, stage.server_handshake_traffic_secret());
  EXPECT_EQ(bytes_of(server.key), hex("3f ce 51 60 09 c2 17 27 d0 f2 e4 e8 6e e4 03 bc"));
  EXPECT_EQ(bytes_of(server.iv), hex("5d 31 3e b2 67 12 76 ee 13 00 0b 30"));
  // "{server}  derive read traffic keys for handshake data".
  const auto client = derive_traffic_keys(kAes128, stage.client_handshake_traffic_secret());
  EXPECT_EQ(bytes_of(client.key), hex("db fa a6 93 d1 76 2c 5b 66 6a f5 d9 50 25 8d 01"));
  EXPECT_EQ(bytes_of(client.iv), hex("5b d3 c7 1b 83 6e 0b 76 bb 73 26 5f"));
}

TEST(KeySchedule, Rfc8448FinishedKeys) {
  const auto stage = rfc8448_handshake_stage();
  EXPECT_EQ(bytes_of(finished_key(crypto::HashAlgorithm::sha256, stage.server_handshake_traffic_secret())),
            hex(kServerFinishedKey));
  EXPECT_EQ(bytes_of(finished_key(crypto::HashAlgorithm::sha256, stage.client_handshake_traffic_secret())),
            hex(kClientFinishedKey));
}

TEST(KeySchedule, Rfc8448ServerFinishedVerifyData) {
  const auto flight = rfc8448_server_flight();
  ASSERT_GE(flight.size(), 36u);
  // The Finished message is the flight's last 36 bytes; the hash covers everything before it.
  const Bytes before_finished(flight.begin(), flight.end() - 36);
  const auto transcript =
      crypto::hash(crypto::HashAlgorithm::sha256,
                   concat({test::rfc8448::client_hello(), test::rfc8448::server_hello(), before_finished}));
  const auto stage = rfc8448_handshake_stage();
  EXPECT_EQ(bytes_of(stage.server_finished_verify_data(transcript)), hex(kServerVerifyData));
  EXPECT_EQ(Bytes(flight.end() - 32, flight.end()), hex(kServerVerifyData));
  EXPECT_TRUE(stage.verify_server_finished(transcript, hex(kServerVerifyData)));
}

TEST(KeySchedule, RejectsWrongServerFinishedWithDecryptError) {
  const auto stage = rfc8448_handshake_stage();
  auto wrong = hex(kServerVerifyData);
  wrong[31] ^= 1;
  auto verified = stage.verify_server_finished(digest_of(kServerFinishedHash), wrong);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().alert, AlertDescription::decrypt_error);
  auto short_data = stage.verify_server_finished(digest_of(kServerFinishedHash), Bytes(31, 0));
  ASSERT_FALSE(short_data);
  EXPECT_EQ(short_data.error().alert, AlertDescription::decrypt_error);
}

TEST(KeySchedule, Rfc8448MasterAndApplicationSecrets) {
  const auto master = rfc8448_master_stage();
  EXPECT_EQ(bytes_of(master.secret()), hex(kMasterSecret));
  EXPECT_EQ(bytes_of(master.client_application_traffic_secret_0()), hex(kClientApplicationTrafficSecret));
  EXPECT_EQ(bytes_of(master.server_application_traffic_secret_0()), hex(kServerApplicationTrafficSecret));
  EXPECT_EQ(bytes_of(master.exporter_master_secret()), hex(kExporterMasterSecret));

  // "{server}  derive write traffic keys for application data".
  const auto server = derive_traffic_keys(kAes128, master.server_application_traffic_secret_0());
  EXPECT_EQ(bytes_of(server.key), hex("9f 02 28 3b 6c 9c 07 ef c2 6b b9 f2 ac 92 e3 56"));
  EXPECT_EQ(bytes_of(server.iv), hex("cf 78 2b 88 dd 83 54 9a ad f1 e9 84"));
  // "{client}  derive write traffic keys for application data".
  const auto client = derive_traffic_keys(kAes128, master.client_application_traffic_secret_0());
  EXPECT_EQ(bytes_of(client.key), hex("17 42 2d da 59 6e d5 d9 ac d8 90 e3 c6 3f 50 51"));
  EXPECT_EQ(bytes_of(client.iv), hex("5b 78 92 3d ee 08 57 90 33 e5 23 d9"));
}

TEST(KeySchedule, Rfc8448ClientFinishedVerifyData) {
  auto master = rfc8448_master_stage();
  // The client does not authenticate: its Finished covers ClientHello...server Finished.
  EXPECT_EQ(bytes_of(master.client_finished_verify_data(digest_of(kServerFinishedHash))), hex(kClientVerifyData));
  EXPECT_TRUE(master.verify_client_finished(digest_of(kServerFinishedHash), hex(kClientVerifyData)));
  auto wrong = master.verify_client_finished(digest_of(kHelloHash), hex(kClientVerifyData));
  ASSERT_FALSE(wrong);
  EXPECT_EQ(wrong.error().alert, AlertDescription::decrypt_error);
  master.discard_handshake_traffic_secret();
}

TEST(KeySchedule, Rfc8448ResumptionMasterSecretAndTicketPsk) {
  const auto master = rfc8448_master_stage();
  const auto resumption = master.resumption_master_secret(digest_of(kClientFinishedHash));
  EXPECT_EQ(bytes_of(resumption), hex(kResumptionMasterSecret));
  // RFC 8446 §4.6.1: the ticket's PSK = HKDF-Expand-Label(resumption_master_secret,
  // "resumption", ticket_nonce, Hash.length); RFC 8448 §3's ticket_nonce is 00 00.
  auto psk = hkdf_expand_label(crypto::HashAlgorithm::sha256, resumption.bytes(), "resumption", hex("00 00"), 32);
  ASSERT_TRUE(psk);
  EXPECT_EQ(bytes_of(*psk),
            hex("4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 f3"));
}

TEST(KeySchedule, Rfc8448ResumptionEarlySecretAndBinder) {
  // RFC 8448 §4 (Resumed 0-RTT Handshake): "{client}  extract secret "early"" from the ticket's
  // PSK, then "{client}  calculate PSK binder".
  const auto early = EarlySecret::with_psk(
      kAes128, hex("4e cd 0e b6 ec 3b 4d 87 f5 d6 02 8f 92 2c a4 c5 85 1a 27 7f d4 13 11 c9 e6 2d 2c 94 92 e1 c4 f3"));
  EXPECT_EQ(bytes_of(early.secret()),
            hex("9b 21 88 e9 b2 fc 6d 64 d7 1d c3 29 90 0e 20 bb 41 91 50 00 f6 78 aa 83 9c bb 79 7c b7 d8 33 2c"));
  const auto binder_key = early.binder_key(PskKind::resumption);
  EXPECT_EQ(bytes_of(binder_key),
            hex("69 fe 13 1a 3b ba d5 d6 3c 64 ee bc c3 0e 39 5b 9d 81 07 72 6a 13 d0 74 e3 89 db c8 a4 e4 72 56"));
  const auto binder_hash =
      digest_of("63 22 4b 2e 45 73 f2 d3 45 4c a8 4b 9d 00 9a 04 f6 be 9e 05 71 1a 83 96 47 3a ef a0 1e 92 4a 14");
  EXPECT_EQ(bytes_of(finished_verify_data(crypto::HashAlgorithm::sha256, binder_key, binder_hash)),
            hex("3a dd 4f b2 d8 fd f8 22 a0 ca 3c f7 67 8e f5 e8 8d ae 99 01 41 c5 92 4d 57 bb 6f a3 1b 9e 5f 9d"));
}

TEST(KeySchedule, ExternalAndResumptionBindersDiffer) {
  const auto early = EarlySecret::without_psk(kAes128);
  EXPECT_NE(bytes_of(early.binder_key(PskKind::external)), bytes_of(early.binder_key(PskKind::resumption)));
}

TEST(KeySchedule, KeyUpdateIsHkdfExpandLabelTrafficUpd) {
  const auto master = rfc8448_master_stage();
  const auto& secret0 = master.client_application_traffic_secret_0();
  const auto secret1 = next_traffic_secret(kAes128, secret0);
  auto expected = hkdf_expand_label(crypto::HashAlgorithm::sha256, secret0.bytes(), "traffic upd", {}, 32);
  ASSERT_TRUE(expected);
  EXPECT_EQ(bytes_of(secret1), bytes_of(*expected));
  EXPECT_NE(bytes_of(secret1), bytes_of(secret0));
  EXPECT_NE(bytes_of(next_traffic_secret(kAes128, secret1)), bytes_of(secret1));
}

TEST(KeySchedule, Sha384SuiteUsesHashLength48AndKeyLength32) {
  const auto aes256 = suite(CipherSuite::tls_aes_256_gcm_sha384);
  const auto shared = Bytes(32, 0x42);
  const auto hello_hash = crypto::hash(crypto::HashAlgorithm::sha384, hex("01 02 03"));
  auto stage =
      EarlySecret::without_psk(aes256).derive_handshake_secret(shared).derive_handshake_traffic_secrets(hello_hash);
  EXPECT_EQ(stage.client_handshake_traffic_secret().size(), 48u);
  const auto keys = derive_traffic_keys(aes256, stage.server_handshake_traffic_secret());
  EXPECT_EQ(keys.key.size(), 32u);
  EXPECT_EQ(keys.iv.size(), 12u);
  EXPECT_EQ(stage.server_finished_verify_data(hello_hash).size(), 48u);
  const auto master = std::move(stage).derive_master_secret(hello_hash);
  EXPECT_EQ(master.secret().size(), 48u);
  EXPECT_EQ(master.exporter_master_secret().size(), 48u);
  EXPECT_EQ(next_traffic_secret(aes256, master.server_application_traffic_secret_0()).size(), 48u);
}

TEST(KeySchedule, ChaChaSuiteKeyLength32) {
  const auto chacha = suite(CipherSuite::tls_chacha20_poly1305_sha256);
  const auto keys = derive_traffic_keys(chacha, crypto::Secret(hex(kServerApplicationTrafficSecret)));
  EXPECT_EQ(keys.key.size(), 32u);
  EXPECT_EQ(keys.iv.size(), 12u);
}

TEST(KeySchedule, ExporterFollowsRfc8446Section7_5) {
  const auto master = rfc8448_master_stage();
  auto exported = master.export_keying_material("EXPERIMENTAL my label", hex("01 02"), 20);
  ASSERT_TRUE(exported);
  EXPECT_EQ(exported->size(), 20u);
  // Spelled out: HKDF-Expand-Label(Derive-Secret(Secret, label, ""), "exporter", Hash(context), L).
  const auto sha256 = crypto::HashAlgorithm::sha256;
  const auto per_label =
      derive_secret(sha256, master.exporter_master_secret().bytes(), "EXPERIMENTAL my label", crypto::hash(sha256, {}));
  auto expected =
      hkdf_expand_label(sha256, per_label.bytes(), "exporter", crypto::hash(sha256, hex("01 02")).bytes(), 20);
  ASSERT_TRUE(expected);
  EXPECT_EQ(bytes_of(*exported), bytes_of(*expected));
  // The context and the label both change the output (RFC 8446 §7.5: in TLS 1.3 an empty context
  // and no context give the same value, so the API has no "no context").
  auto other_context = master.export_keying_material("EXPERIMENTAL my label", {}, 20);
  auto other_label = master.export_keying_material("EXPERIMENTAL other", hex("01 02"), 20);
  EXPECT_NE(bytes_of(*exported), bytes_of(*other_context));
  EXPECT_NE(bytes_of(*exported), bytes_of(*other_label));
}

TEST(KeySchedule, ExporterRejectsLengthOver255HashLengths) {
  const auto master = rfc8448_master_stage();
  auto exported = master.export_keying_material("label", {}, 255 * 32 + 1);
  ASSERT_FALSE(exported);
  EXPECT_EQ(exported.error().alert, AlertDescription::internal_error);
}

TEST(KeySchedule, KeylogLineInNssFormat) {
  const auto random =
      hex("cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83 02 4d ec e7");
  const auto stage = rfc8448_handshake_stage();
  EXPECT_EQ(format_keylog_line(keylog::kServerHandshakeTrafficSecret, random,
                               stage.server_handshake_traffic_secret().bytes()),
            "SERVER_HANDSHAKE_TRAFFIC_SECRET cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7 "
            "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
}

}  // namespace
}  // namespace duplex::tls
