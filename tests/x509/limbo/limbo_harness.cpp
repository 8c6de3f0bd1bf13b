// x509-limbo harness: runs every testcase of ../shared/testdata/x509-limbo through
// x509::verify_certificate_chain and prints the pass rate by namespace and by feature.
//
//   x509_limbo CASES EXPECTED_FAILURES [--verbose] [--only ID] [--lenient-anchors]
//
// --lenient-anchors runs with the library's default strict_trust_anchors = false, to see what
// holding roots to the issuance profile changes (the expected failures are for strict anchors).
//
// CASES is limbo.json converted by convert_limbo.py; EXPECTED_FAILURES lists "ID  reason" lines.
// The test fails on any mismatch that is not listed, and on any listed case that now passes
// (remove it from the list). CRL cases run with their CRLs (VerifyOptions::crls).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "duplex/util/base64.hpp"
#include "duplex/x509/verify.hpp"

namespace {

using namespace duplex;

struct Case {
  std::string id;
  bool expect_success = false;
  std::vector<std::string> features;
  std::optional<std::int64_t> time;
  bool client = false;
  std::string peer_kind, peer_value;
  std::optional<std::uint32_t> max_depth;
  std::vector<std::string> eku;
  std::vector<std::string> key_usage;
  int crls = 0;
  std::vector<std::vector<std::uint8_t>> trusted, chain;  // chain: leaf first
  std::vector<std::vector<std::uint8_t>> crl_ders;
};

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string word; in >> word;) out.push_back(word);
  return out;
}

bool read_cases(const std::string& path, std::vector<Case>& cases) {
  std::ifstream in(path);
  if (!in) return false;
  Case current;
  std::vector<std::vector<std::uint8_t>> intermediates;
  for (std::string line; std::getline(in, line);) {
    const auto space = line.find(' ');
    const std::string key = line.substr(0, space);
    const std::string value = space == std::string::npos ? "" : line.substr(space + 1);
    if (key == "case") {
      current = Case{};
      intermediates.clear();
      current.id = value;
    } else if (key == "expected") {
      current.expect_success = value == "SUCCESS";
    } else if (key == "features") {
      current.features = words(value);
    } else if (key == "time") {
      if (value != "none") current.time = std::stoll(value);
    } else if (key == "kind") {
      current.client = value == "CLIENT";
    } else if (key == "peer") {
      const auto parts = words(value);
      current.peer_kind = parts.empty() ? "none" : parts[0];
      current.peer_value = parts.size() > 1 ? parts[1] : "";
    } else if (key == "max_depth") {
      if (value != "none") current.max_depth = static_cast<std::uint32_t>(std::stoul(value));
    } else if (key == "eku") {
      current.eku = words(value);
    } else if (key == "ku") {
      current.key_usage = words(value);
    } else if (key == "crls") {
      current.crls = std::stoi(value);
    } else if (key == "trusted" || key == "intermediate" || key == "leaf" || key == "crl") {
      auto der = base64_decode(value);
      if (!der) {
        std::fprintf(stderr, "limbo: bad base64 in case %s\n", current.id.c_str());
        return false;
      }
      auto& list = key == "trusted" ? current.trusted
                   : key == "leaf"  ? current.chain
                   : key == "crl"   ? current.crl_ders
                                    : intermediates;
      list.push_back(std::move(*der));
    } else if (key == "end") {
      current.chain.insert(current.chain.end(), intermediates.begin(), intermediates.end());
      cases.push_back(std::move(current));
    }
  }
  return true;
}

// "ID  reason" per line; '#' starts a comment.
std::map<std::string, std::string> read_expected_failures(const std::string& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.find_first_of(" \t");
    out[line.substr(0, space)] = space == std::string::npos ? "" : line.substr(line.find_first_not_of(" \t", space));
  }
  return out;
}

// Why a case cannot be run, or "" when it can.
std::string skip_reason(const Case& test) {
  if (static_cast<std::size_t>(test.crls) != test.crl_ders.size()) return "has a CRL that is not PEM";
  if (test.peer_kind == "RFC822") return "asks for an email peer name, which the verifier does not match";
  return "";
}

struct Tally {
  int match = 0, mismatch = 0, skipped = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: x509_limbo CASES EXPECTED_FAILURES [--verbose] [--only ID] [--lenient-anchors]\n");
    return 2;
  }
  bool verbose = false, lenient_anchors = false;
  std::string only;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--verbose") verbose = true;
    if (arg == "--lenient-anchors") lenient_anchors = true;
    if (arg == "--only" && i + 1 < argc) only = argv[++i];
  }
  std::vector<Case> cases;
  if (!read_cases(argv[1], cases)) {
    std::fprintf(stderr, "limbo: cannot read %s\n", argv[1]);
    return 2;
  }
  const auto expected_failures = read_expected_failures(argv[2]);
  const std::int64_t now = std::time(nullptr);
  const auto started = std::chrono::steady_clock::now();

  Tally total;
  std::map<std::string, Tally> by_namespace, by_feature;
  std::vector<std::string> unexpected, fixed;
  std::set<std::string> seen;
  std::map<std::string, int> skip_reasons;
  for (const Case& test : cases) {
    if (!only.empty() && test.id != only) continue;
    seen.insert(test.id);
    const std::string space = test.id.substr(0, test.id.find("::"));
    auto count = [&](auto member) {
      ++(total.*member);
      ++(by_namespace[space].*member);
      for (const auto& feature : test.features) ++(by_feature[feature].*member);
    };
    if (const std::string reason = skip_reason(test); !reason.empty()) {
      count(&Tally::skipped);
      ++skip_reasons[reason];
      if (verbose) std::printf("SKIP %s: %s\n", test.id.c_str(), reason.c_str());
      continue;
    }
    x509::TrustStore roots;
    for (const auto& der : test.trusted) roots.add_der(der);
    // A CRL that does not parse cannot revoke anything; the verdict then rests on the others.
    std::vector<x509::CertificateRevocationList> crls;
    for (const auto& der : test.crl_ders)
      if (auto crl = x509::parse_crl(der)) crls.push_back(std::move(*crl));
    x509::VerifyOptions options{
        .roots = &roots,
        .peer_name = test.peer_kind == "DNS" || test.peer_kind == "IP" ? std::string_view(test.peer_value) : "",
        .time = test.time.value_or(now),
        .purpose = test.client ? x509::Purpose::client_auth : x509::Purpose::server_auth,
        // x509-limbo states the key usages a case requires; it asks for digitalSignature twice.
        .require_digital_signature = std::ranges::find(test.key_usage, "digitalSignature") != test.key_usage.end(),
        // x509-limbo holds roots to the issuance profile too (root-missing-ski, webpki::aki::*).
        .strict_trust_anchors = !lenient_anchors,
        .explain = verbose,
        .crls = crls,
    };
    if (test.max_depth) options.max_intermediates = *test.max_depth;
    auto result = x509::verify_certificate_chain(test.chain, options);
    const bool matched = result.ok() == test.expect_success;
    count(matched ? &Tally::match : &Tally::mismatch);
    const bool listed = expected_failures.contains(test.id);
    if (!matched && !listed) unexpected.push_back(test.id);
    if (matched && listed) fixed.push_back(test.id);
    if (verbose || (!matched && !listed)) {
      std::printf("%s %s: expected %s, got %s\n", matched ? "ok  " : "FAIL", test.id.c_str(),
                  test.expect_success ? "SUCCESS" : "FAILURE",
                  result ? "SUCCESS" : (std::string(x509::to_string(result.error().reason)) + " — " + result.error().message()).c_str());
      if (verbose && !result)
        for (const auto& attempt : result.error().attempts) {
          std::printf("    tried:");
          for (const auto& subject : attempt.subjects) std::printf(" [%s]", subject.c_str());
          std::printf(" → %s at %zu: %s\n", std::string(x509::to_string(attempt.reason)).c_str(),
                      attempt.certificate_index, attempt.detail.c_str());
        }
    }
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  auto print = [](const std::string& name, const Tally& tally) {
    const int run = tally.match + tally.mismatch;
    std::printf("  %-40s %5d match %4d mismatch %4d skipped  (%.1f%%)\n", name.c_str(), tally.match, tally.mismatch,
                tally.skipped, run ? 100.0 * tally.match / run : 100.0);
  };
  std::printf("x509-limbo: %zu cases in %.1f s\n", seen.size(), seconds);
  print("all", total);
  std::printf("by namespace:\n");
  for (const auto& [name, tally] : by_namespace) print(name, tally);
  std::printf("by feature:\n");
  for (const auto& [name, tally] : by_feature) print(name, tally);
  for (const auto& [reason, number] : skip_reasons) std::printf("skipped %d: %s\n", number, reason.c_str());
  std::printf("expected failures listed: %zu\n", expected_failures.size());

  int status = 0;
  for (const auto& id : unexpected) {
    std::printf("UNEXPECTED MISMATCH: %s\n", id.c_str());
    status = 1;
  }
  for (const auto& id : fixed) {
    std::printf("NOW PASSES (remove it from the expected failures): %s\n", id.c_str());
    status = 1;
  }
  if (only.empty())
    for (const auto& [id, reason] : expected_failures)
      if (!seen.contains(id)) {
        std::printf("LISTED BUT NOT IN THE SUITE: %s\n", id.c_str());
        status = 1;
      }
  return status;
}
