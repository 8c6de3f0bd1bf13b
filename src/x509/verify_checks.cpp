// The rules path validation applies to one certificate (RFC 5280 §4 and §6.1.3-6.1.5), apart
// from those that relate two certificates of the path (verify.cpp).
#include <algorithm>

#include "duplex/x509/host_name.hpp"
#include "duplex/x509/name_constraints.hpp"
#include "duplex/x509/oid.hpp"
#include "verify_internal.hpp"

namespace duplex::x509::detail {

namespace {

Failure<CheckFailure> refuse(VerifyReason reason, std::string detail) {
  return fail(CheckFailure{reason, std::move(detail)});
}

bool is_empty_name(const Name& name) { return name.der.size() <= 2; }

bool is_null_or_absent(std::span<const std::uint8_t> parameters) {
  return parameters.empty() || (parameters.size() == 2 && parameters[0] == 0x05 && parameters[1] == 0x00);
}

// Hash and MGF OIDs of RSASSA-PSS parameters (RFC 4055 §3.1, RFC 8017 §A.2.3).
constexpr std::uint8_t kSha256[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01};
constexpr std::uint8_t kSha384[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02};
constexpr std::uint8_t kSha512[] = {0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03};
constexpr std::uint8_t kMgf1[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x08};

// AlgorithmIdentifier { hash OID, NULL or absent } → the hash's output size, 0 if not SHA-2.
std::size_t read_hash(der::Reader& reader) {
  auto hash = reader.read_sequence();
  if (!hash) return 0;
  auto id = hash->read_oid();
  if (!id) return 0;
  if (!hash->empty() && !hash->read_null()) return 0;
  if (!hash->finish()) return 0;
  if (*id == der::Oid{kSha256}) return 32;
  if (*id == der::Oid{kSha384}) return 48;
  if (*id == der::Oid{kSha512}) return 64;
  return 0;
}

// RFC 4055 §3.1 RSASSA-PSS-params, accepted only in the forms TLS can name (RFC 8446 §4.2.3):
// SHA-256/384/512, MGF1 with the same hash, a salt as long as the hash, trailerField 1.
std::optional<crypto::SignatureScheme> pss_scheme(std::span<const std::uint8_t> parameters) {
  der::Reader outer(parameters);
  auto params = outer.read_sequence();
  if (!params || !outer.finish()) return std::nullopt;
  auto hash_field = params->read_explicit(0);
  if (!hash_field) return std::nullopt;
  const std::size_t hash = read_hash(*hash_field);
  if (hash == 0 || !hash_field->finish()) return std::nullopt;
  auto mgf_field = params->read_explicit(1);
  if (!mgf_field) return std::nullopt;
  auto mgf = mgf_field->read_sequence();
  if (!mgf || !mgf_field->finish()) return std::nullopt;
  auto mgf_id = mgf->read_oid();
  if (!mgf_id || !(*mgf_id == der::Oid{kMgf1}) || read_hash(*mgf) != hash || !mgf->finish()) return std::nullopt;
  auto salt_field = params->read_explicit(2);
  if (!salt_field) return std::nullopt;
  auto salt = salt_field->read_int64();
  if (!salt || *salt != static_cast<std::int64_t>(hash) || !salt_field->finish()) return std::nullopt;
  if (auto trailer = params->read_optional_explicit(3); !trailer) {
    return std::nullopt;
  } else if (trailer->has_value()) {
    auto value = (*trailer)->read_int64();
    if (!value || *value != 1) return std::nullopt;
  }
  if (!params->finish()) return std::nullopt;
  if (hash == 32) return crypto::SignatureScheme::rsa_pss_rsae_sha256;
  if (hash == 48) return crypto::SignatureScheme::rsa_pss_rsae_sha384;
  return crypto::SignatureScheme::rsa_pss_rsae_sha512;
}

// The SignatureScheme for a certificate's signature AlgorithmIdentifier made with `key`.
Result<crypto::SignatureScheme, CheckFailure> scheme_for(const AlgorithmIdentifier& algorithm, crypto::KeyType key) {
  const der::Oid id = algorithm.algorithm;
  using crypto::SignatureScheme;
  // RFC 9155 and CA/Browser Forum BR §7.1.3.2: SHA-1 and MD5 signatures are not accepted.
  if (id == oid::sha1_with_rsa || id == oid::md5_with_rsa || id == oid::ecdsa_with_sha1)
    return refuse(VerifyReason::weak_signature_algorithm, "is signed with " + algorithm.algorithm.dotted() +
                                                              " (SHA-1 or MD5), which is not accepted");
  std::optional<SignatureScheme> scheme;
  bool parameters_ok = true;
  if (id == oid::sha256_with_rsa || id == oid::sha384_with_rsa || id == oid::sha512_with_rsa) {
    // RFC 4055 §5: the parameters MUST be NULL (absent is tolerated, as Go and webpki do).
    parameters_ok = is_null_or_absent(algorithm.parameters);
    if (key == crypto::KeyType::rsa)
      scheme = id == oid::sha256_with_rsa ? SignatureScheme::rsa_pkcs1_sha256
               : id == oid::sha384_with_rsa ? SignatureScheme::rsa_pkcs1_sha384
                                            : SignatureScheme::rsa_pkcs1_sha512;
  } else if (id == oid::rsassa_pss) {
    scheme = pss_scheme(algorithm.parameters);
    parameters_ok = scheme.has_value();
    if (key != crypto::KeyType::rsa) scheme.reset();
  } else if (id == oid::ecdsa_with_sha256 || id == oid::ecdsa_with_sha384) {
    // RFC 5758 §3.2: the parameters MUST be absent.
    parameters_ok = algorithm.parameters.empty();
    if (id == oid::ecdsa_with_sha256 && key == crypto::KeyType::ecdsa_p256) scheme = SignatureScheme::ecdsa_secp256r1_sha256;
    if (id == oid::ecdsa_with_sha384 && key == crypto::KeyType::ecdsa_p384) scheme = SignatureScheme::ecdsa_secp384r1_sha384;
  } else if (id == oid::ed25519) {
    parameters_ok = algorithm.parameters.empty();  // RFC 8410 §3
    if (key == crypto::KeyType::ed25519) scheme = SignatureScheme::ed25519;
  }
  if (!parameters_ok)
    return refuse(VerifyReason::unsupported_signature_algorithm,
                  "has signature algorithm parameters that are not accepted for " + id.dotted());
  if (!scheme)
    return refuse(VerifyReason::unsupported_signature_algorithm,
                  "is signed with " + id.dotted() + ", which is not supported with an issuer key of type " +
                      std::string(crypto::to_string(key)));
  return *scheme;
}

Check check_semantic_profile(const Candidate& candidate);

// RFC 5280 §4.2 profile rules on extension criticality and presence that hold for any role.
Check check_extension_profile(const Candidate& candidate) {
  const Certificate& certificate = candidate.certificate;
  const Extensions& extensions = candidate.extensions;
  auto critical = [&](der::Oid id) {
    const Extension* extension = certificate.find_extension(id);
    return extension && extension->critical;
  };
  // Q: Why are lenient anchors spared the AKI, SKI and AIA rules below?
  // A: They are about how a certificate was issued, and an anchor is trusted for being in the
  //    store, not through its issuer. Debian's store holds roots that break them (QuoVadis Root
  //    CA 2: AKI with authorityCertIssuer; TWCA Global Root CA: no SKI) and still anchor live
  //    sites; webpki, Go and browsers look at an anchor's subject, key and constraints only.
  if (candidate.lenient_profile) return check_semantic_profile(candidate);
  // RFC 5280 §4.2.1.1: "Conforming CAs MUST mark this extension as non-critical", and the
  // keyIdentifier "MUST be included in all certificates generated by conforming CAs" except
  // self-signed ones. CA/B BR §7.1.2.11.1: authorityCertIssuer and serial MUST NOT be present.
  if (const auto& aki = extensions.authority_key_identifier) {
    if (critical(oid::authority_key_identifier))
      return refuse(VerifyReason::invalid_extension, "has a critical authorityKeyIdentifier (RFC 5280 §4.2.1.1)");
    if (!aki->key_identifier)
      return refuse(VerifyReason::invalid_extension, "has an authorityKeyIdentifier without a keyIdentifier");
    if (aki->has_authority_cert_issuer || aki->has_authority_cert_serial)
      return refuse(VerifyReason::invalid_extension,
                    "has an authorityKeyIdentifier with authorityCertIssuer or authorityCertSerialNumber");
  } else if (!candidate.self_issued && !candidate.anchor) {
    // Q: Why may a trust anchor lack it? A: An anchor is trusted for being in the store, not
    //    through its issuer; cross-signed roots without an AKI are deployed (x509-limbo's
    //    cve-2024-0567 needs one), and webpki does not look at an anchor's extensions at all.
    return refuse(VerifyReason::invalid_extension,
                  "has no authorityKeyIdentifier, which RFC 5280 §4.2.1.1 requires of all but self-signed certificates");
  }
  // RFC 5280 §4.2.1.2: "Conforming CAs MUST mark this extension as non-critical."
  if (critical(oid::subject_key_identifier))
    return refuse(VerifyReason::invalid_extension, "has a critical subjectKeyIdentifier (RFC 5280 §4.2.1.2)");
  // RFC 5280 §4.2.2.1: "Conforming CAs MUST mark this extension as non-critical."
  if (critical(oid::authority_info_access))
    return refuse(VerifyReason::invalid_extension, "has a critical authorityInfoAccess (RFC 5280 §4.2.2.1)");
  return check_semantic_profile(candidate);
}

// The profile rules that decide what a certificate means (names, CA-ness, policies), for every
// certificate including lenient anchors.
Check check_semantic_profile(const Candidate& candidate) {
  const Certificate& certificate = candidate.certificate;
  const Extensions& extensions = candidate.extensions;
  auto critical = [&](der::Oid id) {
    const Extension* extension = certificate.find_extension(id);
    return extension && extension->critical;
  };
  // RFC 5280 §4.2.1.6: with an empty subject the SAN "MUST be critical"; with a subject, CA/B
  // BR §7.1.2.7.12 wants it non-critical.
  if (is_empty_name(certificate.subject)) {
    if (!extensions.subject_alt_names || !critical(oid::subject_alt_name))
      return refuse(VerifyReason::invalid_extension,
                    "has an empty subject without a critical subjectAltName (RFC 5280 §4.2.1.6)");
  } else if (extensions.subject_alt_names && critical(oid::subject_alt_name)) {
    return refuse(VerifyReason::invalid_extension, "has a critical subjectAltName beside a non-empty subject");
  }
  // RFC 5280 §4.2.1.3 and §4.2.1.9: keyCertSign asserted exactly when cA is.
  const bool ca = extensions.basic_constraints && extensions.basic_constraints->ca;
  if (extensions.key_usage) {
    const bool cert_sign = extensions.key_usage->has(KeyUsageBit::key_cert_sign);
    if (cert_sign && !ca)
      return refuse(VerifyReason::invalid_extension, "asserts keyUsage keyCertSign without basicConstraints cA");
    if (ca && !cert_sign)
      return refuse(VerifyReason::invalid_extension, "asserts basicConstraints cA without keyUsage keyCertSign");
  }
  // RFC 5280 §4.2.1.11: "Conforming CAs MUST mark this extension as critical." (A critical
  // one is refused as unsupported: we do not process policies.)
  if (const Extension* policy = certificate.find_extension(oid::policy_constraints); policy && !policy->critical)
    return refuse(VerifyReason::invalid_extension, "has a non-critical policyConstraints (RFC 5280 §4.2.1.11)");
  // RFC 5280 §4.2.1.10: "The name constraints extension ... MUST be used only in a CA certificate."
  if (extensions.name_constraints && !ca)
    return refuse(VerifyReason::invalid_extension, "has nameConstraints but is not a CA certificate");
  return Unit{};
}

// The key types and sizes we accept (CA/B BR §6.1.5: RSA >= 2048 bits, a multiple of 8; P-256,
// P-384; RFC 8410 Ed25519).
Check check_public_key(Candidate& candidate) {
  const auto& spki = candidate.certificate.subject_public_key_info;
  const der::Oid algorithm = spki.algorithm.algorithm;
  if (algorithm == oid::rsa_encryption) {
    if (!is_null_or_absent(spki.algorithm.parameters))  // RFC 3279 §2.3.1: NULL
      return refuse(VerifyReason::unsupported_public_key, "has rsaEncryption key parameters other than NULL");
  } else if (algorithm == oid::ec_public_key) {
    // RFC 5480 §2.1.1: namedCurve only (implicitCurve and specifiedCurve MUST NOT be used).
    der::Reader parameters(spki.algorithm.parameters);
    auto curve = parameters.read_oid();
    if (!curve || !parameters.finish() || !(*curve == oid::secp256r1 || *curve == oid::secp384r1))
      return refuse(VerifyReason::unsupported_public_key, "has an EC key on a curve other than P-256 or P-384");
  } else if (algorithm == oid::ed25519) {
    if (!spki.algorithm.parameters.empty())
      return refuse(VerifyReason::unsupported_public_key, "has Ed25519 key parameters, which RFC 8410 forbids");
  } else {
    return refuse(VerifyReason::unsupported_public_key, "has a public key of unsupported type " + algorithm.dotted());
  }
  auto key = crypto::PublicKey::from_spki_der(spki.der);
  if (!key) return refuse(VerifyReason::unsupported_public_key, "has a public key that cannot be used: " + key.error().message);
  if (key->type() == crypto::KeyType::rsa && (key->bits() < 2048 || key->bits() % 8 != 0))
    return refuse(VerifyReason::weak_public_key,
                  "has an RSA key of " + std::to_string(key->bits()) + " bits (2048 or more, in whole bytes, required)");
  candidate.key = std::move(*key);
  return Unit{};
}

}  // namespace

Result<Candidate, CheckFailure> make_candidate(const Certificate& certificate) {
  Candidate out;
  out.certificate = certificate;
  auto extensions = decode_extensions(certificate);
  if (!extensions) return refuse(VerifyReason::malformed_certificate, "is malformed: " + extensions.error().message());
  out.extensions = std::move(*extensions);
  if (out.extensions.subject_alt_names) out.sans = *out.extensions.subject_alt_names;
  out.self_issued = std::ranges::equal(certificate.issuer.der, certificate.subject.der);
  return out;
}

Result<Candidate, CheckFailure> make_candidate(std::span<const std::uint8_t> der) {
  auto certificate = parse_certificate(der);
  if (!certificate) return refuse(VerifyReason::malformed_certificate, "is malformed: " + certificate.error().message());
  return make_candidate(*certificate);
}

Check check_common(Candidate& candidate) {
  const Certificate& certificate = candidate.certificate;
  // CA/B BR §7.1.1: "Certificates MUST be of type X.509 v3."
  if (certificate.version != 3) return refuse(VerifyReason::unsupported_version, "is not an X.509 v3 certificate");
  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets. Not asked of trust anchors: old
  // roots still in stores have a serial of 0 (Starfield Root G2).
  if (certificate.has_lint(Lint::serial_not_positive) && !candidate.anchor)
    return refuse(VerifyReason::bad_serial_number, "has a serial number that is zero or negative");
  if (certificate.has_lint(Lint::serial_too_long) && !candidate.anchor)
    return refuse(VerifyReason::bad_serial_number, "has a serial number longer than 20 octets");
  // RFC 5280 §4.1.2.4: "The issuer field MUST contain a non-empty distinguished name (DN)."
  if (is_empty_name(certificate.issuer)) return refuse(VerifyReason::empty_name, "has an empty issuer name");
  if (!candidate.extensions.unsupported_critical.empty())
    return refuse(VerifyReason::unsupported_critical_extension,
                  "has the critical extension " + candidate.extensions.unsupported_critical.front().dotted() +
                      ", which this verifier does not process (RFC 5280 §4.2)");
  if (auto profile = check_extension_profile(candidate); !profile) return profile;
  return check_public_key(candidate);
}

Check check_validity(const Candidate& candidate, std::int64_t time) {
  const Certificate& certificate = candidate.certificate;
  // RFC 5280 §4.1.2.5: "The validity period for a certificate is the period of time from
  // notBefore through notAfter, inclusive."
  if (time < certificate.not_before)
    return refuse(VerifyReason::not_yet_valid, "is not valid yet: notBefore " + format_time(certificate.not_before) +
                                                   " is after the verification time " + format_time(time));
  if (time > certificate.not_after)
    return refuse(VerifyReason::expired, "has expired: notAfter " + format_time(certificate.not_after) +
                                             " is before the verification time " + format_time(time));
  return Unit{};
}

Check check_issuer_role(const Candidate& candidate, Purpose purpose) {
  const Extensions& extensions = candidate.extensions;
  // RFC 5280 §4.1.2.6: a CA's subject "MUST contain a non-empty distinguished name".
  if (is_empty_name(candidate.certificate.subject)) return refuse(VerifyReason::empty_name, "is a CA with an empty subject");
  // RFC 5280 §6.1.4 (k): the issuer must be a CA.
  if (!extensions.basic_constraints || !extensions.basic_constraints->ca)
    return refuse(VerifyReason::not_a_ca, "issues a certificate but is not a CA (no basicConstraints cA)");
  // RFC 5280 §4.2.1.9: CAs "MUST mark the extension as critical" (not asked of lenient anchors).
  const Extension* basic = candidate.certificate.find_extension(oid::basic_constraints);
  if (!basic->critical && !candidate.lenient_profile)
    return refuse(VerifyReason::invalid_extension, "is a CA whose basicConstraints is not critical (RFC 5280 §4.2.1.9)");
  // RFC 5280 §6.1.4 (n): keyCertSign where keyUsage is present.
  if (extensions.key_usage && !extensions.key_usage->has(KeyUsageBit::key_cert_sign))
    return refuse(VerifyReason::key_usage_missing, "issues a certificate but its keyUsage lacks keyCertSign");
  // RFC 5280 §4.2.1.2: the SKI "MUST appear in all conforming CA certificates".
  if (!extensions.subject_key_identifier && !candidate.lenient_profile)
    return refuse(VerifyReason::invalid_extension, "is a CA without a subjectKeyIdentifier (RFC 5280 §4.2.1.2)");
  // Q: Does a CA's EKU constrain the certificates below it? A: RFC 5280 says nothing; Go,
  //    Chrome and webpki treat it as a constraint, and so do we (anyExtendedKeyUsage allows all).
  if (const auto& eku = extensions.extended_key_usage) {
    const der::Oid wanted = purpose == Purpose::server_auth ? oid::kp_server_auth : oid::kp_client_auth;
    if (!eku->contains(wanted) && !eku->contains(oid::any_extended_key_usage))
      return refuse(VerifyReason::extended_key_usage_missing,
                    std::string("is a CA whose extendedKeyUsage does not allow ") +
                        (purpose == Purpose::server_auth ? "serverAuth" : "clientAuth"));
  }
  if (const auto& constraints = extensions.name_constraints) {
    if (auto syntax = check_constraints_syntax(*constraints); !syntax)
      return refuse(VerifyReason::invalid_extension, "has invalid nameConstraints: " + syntax.error().detail);
  }
  return Unit{};
}

Check check_leaf_role(const Candidate& candidate, Purpose purpose, bool require_digital_signature) {
  const Extensions& extensions = candidate.extensions;
  // RFC 5280 §4.2.1.12: "If the extension is present, then the certificate MUST only be used
  // for one of the purposes indicated" (anyExtendedKeyUsage allows every purpose).
  if (const auto& eku = extensions.extended_key_usage) {
    const der::Oid wanted = purpose == Purpose::server_auth ? oid::kp_server_auth : oid::kp_client_auth;
    if (!eku->contains(wanted) && !eku->contains(oid::any_extended_key_usage))
      return refuse(VerifyReason::extended_key_usage_missing,
                    std::string("has an extendedKeyUsage without ") +
                        (purpose == Purpose::server_auth ? "serverAuth" : "clientAuth"));
  }
  // RFC 8446 §4.4.2.2: "the digitalSignature bit MUST be set if the Key Usage extension is present".
  if (require_digital_signature && extensions.key_usage && !extensions.key_usage->has(KeyUsageBit::digital_signature))
    return refuse(VerifyReason::key_usage_missing, "has a keyUsage without digitalSignature");
  return Unit{};
}

Check check_peer_name(const Candidate& leaf, std::string_view peer_name, bool allow_common_name_fallback) {
  const auto peer = parse_peer_name(peer_name);
  if (!peer) return refuse(VerifyReason::invalid_peer_name, "cannot be matched: '" + std::string(peer_name) +
                                                                "' is neither a valid DNS name nor an IP address");
  if (const auto* address = std::get_if<IpAddress>(&*peer)) {
    // RFC 5280 §4.2.1.6 / RFC 9525 §6.2: an IP reference identity matches iPAddress SANs only,
    // byte for byte.
    for (const auto& name : leaf.sans)
      if (name.type == GeneralNameType::ip_address && std::ranges::equal(name.value, address->bytes)) return Unit{};
    return refuse(VerifyReason::name_mismatch, "is not valid for the IP address " + std::string(peer_name));
  }
  const std::string& dns = std::get<DnsName>(*peer).name;
  for (const auto& name : leaf.sans)
    if (name.type == GeneralNameType::dns_name && matches_dns_name(name.text(), dns)) return Unit{};
  // RFC 9525 §6.4.4: the CN is not consulted unless asked for, and never when there is a SAN.
  if (allow_common_name_fallback && !leaf.extensions.subject_alt_names) {
    der::Reader rdns(leaf.certificate.subject.der);
    if (auto sequence = rdns.read_sequence()) {
      while (!sequence->empty()) {
        auto set = sequence->read_set();
        if (!set) break;
        while (!set->empty()) {
          auto attribute = set->read_sequence();
          if (!attribute) break;
          auto type = attribute->read_oid();
          auto value = type ? attribute->read_string() : Result<std::string, der::DerError>(fail(type.error()));
          if (type && value && *type == oid::common_name && matches_dns_name(*value, dns)) return Unit{};
        }
      }
    }
  }
  std::string names;
  std::size_t listed = 0, total = 0;
  for (const auto& name : leaf.sans) {
    if (name.type != GeneralNameType::dns_name && name.type != GeneralNameType::ip_address) continue;
    if (++total > 8) continue;  // a CDN certificate holds hundreds: the first few say enough
    names += listed++ ? ", " : "";
    names += name.to_display();
  }
  if (total > listed) names += " and " + std::to_string(total - listed) + " more";
  return refuse(VerifyReason::name_mismatch, "is not valid for " + std::string(peer_name) + " (its names: " +
                                                 (names.empty() ? std::string("none") : names) + ")");
}

Result<crypto::SignatureScheme, CheckFailure> signature_scheme_for(const AlgorithmIdentifier& algorithm,
                                                                  crypto::KeyType key) {
  return scheme_for(algorithm, key);
}

Check check_signature(const Candidate& subject, const Candidate& issuer) {
  if (!issuer.key) return refuse(VerifyReason::unsupported_public_key, "has no usable public key");
  auto scheme = scheme_for(subject.certificate.signature_algorithm, issuer.key->type());
  if (!scheme) return fail(scheme.error());
  // RFC 5280 §4.1.1.3: the signature is over the DER tbsCertificate, and a BIT STRING of whole bytes.
  if (subject.certificate.signature_value.unused_bits != 0)
    return refuse(VerifyReason::bad_signature, "has a signature that is not a whole number of bytes");
  auto verified = issuer.key->verify(*scheme, subject.certificate.tbs, subject.certificate.signature_value.bytes);
  if (!verified)
    return refuse(VerifyReason::bad_signature, "has a signature that the key of " + issuer.certificate.subject.text +
                                                   " does not verify");
  return Unit{};
}

}  // namespace duplex::x509::detail
