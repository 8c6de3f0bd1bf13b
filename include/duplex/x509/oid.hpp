// OBJECT IDENTIFIER constants X.509 uses, as DER contents octets, so that comparing a parsed
// der::Oid against one is a byte comparison. Each is checked against its dotted form in
// tests/x509/oid_test.cpp.
#pragma once

#include <cstdint>
#include <string_view>

#include "duplex/x509/der.hpp"

namespace duplex::x509::oid {

namespace detail {
inline constexpr std::uint8_t common_name[] = {0x55, 0x04, 0x03};
inline constexpr std::uint8_t surname[] = {0x55, 0x04, 0x04};
inline constexpr std::uint8_t serial_number[] = {0x55, 0x04, 0x05};
inline constexpr std::uint8_t country_name[] = {0x55, 0x04, 0x06};
inline constexpr std::uint8_t locality_name[] = {0x55, 0x04, 0x07};
inline constexpr std::uint8_t state_or_province_name[] = {0x55, 0x04, 0x08};
inline constexpr std::uint8_t street_address[] = {0x55, 0x04, 0x09};
inline constexpr std::uint8_t organization_name[] = {0x55, 0x04, 0x0a};
inline constexpr std::uint8_t organizational_unit_name[] = {0x55, 0x04, 0x0b};
inline constexpr std::uint8_t title[] = {0x55, 0x04, 0x0c};
inline constexpr std::uint8_t given_name[] = {0x55, 0x04, 0x2a};
inline constexpr std::uint8_t user_id[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x01};
inline constexpr std::uint8_t domain_component[] = {0x09, 0x92, 0x26, 0x89, 0x93, 0xf2, 0x2c, 0x64, 0x01, 0x19};
inline constexpr std::uint8_t email_address[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x01};
inline constexpr std::uint8_t subject_key_identifier[] = {0x55, 0x1d, 0x0e};
inline constexpr std::uint8_t key_usage[] = {0x55, 0x1d, 0x0f};
inline constexpr std::uint8_t subject_alt_name[] = {0x55, 0x1d, 0x11};
inline constexpr std::uint8_t issuer_alt_name[] = {0x55, 0x1d, 0x12};
inline constexpr std::uint8_t basic_constraints[] = {0x55, 0x1d, 0x13};
inline constexpr std::uint8_t name_constraints[] = {0x55, 0x1d, 0x1e};
inline constexpr std::uint8_t crl_distribution_points[] = {0x55, 0x1d, 0x1f};
inline constexpr std::uint8_t certificate_policies[] = {0x55, 0x1d, 0x20};
inline constexpr std::uint8_t policy_mappings[] = {0x55, 0x1d, 0x21};
inline constexpr std::uint8_t authority_key_identifier[] = {0x55, 0x1d, 0x23};
inline constexpr std::uint8_t policy_constraints[] = {0x55, 0x1d, 0x24};
inline constexpr std::uint8_t extended_key_usage[] = {0x55, 0x1d, 0x25};
inline constexpr std::uint8_t inhibit_any_policy[] = {0x55, 0x1d, 0x36};
inline constexpr std::uint8_t authority_info_access[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x01, 0x01};
inline constexpr std::uint8_t crl_number[] = {0x55, 0x1d, 0x14};
inline constexpr std::uint8_t delta_crl_indicator[] = {0x55, 0x1d, 0x1b};
inline constexpr std::uint8_t issuing_distribution_point[] = {0x55, 0x1d, 0x1c};
inline constexpr std::uint8_t any_extended_key_usage[] = {0x55, 0x1d, 0x25, 0x00};
inline constexpr std::uint8_t kp_server_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01};
inline constexpr std::uint8_t kp_client_auth[] = {0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x02};
inline constexpr std::uint8_t rsa_encryption[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01};
inline constexpr std::uint8_t md5_with_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x04};
inline constexpr std::uint8_t sha1_with_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05};
inline constexpr std::uint8_t rsassa_pss[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0a};
inline constexpr std::uint8_t sha256_with_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b};
inline constexpr std::uint8_t sha384_with_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c};
inline constexpr std::uint8_t sha512_with_rsa[] = {0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d};
inline constexpr std::uint8_t ec_public_key[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01};
inline constexpr std::uint8_t secp256r1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
inline constexpr std::uint8_t secp384r1[] = {0x2b, 0x81, 0x04, 0x00, 0x22};
inline constexpr std::uint8_t ecdsa_with_sha1[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01};
inline constexpr std::uint8_t ecdsa_with_sha256[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02};
inline constexpr std::uint8_t ecdsa_with_sha384[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03};
inline constexpr std::uint8_t ecdsa_with_sha512[] = {0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04};
inline constexpr std::uint8_t ed25519[] = {0x2b, 0x65, 0x70};
}  // namespace detail

// Attribute types in names (X.520, RFC 4519, RFC 2985)
inline constexpr der::Oid common_name{detail::common_name};  // 2.5.4.3
inline constexpr der::Oid surname{detail::surname};  // 2.5.4.4
inline constexpr der::Oid serial_number{detail::serial_number};  // 2.5.4.5
inline constexpr der::Oid country_name{detail::country_name};  // 2.5.4.6
inline constexpr der::Oid locality_name{detail::locality_name};  // 2.5.4.7
inline constexpr der::Oid state_or_province_name{detail::state_or_province_name};  // 2.5.4.8
inline constexpr der::Oid street_address{detail::street_address};  // 2.5.4.9
inline constexpr der::Oid organization_name{detail::organization_name};  // 2.5.4.10
inline constexpr der::Oid organizational_unit_name{detail::organizational_unit_name};  // 2.5.4.11
inline constexpr der::Oid title{detail::title};  // 2.5.4.12
inline constexpr der::Oid given_name{detail::given_name};  // 2.5.4.42
inline constexpr der::Oid user_id{detail::user_id};  // 0.9.2342.19200300.100.1.1
inline constexpr der::Oid domain_component{detail::domain_component};  // 0.9.2342.19200300.100.1.25
inline constexpr der::Oid email_address{detail::email_address};  // 1.2.840.113549.1.9.1

// Certificate extensions (RFC 5280 §4.2)
inline constexpr der::Oid subject_key_identifier{detail::subject_key_identifier};  // 2.5.29.14
inline constexpr der::Oid key_usage{detail::key_usage};  // 2.5.29.15
inline constexpr der::Oid subject_alt_name{detail::subject_alt_name};  // 2.5.29.17
inline constexpr der::Oid issuer_alt_name{detail::issuer_alt_name};  // 2.5.29.18
inline constexpr der::Oid basic_constraints{detail::basic_constraints};  // 2.5.29.19
inline constexpr der::Oid name_constraints{detail::name_constraints};  // 2.5.29.30
inline constexpr der::Oid crl_distribution_points{detail::crl_distribution_points};  // 2.5.29.31
inline constexpr der::Oid certificate_policies{detail::certificate_policies};  // 2.5.29.32
inline constexpr der::Oid policy_mappings{detail::policy_mappings};  // 2.5.29.33
inline constexpr der::Oid authority_key_identifier{detail::authority_key_identifier};  // 2.5.29.35
inline constexpr der::Oid policy_constraints{detail::policy_constraints};  // 2.5.29.36
inline constexpr der::Oid extended_key_usage{detail::extended_key_usage};  // 2.5.29.37
inline constexpr der::Oid inhibit_any_policy{detail::inhibit_any_policy};  // 2.5.29.54
inline constexpr der::Oid authority_info_access{detail::authority_info_access};  // 1.3.6.1.5.5.7.1.1

// CRL extensions (RFC 5280 §5.2)
inline constexpr der::Oid crl_number{detail::crl_number};  // 2.5.29.20
inline constexpr der::Oid delta_crl_indicator{detail::delta_crl_indicator};  // 2.5.29.27
inline constexpr der::Oid issuing_distribution_point{detail::issuing_distribution_point};  // 2.5.29.28

// Extended key usages (RFC 5280 §4.2.1.12)
inline constexpr der::Oid any_extended_key_usage{detail::any_extended_key_usage};  // 2.5.29.37.0
inline constexpr der::Oid kp_server_auth{detail::kp_server_auth};  // 1.3.6.1.5.5.7.3.1
inline constexpr der::Oid kp_client_auth{detail::kp_client_auth};  // 1.3.6.1.5.5.7.3.2

// Key and signature algorithms (RFC 8017, RFC 5480, RFC 5758, RFC 8410)
inline constexpr der::Oid rsa_encryption{detail::rsa_encryption};  // 1.2.840.113549.1.1.1
inline constexpr der::Oid md5_with_rsa{detail::md5_with_rsa};  // 1.2.840.113549.1.1.4
inline constexpr der::Oid sha1_with_rsa{detail::sha1_with_rsa};  // 1.2.840.113549.1.1.5
inline constexpr der::Oid rsassa_pss{detail::rsassa_pss};  // 1.2.840.113549.1.1.10
inline constexpr der::Oid sha256_with_rsa{detail::sha256_with_rsa};  // 1.2.840.113549.1.1.11
inline constexpr der::Oid sha384_with_rsa{detail::sha384_with_rsa};  // 1.2.840.113549.1.1.12
inline constexpr der::Oid sha512_with_rsa{detail::sha512_with_rsa};  // 1.2.840.113549.1.1.13
inline constexpr der::Oid ec_public_key{detail::ec_public_key};  // 1.2.840.10045.2.1
inline constexpr der::Oid secp256r1{detail::secp256r1};  // 1.2.840.10045.3.1.7
inline constexpr der::Oid secp384r1{detail::secp384r1};  // 1.3.132.0.34
inline constexpr der::Oid ecdsa_with_sha1{detail::ecdsa_with_sha1};  // 1.2.840.10045.4.1
inline constexpr der::Oid ecdsa_with_sha256{detail::ecdsa_with_sha256};  // 1.2.840.10045.4.3.2
inline constexpr der::Oid ecdsa_with_sha384{detail::ecdsa_with_sha384};  // 1.2.840.10045.4.3.3
inline constexpr der::Oid ecdsa_with_sha512{detail::ecdsa_with_sha512};  // 1.2.840.10045.4.3.4
inline constexpr der::Oid ed25519{detail::ed25519};  // 1.3.101.112

struct NamedOid {
  der::Oid oid;
  std::string_view dotted;
};

// Every constant above with its dotted form.
inline constexpr NamedOid kAll[] = {
    {common_name, "2.5.4.3"},
    {surname, "2.5.4.4"},
    {serial_number, "2.5.4.5"},
    {country_name, "2.5.4.6"},
    {locality_name, "2.5.4.7"},
    {state_or_province_name, "2.5.4.8"},
    {street_address, "2.5.4.9"},
    {organization_name, "2.5.4.10"},
    {organizational_unit_name, "2.5.4.11"},
    {title, "2.5.4.12"},
    {given_name, "2.5.4.42"},
    {user_id, "0.9.2342.19200300.100.1.1"},
    {domain_component, "0.9.2342.19200300.100.1.25"},
    {email_address, "1.2.840.113549.1.9.1"},
    {subject_key_identifier, "2.5.29.14"},
    {key_usage, "2.5.29.15"},
    {subject_alt_name, "2.5.29.17"},
    {issuer_alt_name, "2.5.29.18"},
    {basic_constraints, "2.5.29.19"},
    {name_constraints, "2.5.29.30"},
    {crl_distribution_points, "2.5.29.31"},
    {certificate_policies, "2.5.29.32"},
    {policy_mappings, "2.5.29.33"},
    {authority_key_identifier, "2.5.29.35"},
    {policy_constraints, "2.5.29.36"},
    {extended_key_usage, "2.5.29.37"},
    {inhibit_any_policy, "2.5.29.54"},
    {authority_info_access, "1.3.6.1.5.5.7.1.1"},
    {crl_number, "2.5.29.20"},
    {delta_crl_indicator, "2.5.29.27"},
    {issuing_distribution_point, "2.5.29.28"},
    {any_extended_key_usage, "2.5.29.37.0"},
    {kp_server_auth, "1.3.6.1.5.5.7.3.1"},
    {kp_client_auth, "1.3.6.1.5.5.7.3.2"},
    {rsa_encryption, "1.2.840.113549.1.1.1"},
    {md5_with_rsa, "1.2.840.113549.1.1.4"},
    {sha1_with_rsa, "1.2.840.113549.1.1.5"},
    {rsassa_pss, "1.2.840.113549.1.1.10"},
    {sha256_with_rsa, "1.2.840.113549.1.1.11"},
    {sha384_with_rsa, "1.2.840.113549.1.1.12"},
    {sha512_with_rsa, "1.2.840.113549.1.1.13"},
    {ec_public_key, "1.2.840.10045.2.1"},
    {secp256r1, "1.2.840.10045.3.1.7"},
    {secp384r1, "1.3.132.0.34"},
    {ecdsa_with_sha1, "1.2.840.10045.4.1"},
    {ecdsa_with_sha256, "1.2.840.10045.4.3.2"},
    {ecdsa_with_sha384, "1.2.840.10045.4.3.3"},
    {ecdsa_with_sha512, "1.2.840.10045.4.3.4"},
    {ed25519, "1.3.101.112"},
};

}  // namespace duplex::x509::oid
