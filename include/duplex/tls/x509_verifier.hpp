// The X.509 path validator (duplex::x509::verify_certificate_chain) as the TLS engine's
// CertificateVerifier: roots from a TrustStore, the connection's server name checked against the
// certificate (RFC 9525), the handshake's time, serverAuth or clientAuth.
//
// It is what a ClientConfig without a verifier uses, with the system store
// (/etc/ssl/certs/ca-certificates.crt): a duplex client verifies real chains by default.
#pragma once

#include <memory>
#include <string>

#include "duplex/tls/alert.hpp"
#include "duplex/tls/certificate_verifier.hpp"
#include "duplex/x509/trust_store.hpp"
#include "duplex/x509/verify.hpp"

namespace duplex::tls {

std::shared_ptr<const CertificateVerifier> x509_verifier(std::shared_ptr<const x509::TrustStore> roots);

// A verifier trusting the roots of a PEM file (a CA bundle, or a development CA); a sentence when
// the file cannot be read or holds no certificate.
duplex::Result<std::shared_ptr<const CertificateVerifier>, std::string> x509_verifier_from_pem_file(
    const std::string& path);

// The system store's verifier, loaded once per process; nullptr (and the reason in *error) when
// the store cannot be read.
std::shared_ptr<const CertificateVerifier> system_x509_verifier(std::string* error = nullptr);

// RFC 8446 §6.2: the alert that says why a chain was refused.
AlertDescription alert_for(x509::VerifyReason reason);

}  // namespace duplex::tls
