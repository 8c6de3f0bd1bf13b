// duplex x509 verify | show: the certificate verifier and a readable certificate dump.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "duplex/crypto/hash.hpp"
#include "duplex/crypto/signature.hpp"
#include "duplex/x509/crl.hpp"
#include "duplex/x509/extensions.hpp"
#include "duplex/x509/host_name.hpp"
#include "duplex/x509/oid.hpp"
#include "duplex/x509/pem.hpp"
#include "duplex/x509/verify.hpp"
#include "options.hpp"
#include "unix_time.hpp"

namespace duplex::tool {
namespace {

constexpr const char* kX509Usage = R"(usage: duplex x509 verify LEAF [OPTIONS]
       duplex x509 show FILE

verify: builds and validates a path from the leaf (the first certificate of LEAF; the others
are taken as intermediates) to a trust anchor. Exit 0 and the path, one subject per line, leaf
first; exit 1 and the reason when the leaf is not trusted; exit 2 for a usage or input error.

options:
  --intermediates FILE     more candidate intermediates (PEM, any order)
  --roots FILE|DIR         trust anchors (default: /etc/ssl/certs/ca-certificates.crt)
  --host NAME              the DNS name the leaf must hold (SAN dNSName)
  --ip ADDRESS             the IP address the leaf must hold (SAN iPAddress)
  --time UNIX_SECONDS      the verification time (default: now)
  --purpose server|client  the extendedKeyUsage asked for (default: server)
  --max-depth N            intermediates allowed, self-issued ones not counted (default: 8)
  --crl FILE               CRLs (PEM "X509 CRL" blocks or one DER CRL) to check revocation
                           against; may be repeated
  --explain                print every candidate path tried and why it failed
  --legacy-common-name     INSECURE: match --host against the subject CN when there is no SAN

show: prints every certificate of FILE (PEM or DER) readably.
)";

Result<std::string> read_text(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return fail(Error{2, "cannot read " + path});
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

// The certificates of a PEM file, or of a DER file holding one certificate.
Result<std::vector<std::vector<std::uint8_t>>> read_certificates(const std::string& path) {
  auto text = read_text(path);
  if (!text) return fail(text.error());
  if (text->find("-----BEGIN") == std::string::npos)
    return std::vector<std::vector<std::uint8_t>>{std::vector<std::uint8_t>(text->begin(), text->end())};
  auto blocks = x509::pem_certificates(*text);
  if (!blocks) return fail(Error{2, path + ": " + std::string(x509::describe(blocks.error()))});
  return std::move(*blocks);
}

std::string hex(std::span<const std::uint8_t> bytes, char separator = ':') {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i && separator) out += separator;
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 15];
  }
  return out;
}

std::string oid_name(x509::der::Oid id) {
  namespace oid = x509::oid;
  struct Named {
    x509::der::Oid oid;
    const char* name;
  };
  static const Named kNames[] = {
      {oid::rsa_encryption, "rsaEncryption"},         {oid::sha1_with_rsa, "sha1WithRSAEncryption"},
      {oid::md5_with_rsa, "md5WithRSAEncryption"},    {oid::sha256_with_rsa, "sha256WithRSAEncryption"},
      {oid::sha384_with_rsa, "sha384WithRSAEncryption"}, {oid::sha512_with_rsa, "sha512WithRSAEncryption"},
      {oid::rsassa_pss, "RSASSA-PSS"},                {oid::ec_public_key, "id-ecPublicKey"},
      {oid::ecdsa_with_sha1, "ecdsa-with-SHA1"},      {oid::ecdsa_with_sha256, "ecdsa-with-SHA256"},
      {oid::ecdsa_with_sha384, "ecdsa-with-SHA384"},  {oid::ecdsa_with_sha512, "ecdsa-with-SHA512"},
      {oid::ed25519, "Ed25519"},                      {oid::policy_constraints, "policyConstraints"},
      {oid::policy_mappings, "policyMappings"},       {oid::inhibit_any_policy, "inhibitAnyPolicy"},
      {oid::issuer_alt_name, "issuerAltName"},
  };
  for (const auto& named : kNames)
    if (named.oid == id) return std::string(named.name) + " (" + id.dotted() + ")";
  return id.dotted();
}

std::string names_text(std::span<const x509::GeneralName> names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name.to_display();
  return out;
}

void print_extensions(const x509::Certificate& certificate) {
  auto decoded = x509::decode_extensions(certificate);
  if (!decoded) {
    std::printf("  extensions: %s\n", decoded.error().message().c_str());
    return;
  }
  const auto& e = *decoded;
  if (e.subject_alt_names) std::printf("  subjectAltName: %s\n", names_text(*e.subject_alt_names).c_str());
  if (e.basic_constraints) {
    std::printf("  basicConstraints: cA=%s", e.basic_constraints->ca ? "TRUE" : "FALSE");
    if (e.basic_constraints->path_len) std::printf(" pathLen=%u", *e.basic_constraints->path_len);
    std::printf("\n");
  }
  if (e.key_usage) {
    static constexpr const char* kBits[] = {"digitalSignature", "nonRepudiation", "keyEncipherment",
                                            "dataEncipherment", "keyAgreement",   "keyCertSign",
                                            "cRLSign",          "encipherOnly",   "decipherOnly"};
    std::string bits;
    for (unsigned i = 0; i < 9; ++i)
      if (e.key_usage->has(static_cast<x509::KeyUsageBit>(i))) bits += (bits.empty() ? "" : ", ") + std::string(kBits[i]);
    std::printf("  keyUsage: %s\n", bits.c_str());
  }
  if (e.extended_key_usage) {
    std::string purposes;
    for (const auto& purpose : e.extended_key_usage->purposes) {
      std::string name = purpose == x509::oid::kp_server_auth   ? "serverAuth"
                         : purpose == x509::oid::kp_client_auth ? "clientAuth"
                         : purpose == x509::oid::any_extended_key_usage ? "anyExtendedKeyUsage"
                                                                        : purpose.dotted();
      purposes += (purposes.empty() ? "" : ", ") + name;
    }
    std::printf("  extendedKeyUsage: %s\n", purposes.c_str());
  }
  if (e.name_constraints) {
    if (e.name_constraints->permitted)
      std::printf("  nameConstraints permitted: %s\n", names_text(*e.name_constraints->permitted).c_str());
    if (e.name_constraints->excluded)
      std::printf("  nameConstraints excluded: %s\n", names_text(*e.name_constraints->excluded).c_str());
  }
  if (e.subject_key_identifier) std::printf("  subjectKeyIdentifier: %s\n", hex(*e.subject_key_identifier).c_str());
  if (e.authority_key_identifier && e.authority_key_identifier->key_identifier)
    std::printf("  authorityKeyIdentifier: %s\n", hex(*e.authority_key_identifier->key_identifier).c_str());
  if (e.authority_info_access)
    for (const auto& access : *e.authority_info_access)
      std::printf("  authorityInfoAccess: %s %s\n", access.method.dotted().c_str(), access.location.to_display().c_str());
  if (e.crl_distribution_points)
    for (const auto& point : *e.crl_distribution_points)
      std::printf("  cRLDistributionPoint: %s\n", names_text(point.full_name).c_str());
  if (e.certificate_policies)
    for (const auto& policy : *e.certificate_policies) std::printf("  certificatePolicy: %s\n", policy.policy.dotted().c_str());
  for (const auto& extension : certificate.extensions) {
    static const x509::der::Oid kShown[] = {
        x509::oid::subject_alt_name, x509::oid::basic_constraints, x509::oid::key_usage,
        x509::oid::extended_key_usage, x509::oid::name_constraints, x509::oid::subject_key_identifier,
        x509::oid::authority_key_identifier, x509::oid::authority_info_access,
        x509::oid::crl_distribution_points, x509::oid::certificate_policies};
    bool shown = false;
    for (const auto& id : kShown) shown = shown || extension.oid == id;
    if (!shown)
      std::printf("  extension %s%s: %zu bytes\n", oid_name(extension.oid).c_str(),
                  extension.critical ? " (critical)" : "", extension.value.size());
  }
}

int run_show(const std::string& path) {
  auto certificates = read_certificates(path);
  if (!certificates) {
    std::fprintf(stderr, "duplex x509 show: %s\n", certificates.error().message.c_str());
    return 2;
  }
  int status = 0;
  for (std::size_t i = 0; i < certificates->size(); ++i) {
    auto certificate = x509::parse_certificate((*certificates)[i]);
    if (!certificate) {
      std::printf("certificate %zu: %s\n", i, certificate.error().message().c_str());
      status = 2;
      continue;
    }
    const auto& c = *certificate;
    std::printf("certificate %zu\n", i);
    std::printf("  subject: %s\n  issuer: %s\n", c.subject.text.c_str(), c.issuer.text.c_str());
    std::printf("  version: %d\n  serial: %s\n", c.version, hex(c.serial).c_str());
    std::printf("  validity: %s to %s\n", x509::format_time(c.not_before).c_str(), x509::format_time(c.not_after).c_str());
    if (auto key = crypto::PublicKey::from_spki_der(c.subject_public_key_info.der))
      std::printf("  public key: %s, %d bits\n", std::string(crypto::to_string(key->type())).c_str(), key->bits());
    else
      std::printf("  public key: %s (not supported)\n", oid_name(c.subject_public_key_info.algorithm.algorithm).c_str());
    std::printf("  signature algorithm: %s\n", oid_name(c.signature_algorithm.algorithm).c_str());
    print_extensions(c);
    std::printf("  SHA-256 fingerprint: %s\n", hex(crypto::hash(crypto::HashAlgorithm::sha256, c.der).bytes()).c_str());
  }
  return status;
}

// The CRLs of a PEM file ("X509 CRL" blocks) or of a DER file holding one.
Result<std::vector<x509::CertificateRevocationList>> read_crls(const std::string& path) {
  auto text = read_text(path);
  if (!text) return fail(text.error());
  std::vector<std::vector<std::uint8_t>> ders;
  if (text->find("-----BEGIN") == std::string::npos) {
    ders.emplace_back(text->begin(), text->end());
  } else {
    auto blocks = x509::parse_pem(*text);
    if (!blocks) return fail(Error{2, path + ": " + std::string(x509::describe(blocks.error()))});
    for (auto& block : *blocks)
      if (block.label == "X509 CRL") ders.push_back(std::move(block.der));
  }
  if (ders.empty()) return fail(Error{2, path + " holds no CRL"});
  std::vector<x509::CertificateRevocationList> out;
  for (const auto& der : ders) {
    auto crl = x509::parse_crl(der);
    if (!crl) return fail(Error{2, path + ": " + crl.error().message()});
    out.push_back(std::move(*crl));
  }
  return out;
}

Result<x509::TrustStore> load_roots(const std::optional<std::string>& path) {
  Result<x509::TrustStore, x509::TrustStoreLoadError> roots = x509::TrustStore();
  if (!path) roots = x509::TrustStore::system();
  else if (std::filesystem::is_directory(*path)) roots = x509::TrustStore::from_directory(*path);
  else roots = x509::TrustStore::from_pem_file(*path);
  if (!roots) return fail(Error{2, roots.error().message()});
  return std::move(*roots);
}

int run_verify(const Options& options) {
  auto fail_usage = [](const std::string& message) {
    std::fprintf(stderr, "duplex x509 verify: %s\n", message.c_str());
    return 2;
  };
  if (options.positional().size() != 2) return fail_usage("give exactly one LEAF file");
  if (options.has("--host") && options.has("--ip")) return fail_usage("give --host or --ip, not both");
  auto chain = read_certificates(options.positional()[1]);
  if (!chain) return fail_usage(chain.error().message);
  if (auto extra = options.value("--intermediates")) {
    auto more = read_certificates(*extra);
    if (!more) return fail_usage(more.error().message);
    chain->insert(chain->end(), more->begin(), more->end());
  }
  auto roots = load_roots(options.value("--roots"));
  if (!roots) return fail_usage(roots.error().message);
  auto time = options.unsigned_value("--time", static_cast<std::uint64_t>(unix_now()));
  if (!time) return fail_usage(time.error().message);
  auto depth = options.unsigned_value("--max-depth", 8);
  if (!depth) return fail_usage(depth.error().message);
  const std::string purpose = options.value("--purpose").value_or("server");
  if (purpose != "server" && purpose != "client") return fail_usage("--purpose is server or client");
  const std::string peer = options.value("--host").value_or(options.value("--ip").value_or(""));
  if (options.has("--ip") && !x509::parse_peer_name(peer).has_value())
    return fail_usage("'" + peer + "' is not an IP address");
  if (options.has("--ip") && std::holds_alternative<x509::DnsName>(*x509::parse_peer_name(peer)))
    return fail_usage("'" + peer + "' is not an IP address");

  std::vector<x509::CertificateRevocationList> crls;
  for (const auto& file : options.values("--crl")) {
    auto more = read_crls(file);
    if (!more) return fail_usage(more.error().message);
    for (auto& crl : *more) crls.push_back(std::move(crl));
  }

  const x509::VerifyOptions verify_options{
      .roots = &*roots,
      .peer_name = peer,
      .time = static_cast<std::int64_t>(*time),
      .purpose = purpose == "server" ? x509::Purpose::server_auth : x509::Purpose::client_auth,
      .max_intermediates = static_cast<std::uint32_t>(*depth),
      .explain = options.has("--explain"),
      .allow_common_name_fallback = options.has("--legacy-common-name"),
      .crls = crls,
  };
  auto path = x509::verify_certificate_chain(*chain, verify_options);
  const auto& attempts = path ? path->attempts : path.error().attempts;
  if (verify_options.explain) {
    for (const auto& attempt : attempts) {
      std::printf("tried:");
      for (std::size_t i = 0; i < attempt.subjects.size(); ++i)
        std::printf("%s %s", i ? " <-" : "", attempt.subjects[i].empty() ? "(empty subject)" : attempt.subjects[i].c_str());
      std::printf("\n  failed at certificate %zu: %s: %s\n", attempt.certificate_index,
                  std::string(x509::to_string(attempt.reason)).c_str(), attempt.detail.c_str());
    }
  }
  if (!path) {
    std::printf("not trusted (%s): %s\n", std::string(x509::to_string(path.error().reason)).c_str(),
                path.error().message().c_str());
    return 1;
  }
  if (verify_options.explain) std::printf("trusted path:\n");
  for (const auto& certificate : path->certificates)
    std::printf("%s\n", certificate.subject.text.empty() ? "(empty subject)" : certificate.subject.text.c_str());
  return 0;
}

}  // namespace

int run_x509(std::span<const std::string_view> args) {
  const OptionSpec spec{
      .with_value = {"--intermediates", "--roots", "--host", "--ip", "--time", "--purpose", "--max-depth", "--crl"},
      .flags = {"--explain", "--legacy-common-name", "--help"}};
  auto options = Options::parse(args, spec);
  if (!options) {
    std::fprintf(stderr, "duplex x509: %s\n\n%s", options.error().message.c_str(), kX509Usage);
    return 2;
  }
  if (options->has("--help")) {
    std::fputs(kX509Usage, stdout);
    return 0;
  }
  const auto& positional = options->positional();
  if (!positional.empty() && positional[0] == "verify") return run_verify(*options);
  if (!positional.empty() && positional[0] == "show" && positional.size() == 2) return run_show(positional[1]);
  std::fputs(kX509Usage, stderr);
  return 2;
}

}  // namespace duplex::tool
