#include "duplex/x509/extensions.hpp"

#include <gtest/gtest.h>

#include "duplex/x509/der_writer.hpp"
#include "test_pki.hpp"

namespace duplex::x509 {
namespace {

using Bytes = std::vector<std::uint8_t>;

template <typename Body>
Bytes der_of(Body body) {
  der::Writer w;
  body(w);
  return w.take();
}

TEST(Extensions, SubjectAltNamesOfAGeneratedCertificate) {
  const auto issued = test_pki::issue({.subject = "s", .dns_names = {"a.example", "*.b.example"},
                                       .ip_addresses = {{192, 0, 2, 1}}, .emails = {"x@example.com"}});
  auto certificate = parse_certificate(issued.der);
  ASSERT_TRUE(certificate.ok());
  auto names = subject_alt_names(*certificate);
  ASSERT_TRUE(names.ok()) << names.error().message();
  ASSERT_EQ(names->size(), 4u);
  EXPECT_EQ((*names)[0].type, GeneralNameType::rfc822_name);
  EXPECT_EQ((*names)[1].text(), "a.example");
  EXPECT_EQ((*names)[3].to_display(), "IP:192.0.2.1");
  auto dns = subject_alt_dns_names(*certificate);
  ASSERT_TRUE(dns.ok());
  EXPECT_EQ(*dns, (std::vector<std::string>{"a.example", "*.b.example"}));
}

TEST(Extensions, NoSanIsAnEmptyList) {
  const auto issued = test_pki::issue({.subject = "s"});
  const auto certificate = parse_certificate(issued.der);  // the names point into it
  auto names = subject_alt_names(*certificate);
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->empty());
}

TEST(Extensions, RejectsEmptyGeneralNames) {
  auto names = parse_general_names(Bytes{0x30, 0x00}, "subjectAltName");
  ASSERT_FALSE(names.ok());
  EXPECT_EQ(names.error().code, ExtensionError::empty);
}

TEST(Extensions, RejectsNonAsciiDnsName) {
  auto names = parse_general_names(Bytes{0x30, 0x03, 0x82, 0x01, 0xe9}, "subjectAltName");
  ASSERT_FALSE(names.ok());
  EXPECT_EQ(names.error().code, ExtensionError::bad_ia5_string);
}

TEST(Extensions, ReadsDirectoryName) {
  const Bytes name = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.explicit_tag(4, [](der::Writer& w) {
        w.sequence([](der::Writer& w) {
          w.set([](der::Writer& w) {
            w.sequence([](der::Writer& w) {
              w.write_oid(oid::common_name);
              (void)w.write_string(der::tags::utf8_string, "Dir");
            });
          });
        });
      });
    });
  });
  auto names = parse_general_names(name, "subjectAltName");
  ASSERT_TRUE(names.ok()) << names.error().message();
  EXPECT_EQ((*names)[0].to_display(), "DirName:CN=Dir");
}

TEST(Extensions, BasicConstraints) {
  auto ca = parse_basic_constraints(der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.write_boolean(true);
      w.write_integer(2);
    });
  }));
  ASSERT_TRUE(ca.ok());
  EXPECT_TRUE(ca->ca);
  EXPECT_EQ(ca->path_len, 2u);
  auto empty = parse_basic_constraints(Bytes{0x30, 0x00});
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->ca);
  // DER never encodes the DEFAULT FALSE.
  EXPECT_FALSE(parse_basic_constraints(Bytes{0x30, 0x03, 0x01, 0x01, 0x00}).ok());
  auto negative = parse_basic_constraints(Bytes{0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0xff});
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ExtensionError::bad_value);
}

TEST(Extensions, KeyUsageBits) {
  auto usage = parse_key_usage(Bytes{0x03, 0x02, 0x01, 0x86});  // digitalSignature, keyCertSign, cRLSign
  ASSERT_TRUE(usage.ok()) << usage.error().message();
  EXPECT_TRUE(usage->has(KeyUsageBit::digital_signature));
  EXPECT_TRUE(usage->has(KeyUsageBit::key_cert_sign));
  EXPECT_TRUE(usage->has(KeyUsageBit::crl_sign));
  EXPECT_FALSE(usage->has(KeyUsageBit::key_encipherment));
  auto decipher = parse_key_usage(Bytes{0x03, 0x03, 0x07, 0x00, 0x80});  // decipherOnly
  ASSERT_TRUE(decipher.ok());
  EXPECT_TRUE(decipher->has(KeyUsageBit::decipher_only));
  auto none = parse_key_usage(Bytes{0x03, 0x01, 0x00});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ExtensionError::empty);
}

TEST(Extensions, ExtendedKeyUsage) {
  // The decoded OIDs point into the DER, which must outlive them.
  const Bytes value = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) { w.write_oid(oid::kp_server_auth); });
  });
  auto eku = parse_extended_key_usage(value);
  ASSERT_TRUE(eku.ok());
  EXPECT_TRUE(eku->contains(oid::kp_server_auth));
  EXPECT_FALSE(eku->contains(oid::kp_client_auth));
  EXPECT_EQ(parse_extended_key_usage(Bytes{0x30, 0x00}).error().code, ExtensionError::empty);
}

TEST(Extensions, NameConstraintsSubtrees) {
  const Bytes value = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.constructed(der::context(0, true), [](der::Writer& w) {
        w.sequence([](der::Writer& w) { w.write_element(der::context(2, false), as_bytes("example.com")); });
      });
      w.constructed(der::context(1, true), [](der::Writer& w) {
        w.sequence([](der::Writer& w) {
          w.write_octet_string(Bytes{10, 0, 0, 0, 255, 0, 0, 0}, der::context(7, false));
        });
      });
    });
  });
  auto constraints = parse_name_constraints(value);
  ASSERT_TRUE(constraints.ok()) << constraints.error().message();
  ASSERT_TRUE(constraints->permitted && constraints->excluded);
  EXPECT_EQ((*constraints->permitted)[0].text(), "example.com");
  EXPECT_EQ((*constraints->excluded)[0].value.size(), 8u);
}

TEST(Extensions, NameConstraintsRefuseNonContiguousMask) {
  const Bytes value = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.constructed(der::context(0, true), [](der::Writer& w) {
        w.sequence([](der::Writer& w) {
          w.write_octet_string(Bytes{10, 0, 0, 0, 255, 0, 255, 0}, der::context(7, false));
        });
      });
    });
  });
  auto constraints = parse_name_constraints(value);
  ASSERT_FALSE(constraints.ok());
  EXPECT_EQ(constraints.error().code, ExtensionError::bad_ip_mask);
  EXPECT_EQ(parse_name_constraints(Bytes{0x30, 0x00}).error().code, ExtensionError::empty);
}

TEST(Extensions, AuthorityKeyIdentifier) {
  auto aki = parse_authority_key_identifier(Bytes{0x30, 0x04, 0x80, 0x02, 0xab, 0xcd});
  ASSERT_TRUE(aki.ok());
  ASSERT_TRUE(aki->key_identifier);
  EXPECT_EQ(aki->key_identifier->size(), 2u);
  EXPECT_FALSE(aki->has_authority_cert_issuer);
  auto serial = parse_authority_key_identifier(Bytes{0x30, 0x03, 0x82, 0x01, 0x05});
  ASSERT_TRUE(serial.ok());
  EXPECT_TRUE(serial->has_authority_cert_serial);
  EXPECT_FALSE(serial->key_identifier);
}

TEST(Extensions, SubjectKeyIdentifier) {
  auto ski = parse_subject_key_identifier(Bytes{0x04, 0x02, 0x01, 0x02});
  ASSERT_TRUE(ski.ok());
  EXPECT_EQ(ski->size(), 2u);
  EXPECT_FALSE(parse_subject_key_identifier(Bytes{0x04, 0x02, 0x01}).ok());
}

TEST(Extensions, CrlDistributionPointsAndAia) {
  const Bytes crldp = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.sequence([](der::Writer& w) {
        w.constructed(der::context(0, true), [](der::Writer& w) {
          w.constructed(der::context(0, true), [](der::Writer& w) {
            w.write_element(der::context(6, false), as_bytes("http://crl.example/ca.crl"));
          });
        });
      });
    });
  });
  auto points = parse_crl_distribution_points(crldp);
  ASSERT_TRUE(points.ok()) << points.error().message();
  EXPECT_EQ((*points)[0].full_name[0].text(), "http://crl.example/ca.crl");

  const Bytes aia = der_of([](der::Writer& w) {
    w.sequence([](der::Writer& w) {
      w.sequence([](der::Writer& w) {
        (void)w.write_oid("1.3.6.1.5.5.7.48.1");
        w.write_element(der::context(6, false), as_bytes("http://ocsp.example"));
      });
    });
  });
  auto access = parse_authority_info_access(aia);
  ASSERT_TRUE(access.ok());
  EXPECT_EQ((*access)[0].location.text(), "http://ocsp.example");
  EXPECT_EQ(parse_authority_info_access(Bytes{0x30, 0x00}).error().code, ExtensionError::empty);
}

TEST(Extensions, CertificatePoliciesRefuseDuplicates) {
  auto policy = [](der::Writer& w) {
    w.sequence([](der::Writer& w) { (void)w.write_oid("2.23.140.1.2.1"); });
  };
  const Bytes value = der_of([&](der::Writer& w) { w.sequence(policy); });
  auto one = parse_certificate_policies(value);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
  auto twice = parse_certificate_policies(der_of([&](der::Writer& w) {
    w.sequence([&](der::Writer& w) {
      policy(w);
      policy(w);
    });
  }));
  ASSERT_FALSE(twice.ok());
  EXPECT_EQ(twice.error().code, ExtensionError::bad_value);
}

TEST(Extensions, UnknownCriticalExtensionIsRecorded) {
  const auto issued = test_pki::issue({.subject = "s", .extra = {{"1.2.3.4", true, {0x05, 0x00}},
                                                                 {"1.2.3.5", false, {0x05, 0x00}}}});
  const auto certificate = parse_certificate(issued.der);  // the decoded values point into it
  auto decoded = decode_extensions(*certificate);
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->unsupported_critical.size(), 1u);
  EXPECT_EQ(decoded->unsupported_critical[0].dotted(), "1.2.3.4");
  EXPECT_TRUE(decoded->key_usage.has_value());
  EXPECT_TRUE(decoded->subject_key_identifier.has_value());
}

TEST(Extensions, MalformedExtensionNamesItself) {
  const auto issued = test_pki::issue({.subject = "s", .extra = {{"2.5.29.31", false, {0x30, 0x00}}}});
  const auto certificate = parse_certificate(issued.der);
  auto decoded = decode_extensions(*certificate);
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.error().extension, "cRLDistributionPoints");
  EXPECT_EQ(decoded.error().message(),
            "the cRLDistributionPoints extension holds an empty list where one entry at least is required");
}

}  // namespace
}  // namespace duplex::x509
