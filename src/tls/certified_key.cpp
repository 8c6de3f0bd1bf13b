#include <algorithm>
#include <cctype>

#include "duplex/tls/config.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/extensions.hpp"
#include "duplex/x509/pem.hpp"

namespace duplex::tls {

duplex::Result<CertifiedKey, std::string> CertifiedKey::from_pem(std::string_view certificate_pem,
                                                                std::string_view key_pem) {
  auto chain = x509::pem_certificates(certificate_pem);
  if (!chain) return fail("no certificate could be read: " + std::string(x509::describe(chain.error())));
  auto leaf = x509::parse_certificate(chain->front());
  if (!leaf) return fail("the end-entity certificate does not parse: " + leaf.error().message());
  auto key_block = x509::pem_private_key(key_pem);
  if (!key_block) return fail("no private key could be read: " + std::string(x509::describe(key_block.error())));
  auto key = crypto::PrivateKey::from_der(key_block->der);
  if (!key) return fail("the private key does not load: " + key.error().message);
  // A server that signs with a key other than its certificate's fails every handshake; say so now.
  const auto certificate_spki = leaf->subject_public_key_info.der;
  const auto key_spki = key->public_key().spki_der();
  if (!std::equal(certificate_spki.begin(), certificate_spki.end(), key_spki.begin(), key_spki.end()))
    return fail(std::string("the private key is not the key of the end-entity certificate (") + leaf->subject.text + ")");

  CertifiedKey certified{std::move(*chain), std::move(*key), {}};
  auto extensions = x509::decode_extensions(*leaf);
  if (!extensions) return fail("the end-entity certificate's extensions do not decode: " + extensions.error().message());
  if (extensions->subject_alt_names) {
    for (const auto& name : *extensions->subject_alt_names) {
      if (name.type != x509::GeneralNameType::dns_name) continue;
      std::string dns(name.text());
      std::transform(dns.begin(), dns.end(), dns.begin(), [](unsigned char c) { return std::tolower(c); });
      certified.dns_names.push_back(std::move(dns));
    }
  }
  return certified;
}

}  // namespace duplex::tls
