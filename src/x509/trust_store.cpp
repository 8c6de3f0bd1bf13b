// Trust anchors from PEM bundles and directories (RFC 5280 §6.1.1 d, RFC 7468).
#include "duplex/x509/trust_store.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "duplex/x509/pem.hpp"

namespace duplex::x509 {

namespace {

Result<std::string, TrustStoreLoadError> read_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(TrustStoreLoadError{TrustStoreError::unreadable, path, std::strerror(errno)});
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

}  // namespace

std::string TrustStoreLoadError::message() const {
  const std::string where = path.empty() ? std::string("the trust store") : path;
  switch (code) {
    case TrustStoreError::unreadable: return "cannot read " + where + ": " + detail;
    case TrustStoreError::bad_pem: return where + " is not valid PEM: " + detail;
    case TrustStoreError::no_certificate: return where + " holds no usable certificate";
  }
  return where + " cannot be used";
}

bool TrustStore::add_der(std::span<const std::uint8_t> der) {
  auto certificate = parse_certificate(der);
  if (!certificate) {
    ++skipped_;
    return false;
  }
  add(std::move(*certificate));
  return true;
}

void TrustStore::add(Certificate certificate) {
  if (contains(certificate)) return;
  anchors_.push_back(std::move(certificate));
}

bool TrustStore::contains(const Certificate& certificate) const {
  return std::ranges::any_of(anchors_, [&](const Certificate& anchor) {
    return std::ranges::equal(anchor.der, certificate.der);
  });
}

std::vector<const Certificate*> TrustStore::find_by_subject(std::span<const std::uint8_t> name_der) const {
  std::vector<const Certificate*> out;
  for (const auto& anchor : anchors_)
    if (std::ranges::equal(anchor.subject.der, name_der)) out.push_back(&anchor);
  return out;
}

Result<Unit, TrustStoreLoadError> TrustStore::add_pem(std::string_view text, const std::string& path) {
  auto blocks = parse_pem(text);
  if (!blocks) return fail(TrustStoreLoadError{TrustStoreError::bad_pem, path, std::string(describe(blocks.error()))});
  for (const auto& block : *blocks)
    if (block.label == "CERTIFICATE" || block.label == "TRUSTED CERTIFICATE") add_der(block.der);
  return Unit{};
}

Result<TrustStore, TrustStoreLoadError> TrustStore::from_pem(std::string_view text) {
  TrustStore store;
  if (auto added = store.add_pem(text, {}); !added) return fail(added.error());
  if (store.empty()) return fail(TrustStoreLoadError{TrustStoreError::no_certificate, {}, {}});
  return store;
}

Result<TrustStore, TrustStoreLoadError> TrustStore::from_pem_file(const std::string& path) {
  auto text = read_file(path);
  if (!text) return fail(text.error());
  TrustStore store;
  if (auto added = store.add_pem(*text, path); !added) return fail(added.error());
  if (store.empty()) return fail(TrustStoreLoadError{TrustStoreError::no_certificate, path, {}});
  return store;
}

Result<TrustStore, TrustStoreLoadError> TrustStore::from_directory(const std::string& path) {
  std::error_code error;
  std::filesystem::directory_iterator entries(path, error);
  if (error) return fail(TrustStoreLoadError{TrustStoreError::unreadable, path, error.message()});
  std::vector<std::filesystem::path> files;
  for (const auto& entry : entries)
    if (entry.is_regular_file(error)) files.push_back(entry.path());
  std::ranges::sort(files);  // a stable order, whatever the directory's
  TrustStore store;
  for (const auto& file : files) {
    auto text = read_file(file.string());
    if (!text) continue;
    // A file that is not PEM (a README, a CRL in DER) is not a trust anchor: skip it.
    (void)store.add_pem(*text, file.string());
  }
  if (store.empty()) return fail(TrustStoreLoadError{TrustStoreError::no_certificate, path, {}});
  return store;
}

Result<TrustStore, TrustStoreLoadError> TrustStore::system() { return from_pem_file(std::string(kSystemBundle)); }

}  // namespace duplex::x509
