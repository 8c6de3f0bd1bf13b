// Differential test: our verifier against OpenSSL's X509_verify_cert on chains generated here,
// varying one rule at a time (validity, cA, pathLen, EKU, keyUsage, names, name constraints).
// libcrypto's verifier is used only in this test binary, never by the library.
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <gtest/gtest.h>

#include <memory>

#include "duplex/x509/verify.hpp"
#include "test_pki.hpp"

namespace duplex::x509 {
namespace {

using test_pki::Bytes;
using test_pki::issue;
using test_pki::Issued;
using test_pki::kNow;

struct X509Free {
  void operator()(X509* certificate) const { X509_free(certificate); }
};
using X509Pointer = std::unique_ptr<X509, X509Free>;

X509Pointer to_openssl(const Bytes& der) {
  const unsigned char* cursor = der.data();
  return X509Pointer(d2i_X509(nullptr, &cursor, static_cast<long>(der.size())));
}

// OpenSSL's verdict: X509_verify_cert with the same anchors, time, host and purpose.
bool openssl_accepts(const std::vector<Bytes>& chain, const std::vector<Bytes>& roots, const std::string& host) {
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  for (const auto& der : roots) {
    auto root = to_openssl(der);
    X509_STORE_add_cert(store.get(), root.get());
  }
  std::unique_ptr<STACK_OF(X509), void (*)(STACK_OF(X509)*)> untrusted(
      sk_X509_new_null(), [](STACK_OF(X509)* stack) { sk_X509_pop_free(stack, X509_free); });
  for (std::size_t i = 1; i < chain.size(); ++i) sk_X509_push(untrusted.get(), to_openssl(chain[i]).release());
  auto leaf = to_openssl(chain[0]);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), untrusted.get());
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(context.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(kNow));
  X509_VERIFY_PARAM_set_purpose(param, X509_PURPOSE_SSL_SERVER);
  X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
  // An IP literal is an iPAddress reference for both verifiers (OpenSSL would take it as a DNS name).
  if (host.find_first_not_of("0123456789.") == std::string::npos)
    X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str());
  else
    X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size());
  return X509_verify_cert(context.get()) == 1;
}

bool we_accept(const std::vector<Bytes>& chain, const std::vector<Bytes>& roots, const std::string& host) {
  TrustStore store;
  for (const auto& der : roots) store.add_der(der);
  return verify_certificate_chain(chain, {.roots = &store, .peer_name = host, .time = kNow}).ok();
}

struct Variation {
  const char* name;
  test_pki::Spec root, intermediate, leaf;
  std::string host = "www.example.com";
};

std::vector<Variation> variations() {
  const test_pki::Spec root{.subject = "Diff Root", .ca = true};
  const test_pki::Spec intermediate{.subject = "Diff Intermediate", .ca = true};
  const test_pki::Spec leaf{.subject = "leaf", .eku = {"1.3.6.1.5.5.7.3.1"}, .dns_names = {"www.example.com"}};
  std::vector<Variation> out;
  auto add = [&](const char* name, auto change, std::string host = "www.example.com") {
    Variation variation{name, root, intermediate, leaf, host};
    change(variation);
    out.push_back(variation);
  };
  add("valid", [](Variation&) {});
  add("leaf_expired", [](Variation& v) { v.leaf.not_after = kNow - 60; });
  add("leaf_not_yet_valid", [](Variation& v) { v.leaf.not_before = kNow + 60; });
  add("intermediate_expired", [](Variation& v) { v.intermediate.not_after = kNow - 60; });
  add("root_expired", [](Variation& v) { v.root.not_after = kNow - 60; });
  add("intermediate_not_ca", [](Variation& v) {
    v.intermediate.ca = false;
    v.intermediate.key_usage = 1u << 0;
  });
  add("root_path_len_0", [](Variation& v) { v.root.path_len = 0; });
  add("root_path_len_1", [](Variation& v) { v.root.path_len = 1; });
  add("leaf_client_auth_only", [](Variation& v) { v.leaf.eku = {"1.3.6.1.5.5.7.3.2"}; });
  add("leaf_no_eku", [](Variation& v) { v.leaf.eku = {}; });
  add("intermediate_client_eku", [](Variation& v) { v.intermediate.eku = {"1.3.6.1.5.5.7.3.2"}; });
  add("wrong_name", [](Variation&) {}, "mail.example.com");
  add("wildcard", [](Variation& v) { v.leaf.dns_names = {"*.example.com"}; });
  add("wildcard_two_levels", [](Variation& v) { v.leaf.dns_names = {"*.example.com"}; }, "a.www.example.com");
  add("ip_san", [](Variation& v) { v.leaf.ip_addresses = {{192, 0, 2, 1}}; }, "192.0.2.1");
  add("ip_not_in_dns_san", [](Variation& v) { v.leaf.dns_names = {"192.0.2.1"}; }, "192.0.2.1");
  add("nc_permitted", [](Variation& v) { v.intermediate.permitted_dns = {"example.com"}; });
  add("nc_not_permitted", [](Variation& v) { v.intermediate.permitted_dns = {"example.org"}; });
  add("nc_excluded", [](Variation& v) { v.root.excluded_dns = {"www.example.com"}; });
  add("nc_ip_permitted", [](Variation& v) {
    v.leaf.ip_addresses = {{10, 1, 2, 3}};
    v.intermediate.permitted_ip = {{10, 0, 0, 0, 255, 0, 0, 0}};
  }, "10.1.2.3");
  add("nc_ip_not_permitted", [](Variation& v) {
    v.leaf.ip_addresses = {{10, 1, 2, 3}};
    v.intermediate.permitted_ip = {{11, 0, 0, 0, 255, 0, 0, 0}};
  }, "10.1.2.3");
  add("unknown_critical_extension", [](Variation& v) { v.leaf.extra = {{"1.2.3.4", true, {0x05, 0x00}}}; });
  add("rsa_chain", [](Variation& v) {
    v.root.key_type = crypto::KeyType::rsa;
    v.leaf.key_type = crypto::KeyType::ecdsa_p384;
  });
  return out;
}

TEST(OpensslDifferential, SameVerdictOnGeneratedChains) {
  for (const auto& variation : variations()) {
    const Issued root = issue(variation.root);
    const Issued intermediate = issue(variation.intermediate, &root);
    const Issued leaf = issue(variation.leaf, &intermediate);
    const std::vector<Bytes> chain{leaf.der, intermediate.der};
    const bool ours = we_accept(chain, {root.der}, variation.host);
    const bool theirs = openssl_accepts(chain, {root.der}, variation.host);
    EXPECT_EQ(ours, theirs) << variation.name << ": duplex " << (ours ? "accepts" : "refuses") << ", OpenSSL "
                            << (theirs ? "accepts" : "refuses");
  }
}

}  // namespace
}  // namespace duplex::x509
