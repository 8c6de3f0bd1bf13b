// GeneralName (RFC 5280 §4.2.1.6): the names of subjectAltName, nameConstraints, CRL
// distribution points and authority information access.
//
//   auto names = x509::subject_alt_names(certificate);   // empty when there is no SAN
//   for (const auto& name : *names)
//     if (name.type == x509::GeneralNameType::dns_name) use(name.text());
//
// A GeneralName points into the certificate's DER: it stays valid as long as a copy of the
// Certificate it came from lives.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "duplex/util/result.hpp"
#include "duplex/x509/certificate.hpp"
#include "duplex/x509/der.hpp"

namespace duplex::x509 {

// The CHOICE's context tags: GeneralName ::= CHOICE { otherName [0], rfc822Name [1], dNSName [2],
// x400Address [3], directoryName [4], ediPartyName [5], uniformResourceIdentifier [6],
// iPAddress [7], registeredID [8] }
enum class GeneralNameType : std::uint8_t {
  other_name = 0,
  rfc822_name = 1,
  dns_name = 2,
  x400_address = 3,
  directory_name = 4,
  edi_party_name = 5,
  uri = 6,
  ip_address = 7,
  registered_id = 8,
};

std::string_view to_string(GeneralNameType type);  // "dNSName", "iPAddress", ...

struct GeneralName {
  GeneralNameType type = GeneralNameType::dns_name;
  // rfc822Name, dNSName, URI: the IA5String's bytes (ASCII, checked); iPAddress: 4 or 16 bytes in
  // a SAN, 8 or 32 (address then mask) in nameConstraints; directoryName: the Name's whole DER
  // (a SEQUENCE); otherName, x400Address, ediPartyName, registeredID: the contents octets.
  std::span<const std::uint8_t> value;

  // The value as text, for the IA5String kinds (rfc822Name, dNSName, URI).
  std::string_view text() const { return {reinterpret_cast<const char*>(value.data()), value.size()}; }
  // "DNS:example.com", "IP:192.0.2.1", "IP:2001:db8::1", "email:a@b", "URI:...", "DirName:CN=x".
  std::string to_display() const;
};

enum class ExtensionError : std::uint8_t {
  malformed,             // the extnValue is not the DER its syntax asks for (see der_error)
  empty,                 // a SEQUENCE SIZE (1..MAX) with nothing in it
  bad_ia5_string,        // an rfc822Name, dNSName or URI with a byte outside ASCII
  bad_ip_address,        // an iPAddress of a length other than 4 / 16 (8 / 32 in nameConstraints)
  bad_ip_mask,           // a nameConstraints iPAddress mask that is not a run of ones then zeros
  bad_subtree,           // a GeneralSubtree with minimum other than 0 or a maximum (RFC 5280 §4.2.1.10)
  bad_value,             // a value outside its range (a negative pathLenConstraint, ...)
};

struct ExtensionParseError {
  ExtensionError code = ExtensionError::malformed;
  der::DerError der_error = der::DerError::truncated;  // meaningful when code is malformed
  std::string_view extension;                          // "subjectAltName", ...

  // "the subjectAltName extension is malformed: an element runs past the end of its input"
  std::string message() const;
};

// GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, read from its whole DER.
// `extension` names where it came from, for the error.
Result<std::vector<GeneralName>, ExtensionParseError> parse_general_names(std::span<const std::uint8_t> der,
                                                                          std::string_view extension);
// One GeneralName from `reader` (any of the nine kinds).
Result<GeneralName, ExtensionParseError> read_general_name(der::Reader& reader, std::string_view extension);

// The certificate's subjectAltName entries in order; an empty list when it has no SAN extension.
// This is what a server selects its certificate by (SNI) and what host names are matched against.
Result<std::vector<GeneralName>, ExtensionParseError> subject_alt_names(const Certificate& certificate);

// The dNSName entries of the SAN as strings (lower-cased ASCII), for SNI selection.
Result<std::vector<std::string>, ExtensionParseError> subject_alt_dns_names(const Certificate& certificate);

}  // namespace duplex::x509
