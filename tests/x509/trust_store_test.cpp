#include "duplex/x509/trust_store.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../skip.hpp"
#include "duplex/x509/pem.hpp"
#include "test_pki.hpp"

namespace duplex::x509 {
namespace {

TEST(TrustStore, ReadsEveryCertificateOfABundle) {
  const auto a = test_pki::issue({.subject = "A", .ca = true});
  const auto b = test_pki::issue({.subject = "B", .ca = true});
  const std::string bundle = "A\n" + write_pem("CERTIFICATE", a.der) + "B\n" + write_pem("CERTIFICATE", b.der);
  auto store = TrustStore::from_pem(bundle);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_EQ(store->size(), 2u);
  ASSERT_EQ(store->find_by_subject(parse_certificate(a.der)->subject.der).size(), 1u);
}

TEST(TrustStore, SkipsCertificatesThatDoNotParseAndKeepsDuplicatesOnce) {
  const auto a = test_pki::issue({.subject = "A", .ca = true});
  const std::string bundle = write_pem("CERTIFICATE", a.der) + write_pem("CERTIFICATE", a.der) +
                             write_pem("CERTIFICATE", std::vector<std::uint8_t>{0x30, 0x00});
  auto store = TrustStore::from_pem(bundle);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(store->size(), 1u);
  EXPECT_EQ(store->skipped(), 1u);
}

TEST(TrustStore, RefusesBundleWithoutCertificate) {
  auto store = TrustStore::from_pem("nothing here\n");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, TrustStoreError::no_certificate);
}

TEST(TrustStore, ReportsUnreadableFile) {
  auto store = TrustStore::from_pem_file("/nonexistent/duplex/roots.pem");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.error().code, TrustStoreError::unreadable);
  EXPECT_NE(store.error().message().find("/nonexistent/duplex/roots.pem"), std::string::npos);
}

TEST(TrustStore, ReadsADirectory) {
  const auto directory = std::filesystem::temp_directory_path() / ("duplex_trust_" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const auto a = test_pki::issue({.subject = "A", .ca = true});
  const auto b = test_pki::issue({.subject = "B", .ca = true});
  std::ofstream(directory / "a.pem") << write_pem("CERTIFICATE", a.der);
  std::ofstream(directory / "b.crt") << write_pem("CERTIFICATE", b.der);
  std::ofstream(directory / "README") << "not a certificate\n";
  auto store = TrustStore::from_directory(directory.string());
  std::filesystem::remove_all(directory);
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_EQ(store->size(), 2u);
}

TEST(TrustStore, LoadsTheSystemBundleWhenPresent) {
  if (!std::filesystem::exists(kSystemBundle))
    DUPLEX_SKIP_OR_FAIL("no " + std::string(kSystemBundle) + " (Debian's ca-certificates)");
  auto store = TrustStore::system();
  ASSERT_TRUE(store.ok()) << store.error().message();
  EXPECT_GT(store->size(), 50u);
}

}  // namespace
}  // namespace duplex::x509
